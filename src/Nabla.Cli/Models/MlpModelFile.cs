using System.Globalization;
using System.Text.Json;
using Nabla.NN;

namespace Nabla.Cli.Models;

/// <summary>What is needed to rebuild a trained MLP classifier: sizes, activation, classes and the data set it came from.</summary>
internal sealed record MlpSpec(int Inputs, int[] Hidden, string Activation, string[] ClassNames, string Dataset)
{
    /// <summary>Linear layers with the activation between them: the names 0.weight, 2.weight, ... follow PyTorch's Sequential.</summary>
    public Sequential Build(Generator? generator = null)
    {
        var model = new Sequential();
        int width = Inputs;
        foreach (int h in Hidden)
        {
            model.Add(new Linear(width, h, generator: generator));
            model.Add(MakeActivation(Activation));
            width = h;
        }
        model.Add(new Linear(width, ClassNames.Length, generator: generator));
        return model;
    }

    public static Module MakeActivation(string name) => name switch
    {
        "relu" => new ReLU(),
        "tanh" => new Tanh(),
        "sigmoid" => new Sigmoid(),
        "gelu" => new GELU(),
        _ => throw new ArgumentException($"Unknown activation '{name}'. Known: relu, tanh, sigmoid, gelu."),
    };
}

/// <summary>
/// A trained model on disk: one safetensors file holding the weights under PyTorch's names, the feature
/// standardization (<c>preprocess.shift</c>, <c>preprocess.scale</c>) and the architecture as JSON metadata, so
/// that <c>nabla evaluate</c> and <c>nabla predict</c> need nothing else. PyTorch can load the <c>model.</c> part.
/// </summary>
internal sealed class MlpModelFile : IClassifierFile
{
    private const string SpecKey = "nabla.mlp";

    public required MlpSpec Spec { get; init; }
    public required Sequential Model { get; init; }
    public Tensor? Shift { get; init; }
    public Tensor? Scale { get; init; }

    /// <summary>Applies the saved standardization to raw features: (x - shift) / scale, where scale is 1 for constant features.</summary>
    public Tensor Preprocess(Tensor features) => Shift is null || Scale is null ? features : (features - Shift) / Scale;

    /// <inheritdoc/>
    public int[] SampleShape => [Spec.Inputs];

    /// <inheritdoc/>
    public IReadOnlyList<string> ClassNames => Spec.ClassNames;

    /// <inheritdoc/>
    public string Dataset => Spec.Dataset;

    /// <inheritdoc/>
    public string Description => Describe(Spec);

    public void Save(string path)
    {
        var extra = new List<KeyValuePair<string, Tensor>>();
        if (Shift is not null && Scale is not null)
        {
            extra.Add(new("preprocess.shift", Shift));
            extra.Add(new("preprocess.scale", Scale));
        }
        ModelFileFormat.Save(path, SpecKey, JsonSerializer.Serialize(Spec), Model, extra);
    }

    public static MlpModelFile Load(string path)
    {
        var (file, json) = ModelFileFormat.Open(path, SpecKey, "MLP");
        var spec = JsonSerializer.Deserialize<MlpSpec>(json)
            ?? throw new InvalidDataException($"{path}: the '{SpecKey}' metadata is empty.");
        var model = spec.Build();
        ModelFileFormat.LoadWeights(file, path, model);
        file.TryGetValue("preprocess.shift", out var shift);
        file.TryGetValue("preprocess.scale", out var scale);
        return new MlpModelFile { Spec = spec, Model = model, Shift = shift, Scale = scale };
    }

    public static string Describe(MlpSpec spec) =>
        string.Join("-", new[] { spec.Inputs }.Concat(spec.Hidden).Append(spec.ClassNames.Length).Select(i => i.ToString(CultureInfo.InvariantCulture)))
        + $" MLP ({spec.Activation}) for {spec.Dataset}";
}
