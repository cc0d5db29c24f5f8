using System.Text.Json;
using Nabla.Examples.CharRnn;
using Nabla.IO;

namespace Nabla.Cli.Models;

/// <summary>
/// A trained char-rnn model on disk: one safetensors file holding the weights under PyTorch's names (<c>model.embedding.weight</c>,
/// <c>model.rnn.weight_ih_l0</c>, ...), the architecture and vocabulary as JSON metadata (<c>nabla.char-rnn</c>), and the
/// training words (<c>nabla.char-rnn.train-words</c>, one a line), so that <c>nabla sample</c> can mark invented words.
/// </summary>
internal sealed class CharRnnModelFile
{
    private const string SpecKey = "nabla.char-rnn";
    private const string WordsKey = "nabla.char-rnn.train-words";

    public required CharRnnModel Model { get; init; }

    /// <summary>The words the model was trained on.</summary>
    public required IReadOnlyList<string> TrainWords { get; init; }

    public void Save(string path)
    {
        var tensors = Model.StateDict().Select(kv => new KeyValuePair<string, Tensor>("model." + kv.Key, kv.Value));
        SafeTensors.Save(path, tensors, new Dictionary<string, string>
        {
            [SpecKey] = JsonSerializer.Serialize(Model.Spec),
            [WordsKey] = string.Join('\n', TrainWords),
            ["format"] = "pt",
        });
    }

    /// <exception cref="InvalidDataException">The file is not a safetensors file, not a char-rnn model, or its weights do not fit its architecture.</exception>
    public static CharRnnModelFile Load(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"Model file '{path}' not found; train one with `nabla train --model char-rnn`.", path);
        var file = SafeTensors.Load(path);
        if (!file.Metadata.TryGetValue(SpecKey, out var json))
            throw new InvalidDataException($"{path}: not a char-rnn model (no '{SpecKey}' metadata); train one with `nabla train --model char-rnn`.");
        CharRnnSpec spec;
        try
        {
            spec = JsonSerializer.Deserialize<CharRnnSpec>(json) ?? throw new InvalidDataException($"{path}: the '{SpecKey}' metadata is empty.");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: the '{SpecKey}' metadata is not a char-rnn architecture: {e.Message}", e);
        }
        CharRnnModel model;
        try
        {
            model = new CharRnnModel(spec, new Generator(0)); // its own generator: the initial values are overwritten, and the default stream stays untouched
            model.LoadStateDict(file.Where(kv => kv.Key.StartsWith("model.", StringComparison.Ordinal))
                                    .Select(kv => new KeyValuePair<string, Tensor>(kv.Key["model.".Length..], kv.Value)));
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataException($"{path}: the weights do not fit the architecture in its metadata ({spec}). {e.Message}", e);
        }
        var words = file.Metadata.TryGetValue(WordsKey, out var text) && text.Length > 0 ? text.Split('\n') : [];
        return new CharRnnModelFile { Model = model, TrainWords = words };
    }
}
