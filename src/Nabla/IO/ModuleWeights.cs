using Nabla.NN;

namespace Nabla.IO;

/// <summary>
/// Saves and loads a module's weights as a safetensors file with PyTorch's state-dict names
/// (<c>0.weight</c>, <c>0.bias</c>, ...), so weights cross between Nabla and PyTorch in both directions:
/// <c>model.SaveWeights("mlp.safetensors")</c> here, <c>model.load_state_dict(safetensors.torch.load_file(...))</c> there.
/// </summary>
public static class ModuleWeights
{
    /// <summary>
    /// Writes <paramref name="module"/>'s state dict (parameters and buffers) to <paramref name="path"/>, atomically
    /// (see <see cref="SafeTensors.Save(string, IEnumerable{KeyValuePair{string, Tensor}}, IReadOnlyDictionary{string, string}?)"/>).
    /// The metadata gets <c>format = pt</c>, as Hugging Face's loaders expect of PyTorch-layout weights, unless
    /// <paramref name="metadata"/> sets it.
    /// </summary>
    public static void SaveWeights(this Module module, string path, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(module);
        var meta = new Dictionary<string, string>(StringComparer.Ordinal) { ["format"] = "pt" };
        if (metadata is not null)
            foreach (var (key, value) in metadata) meta[key] = value;
        SafeTensors.Save(path, module.StateDict(), meta);
    }

    /// <summary>
    /// Loads the weights in the safetensors file at <paramref name="path"/> into <paramref name="module"/>
    /// (<c>load_state_dict</c>); values are converted to each parameter's dtype. The file is read and checked
    /// completely first, then the names and shapes are matched: with <paramref name="strict"/>, every name must
    /// match both ways. All mismatches are listed in one exception and the module is changed only if everything fits.
    /// </summary>
    /// <returns>The file's metadata.</returns>
    /// <exception cref="InvalidDataException">The file is truncated or corrupt (nothing is changed).</exception>
    /// <exception cref="ArgumentException">Names or shapes do not match the module (all are listed; nothing is changed).</exception>
    public static IReadOnlyDictionary<string, string> LoadWeights(this Module module, string path, bool strict = true)
    {
        ArgumentNullException.ThrowIfNull(module);
        var file = SafeTensors.Load(path);
        try
        {
            module.LoadStateDict(file, strict);
        }
        catch (ArgumentException e)
        {
            throw new ArgumentException($"{path}: the weights do not fit the model. {e.Message}", e);
        }
        return file.Metadata;
    }
}
