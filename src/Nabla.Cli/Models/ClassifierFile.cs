using Nabla.IO;
using Nabla.NN;

namespace Nabla.Cli.Models;

/// <summary>A trained classifier file of any kind, as <c>nabla evaluate</c>, <c>predict</c> and <c>summary</c> use it.</summary>
internal interface IClassifierFile
{
    /// <summary>The network: logits (N, classes) from preprocessed inputs.</summary>
    Sequential Model { get; }

    /// <summary>The shape of one raw sample: (features) for an MLP, (C, H, W) for a CNN.</summary>
    int[] SampleShape { get; }

    /// <summary>One name per class.</summary>
    IReadOnlyList<string> ClassNames { get; }

    /// <summary>The data set it was trained on.</summary>
    string Dataset { get; }

    /// <summary>One line describing the architecture.</summary>
    string Description { get; }

    /// <summary>Turns raw samples (as the data set gives them) into the model's input.</summary>
    Tensor Preprocess(Tensor raw);
}

/// <summary>Opens a model file of whichever kind it holds.</summary>
internal static class ClassifierFile
{
    /// <summary>Loads an MLP or a CNN file, chosen by its metadata.</summary>
    /// <exception cref="InvalidDataException">The file is not a model written by <c>nabla train</c>, or is damaged.</exception>
    public static IClassifierFile Load(string path) =>
        SafeTensors.Load(path).Metadata.ContainsKey(CnnModelFile.SpecKey) ? CnnModelFile.Load(path) : MlpModelFile.Load(path);

    /// <summary>The raw samples of <paramref name="dataset"/> that <paramref name="file"/> takes: images for a CNN, feature rows for an MLP.</summary>
    public static Problem LoadData(IClassifierFile file, string dataset, string? dataDirectory, string? target) =>
        file is CnnModelFile ? ImageDataSources.Load(dataset, dataDirectory) : DataSources.Load(dataset, dataDirectory, target, seed: 1);
}
