using System.Reflection;

namespace Nabla.Examples;

/// <summary>Finds every <see cref="IExample"/> in this assembly, sorted by name.</summary>
public static class ExampleCatalog
{
    private static readonly Lazy<IReadOnlyList<IExample>> all = new(Discover);

    /// <summary>All examples, sorted by name.</summary>
    public static IReadOnlyList<IExample> All => all.Value;

    /// <summary>The example called <paramref name="name"/> (case-insensitive), or null.</summary>
    public static IExample? Find(string name) =>
        All.FirstOrDefault(e => string.Equals(e.Name, name, StringComparison.OrdinalIgnoreCase));

    private static IReadOnlyList<IExample> Discover() =>
        typeof(IExample).Assembly.GetTypes()
            .Where(t => typeof(IExample).IsAssignableFrom(t) && t is { IsAbstract: false, IsInterface: false })
            .Select(t => (IExample)Activator.CreateInstance(t)!)
            .OrderBy(e => e.Name, StringComparer.Ordinal)
            .ToList();
}
