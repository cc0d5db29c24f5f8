using System.Diagnostics;

namespace Nabla.Tests.Support;

/// <summary>
/// Runs the scripts in tools/ with Debian's PyTorch (/usr/bin/python3), for the tests that check a file written
/// by Nabla in PyTorch itself. CI machines have no torch: those tests use <see cref="TorchFactAttribute"/> and skip.
/// </summary>
public static class PythonTorch
{
    public const string Python = "/usr/bin/python3";

    private static readonly Lazy<bool> available = new(() =>
    {
        try { return Run(["-c", "import torch"], TimeSpan.FromSeconds(60)).ExitCode == 0; }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException or TimeoutException) { return false; }
    });

    /// <summary>True when /usr/bin/python3 exists and imports torch.</summary>
    public static bool IsAvailable => available.Value;

    /// <summary>The repository's root folder (where Nabla.slnx is), found from the test binaries' folder.</summary>
    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Nabla.slnx"))) return dir.FullName;
        throw new DirectoryNotFoundException($"No Nabla.slnx above {AppContext.BaseDirectory}.");
    }

    /// <summary>Runs python with <paramref name="arguments"/>; returns the exit code, standard output and standard error.</summary>
    public static (int ExitCode, string Output, string Error) Run(IEnumerable<string> arguments, TimeSpan timeout)
    {
        var info = new ProcessStartInfo(Python) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in arguments) info.ArgumentList.Add(a);
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"Could not start {Python}.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{Python} {string.Join(' ', info.ArgumentList)} took longer than {timeout}.");
        }
        return (process.ExitCode, output.Result, error.Result);
    }
}

/// <summary>A fact that runs only where /usr/bin/python3 imports torch, and is reported as skipped elsewhere.</summary>
public sealed class TorchFactAttribute : FactAttribute
{
    public TorchFactAttribute()
    {
        if (!PythonTorch.IsAvailable) Skip = $"needs {PythonTorch.Python} with torch (apt-get install python3-torch)";
    }
}
