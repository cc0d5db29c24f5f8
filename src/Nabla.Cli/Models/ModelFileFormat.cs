using Nabla.IO;
using Nabla.NN;

namespace Nabla.Cli.Models;

/// <summary>
/// The layout every model file of <c>nabla train</c> shares: one safetensors file with the weights under
/// <c>model.</c> + PyTorch's state-dict names, the preprocessing under <c>preprocess.</c>, and the architecture as
/// JSON in the metadata under a key that names the kind of model (<c>nabla.mlp</c>, <c>nabla.cnn</c>).
/// </summary>
internal static class ModelFileFormat
{
    private const string WeightPrefix = "model.";

    /// <summary>Writes <paramref name="model"/>'s state dict and <paramref name="extra"/> tensors, with the spec JSON under <paramref name="specKey"/>.</summary>
    public static void Save(string path, string specKey, string specJson, Module model, IEnumerable<KeyValuePair<string, Tensor>> extra)
    {
        var tensors = model.StateDict().Select(kv => new KeyValuePair<string, Tensor>(WeightPrefix + kv.Key, kv.Value)).Concat(extra).ToList();
        SafeTensors.Save(path, tensors, new Dictionary<string, string> { [specKey] = specJson, ["format"] = "pt" });
    }

    /// <summary>Reads <paramref name="path"/> and its spec JSON; the error names the kind of model the file holds when it is another one.</summary>
    /// <exception cref="InvalidDataException">The file has no <paramref name="specKey"/> metadata.</exception>
    public static (SafeTensorsFile File, string SpecJson) Open(string path, string specKey, string kind)
    {
        var file = SafeTensors.Load(path);
        if (file.Metadata.TryGetValue(specKey, out var json)) return (file, json);
        string? other = file.Metadata.Keys.FirstOrDefault(k => k.StartsWith("nabla.", StringComparison.Ordinal));
        throw new InvalidDataException(other is null
            ? $"{path}: not a model written by `nabla train` (no '{specKey}' metadata)."
            : $"{path}: holds a model of kind '{other["nabla.".Length..]}' ('{other}' metadata), not the {kind} expected here ('{specKey}').");
    }

    /// <summary>Copies the file's <c>model.</c> tensors into <paramref name="model"/>; every name and shape must match.</summary>
    /// <exception cref="InvalidDataException">The weights do not fit the architecture the metadata describes.</exception>
    public static void LoadWeights(SafeTensorsFile file, string path, Module model)
    {
        var weights = file.Where(kv => kv.Key.StartsWith(WeightPrefix, StringComparison.Ordinal))
                          .Select(kv => new KeyValuePair<string, Tensor>(kv.Key[WeightPrefix.Length..], kv.Value));
        try
        {
            model.LoadStateDict(weights);
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataException($"{path}: the weights do not fit the architecture in its metadata. {e.Message}", e);
        }
    }
}
