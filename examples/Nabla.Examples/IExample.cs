namespace Nabla.Examples;

/// <summary>
/// A runnable example: a short program a learner can read top to bottom.
/// Each example is one class in this project; <see cref="ExampleCatalog"/> finds it,
/// so adding an example needs no edit anywhere else.
/// </summary>
public interface IExample
{
    /// <summary>The name used on the command line, e.g. <c>moons</c>.</summary>
    string Name { get; }

    /// <summary>One line that says what the example shows.</summary>
    string Description { get; }

    /// <summary>Runs the example, writing its report to <paramref name="context"/>.</summary>
    /// <returns>The process exit code: 0 on success.</returns>
    int Run(ExampleContext context);
}

/// <summary>Where an example writes its text and files, and the seed it uses.</summary>
/// <param name="Out">Text output (the console when run from the CLI).</param>
/// <param name="OutputDirectory">Folder for files the example writes (SVG, DOT, ...).</param>
/// <param name="Seed">Random seed, so that a run is reproducible.</param>
public sealed record ExampleContext(TextWriter Out, string OutputDirectory, int Seed = 1337)
{
    /// <summary>Full path of a file named <paramref name="fileName"/> in the output directory, creating the folder.</summary>
    public string OutputPath(string fileName)
    {
        Directory.CreateDirectory(OutputDirectory);
        return Path.Combine(OutputDirectory, fileName);
    }
}
