using Nabla.Data;

namespace Nabla.Cli.Models;

/// <summary>A classification problem as the CLI trains it: training and test samples, sizes and class names.</summary>
/// <param name="Name">The data set's name as given on the command line.</param>
/// <param name="Train">The training sample (validation is split from it later).</param>
/// <param name="Test">The held-out test sample.</param>
/// <param name="Features">Input features per sample.</param>
/// <param name="ClassNames">One name per class.</param>
/// <param name="Standardize">Whether features should be standardized (not for pixels already in [0, 1]).</param>
internal sealed record Problem(string Name, TensorDataset Train, TensorDataset Test, int Features, IReadOnlyList<string> ClassNames, bool Standardize);

/// <summary>Loads the data sets the CLI knows: the embedded ones, Fashion-MNIST, and CSV files.</summary>
internal static class DataSources
{
    public const string Help = "digits, iris, breast-cancer, fashion-mnist, or csv:PATH (with --target COLUMN)";

    /// <summary>Loads <paramref name="name"/>; built-in sets use a fixed stratified 80/20 train/test split.</summary>
    public static Problem Load(string name, string? dataDirectory, string? target, int seed)
    {
        switch (name)
        {
            case "digits": return FromBuiltin(name, BuiltinDatasets.Digits());
            case "iris": return FromBuiltin(name, BuiltinDatasets.Iris());
            case "breast-cancer": return FromBuiltin(name, BuiltinDatasets.BreastCancer());
            case "fashion-mnist":
            {
                string dir = dataDirectory ?? FashionMnist.DefaultDirectory;
                var train = FashionMnist.Load(dir, train: true, flatten: true);
                var test = FashionMnist.Load(dir, train: false, flatten: true);
                return new Problem(name, train, test, 784, FashionMnist.ClassNames, Standardize: false);
            }
        }
        if (name.StartsWith("csv:", StringComparison.Ordinal))
        {
            string path = name[4..];
            if (string.IsNullOrEmpty(target))
                throw new ArgumentException($"--dataset {name}: give the label column with --target COLUMN.");
            var csv = Csv.Read(path, target);
            var labels = csv.Targets.ToArray();
            foreach (float label in labels)
                if (label < 0 || label != MathF.Floor(label))
                    throw new ArgumentException($"{path}: column '{target}' must hold class indices 0, 1, 2, ...; found {label}.");
            int classes = (int)labels.Max() + 1;
            var all = new ClassificationDataset(csv.Features, csv.Targets,
                Enumerable.Range(0, classes).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToList(), Path.GetFileName(path));
            var (trainSet, testSet) = all.TrainTestSplit(0.2, seed);
            return new Problem(name, trainSet, testSet, csv.Features.Size(1), all.ClassNames, Standardize: true);
        }
        throw new ArgumentException($"Unknown data set '{name}'. Known: {Help}.");
    }

    private static Problem FromBuiltin(string name, ClassificationDataset data)
    {
        var (train, test) = data.TrainTestSplit(0.2, seed: 0);
        return new Problem(name, train, test, data.Inputs.Size(1), data.ClassNames, Standardize: true);
    }
}
