using System.Diagnostics;
using Nabla.Scalar;

namespace Nabla.Viz;

/// <summary>
/// Writes a <see cref="Value"/>'s computation graph to a <c>.dot</c> file and, when Graphviz's
/// <c>dot</c> program is installed, renders it to <c>.svg</c> beside it.
/// </summary>
/// <param name="dotExecutable">The Graphviz program: a name looked up on PATH (default <c>dot</c>)
/// or a path to the file. Tests pass a path that does not exist to check the behaviour without Graphviz.</param>
public sealed class GraphWriter(string dotExecutable = "dot")
{
    /// <summary>How long to wait for <c>dot</c> before giving up on the SVG.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>The Graphviz program this writer runs (a name on PATH or a path).</summary>
    public string DotExecutable { get; } = dotExecutable ?? throw new ArgumentNullException(nameof(dotExecutable));

    /// <summary>
    /// Writes <paramref name="dotPath"/> (creating its folder) and, if <c>dot</c> is found, the SVG
    /// with the same name and extension <c>.svg</c>.
    /// </summary>
    /// <returns>The files written and a message for the user: where they are, or how to render the
    /// DOT file when Graphviz is missing or fails. Never throws because Graphviz is missing.</returns>
    public GraphOutput Write(Value root, string dotPath)
    {
        ArgumentNullException.ThrowIfNull(root);
        ArgumentException.ThrowIfNullOrWhiteSpace(dotPath);

        dotPath = Path.GetFullPath(dotPath);
        Directory.CreateDirectory(Path.GetDirectoryName(dotPath)!);
        File.WriteAllText(dotPath, ComputationGraph.ToDot(root));

        string svgPath = Path.ChangeExtension(dotPath, ".svg");
        string howTo = $"dot -Tsvg {Quote(dotPath)} -o {Quote(svgPath)}";
        string? dot = FindExecutable(DotExecutable);
        if (dot is null)
        {
            return new GraphOutput(dotPath, null,
                $"Wrote {dotPath}. Graphviz ('{DotExecutable}') was not found, so no SVG was made; " +
                $"install Graphviz (e.g. apt-get install graphviz) and render it with: {howTo}");
        }

        string? error = Render(dot, dotPath, svgPath);
        return error is null
            ? new GraphOutput(dotPath, svgPath, $"Wrote {dotPath} and {svgPath}.")
            : new GraphOutput(dotPath, null, $"Wrote {dotPath}, but rendering the SVG failed: {error} Command: {howTo}");
    }

    // Runs `dot -Tsvg in.dot -o out.svg`; returns null on success or what went wrong.
    private string? Render(string dot, string dotPath, string svgPath)
    {
        // A stale SVG from an earlier run must not pass for this run's result.
        File.Delete(svgPath);
        var start = new ProcessStartInfo(dot)
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { "-Tsvg", dotPath, "-o", svgPath })
            start.ArgumentList.Add(arg);
        try
        {
            using var process = Process.Start(start)!;
            // Read both streams before waiting, so a chatty `dot` cannot block on a full pipe.
            var stderr = process.StandardError.ReadToEndAsync();
            var stdout = process.StandardOutput.ReadToEndAsync();
            if (!process.WaitForExit(Timeout))
            {
                process.Kill(entireProcessTree: true);
                return $"'{dot}' did not finish within {Timeout.TotalSeconds:0} s.";
            }
            Task.WaitAll(stderr, stdout);
            return process.ExitCode == 0 && File.Exists(svgPath)
                ? null
                : $"'{dot}' exited with code {process.ExitCode}: {stderr.Result.Trim()}";
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return $"'{dot}' could not be started: {e.Message}.";
        }
    }

    /// <summary>The full path of <paramref name="program"/>: checked as given if it contains a folder,
    /// otherwise looked up in each PATH folder (with <c>.exe</c> on Windows); null if not found.</summary>
    internal static string? FindExecutable(string program)
    {
        if (program.Length == 0)
            return null;
        if (Path.IsPathRooted(program) || program.Contains(Path.DirectorySeparatorChar) || program.Contains(Path.AltDirectorySeparatorChar))
            return File.Exists(program) ? Path.GetFullPath(program) : null;

        string[] names = OperatingSystem.IsWindows() && !program.EndsWith(".exe", StringComparison.OrdinalIgnoreCase)
            ? [program + ".exe", program]
            : [program];
        string path = Environment.GetEnvironmentVariable("PATH") ?? "";
        foreach (string folder in path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            foreach (string name in names)
            {
                string candidate = Path.Combine(folder, name);
                if (File.Exists(candidate))
                    return candidate;
            }
        }
        return null;
    }

    private static string Quote(string path) => path.Contains(' ') ? $"\"{path}\"" : path;
}

/// <summary>What <see cref="GraphWriter.Write"/> produced.</summary>
/// <param name="DotPath">The DOT file (always written).</param>
/// <param name="SvgPath">The rendered SVG, or null when Graphviz was missing or failed.</param>
/// <param name="Message">A line for the user: the files written, or how to render the DOT file.</param>
public sealed record GraphOutput(string DotPath, string? SvgPath, string Message);
