using System.Text.Json;

namespace Nabla.Tests.Support;

/// <summary>
/// Reads the <c>cases</c> array of a fixture file written by tools/fixturelib.py (snake_case names), once per file:
/// the one loader behind <see cref="TorchFixture"/>, the module fixtures and the recurrent fixtures.
/// </summary>
/// <typeparam name="TCase">The record one case deserializes to.</typeparam>
public static class FixtureCases<TCase>
{
    private static readonly Dictionary<string, IReadOnlyList<TCase>> cache = new();
    private static readonly JsonSerializerOptions options = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    private sealed record CaseFile(TCase[] Cases);

    /// <summary>The cases of <c>Fixtures/<paramref name="fileName"/></c>.</summary>
    public static IReadOnlyList<TCase> Load(string fileName)
    {
        lock (cache)
        {
            if (cache.TryGetValue(fileName, out var cases)) return cases;
            string path = Path.Combine(AppContext.BaseDirectory, "Fixtures", fileName);
            using var stream = File.OpenRead(path);
            var file = JsonSerializer.Deserialize<CaseFile>(stream, options)
                ?? throw new InvalidDataException($"{path}: empty fixture file.");
            cache[fileName] = file.Cases;
            return file.Cases;
        }
    }
}
