using System.Collections;
using System.Diagnostics.CodeAnalysis;

namespace Nabla.IO;

/// <summary>
/// The contents of a safetensors file, as read by <see cref="SafeTensors.Load(string)"/>: named tensors in the
/// order of their data in the file, and the free-form string metadata (<c>__metadata__</c>).
/// </summary>
/// <remarks>
/// It is a read-only dictionary that enumerates in file order, so it can be passed straight to
/// <see cref="NN.Module.LoadStateDict"/> or <see cref="Optim.Optimizer.LoadStateDict"/>. The tensors are
/// new contiguous tensors owned by the caller; F16 and BF16 data are widened to float32.
/// </remarks>
public sealed class SafeTensorsFile : IReadOnlyDictionary<string, Tensor>
{
    private readonly List<KeyValuePair<string, Tensor>> tensors;
    private readonly Dictionary<string, Tensor> byName;

    internal SafeTensorsFile(string source, List<KeyValuePair<string, Tensor>> tensors, Dictionary<string, string> metadata)
    {
        Source = source;
        this.tensors = tensors;
        byName = tensors.ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal);
        Metadata = metadata;
    }

    /// <summary>Where the tensors were read from (the path, or the name given for a stream), as used in messages.</summary>
    public string Source { get; }

    /// <summary>The file's metadata (string keys and values); empty when the file has none.</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }

    /// <summary>The named tensors in the order of their data in the file.</summary>
    public IReadOnlyList<KeyValuePair<string, Tensor>> Tensors => tensors;

    /// <summary>The number of tensors.</summary>
    public int Count => tensors.Count;

    /// <summary>The tensor named <paramref name="name"/>.</summary>
    /// <exception cref="KeyNotFoundException">The file has no tensor of that name (the message lists the names it has).</exception>
    public Tensor this[string name] => byName.TryGetValue(name, out var t) ? t
        : throw new KeyNotFoundException($"{Source}: no tensor named '{name}' (the file has {Count}: {string.Join(", ", Keys.Take(20))}{(Count > 20 ? ", ..." : "")}).");

    /// <summary>The tensor names in file order.</summary>
    public IEnumerable<string> Keys => tensors.Select(kv => kv.Key);

    /// <summary>The tensors in file order.</summary>
    public IEnumerable<Tensor> Values => tensors.Select(kv => kv.Value);

    /// <summary>True when the file holds a tensor named <paramref name="key"/>.</summary>
    public bool ContainsKey(string key) => byName.ContainsKey(key);

    /// <summary>Looks a tensor up by name.</summary>
    public bool TryGetValue(string key, [MaybeNullWhen(false)] out Tensor value) => byName.TryGetValue(key, out value);

    /// <summary>The named tensors in file order.</summary>
    public IEnumerator<KeyValuePair<string, Tensor>> GetEnumerator() => tensors.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
