namespace Nabla.Cli.Commands;

/// <summary>Turns the library's bad-input exceptions into one clear line on stderr and exit code 1, instead of a stack trace.</summary>
internal static class CliErrors
{
    public static int Run(Func<int> action)
    {
        try
        {
            return action();
        }
        catch (Exception e) when (e is ArgumentException or InvalidDataException or FileNotFoundException
                                      or DirectoryNotFoundException or InvalidOperationException or IOException)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return 1;
        }
    }
}
