namespace Nabla.Data;

/// <summary>
/// A numeric table read by <see cref="Csv"/>: the feature columns as one tensor and the target column as
/// another. Deconstructs into the two tensors: <c>var (x, y) = Csv.Read("data.csv", "label");</c>
/// </summary>
public sealed class CsvData
{
    internal CsvData(Tensor features, Tensor targets, string[] featureNames, string targetName)
    {
        Features = features;
        Targets = targets;
        FeatureNames = featureNames;
        TargetName = targetName;
    }

    /// <summary>Every column but the target, float32, shape (N, F): one row per data line, in file order.</summary>
    public Tensor Features { get; }

    /// <summary>The target column, float32, shape (N,).</summary>
    public Tensor Targets { get; }

    /// <summary>The names of the feature columns from the header, or "column 1", "column 2", ... without one.</summary>
    public IReadOnlyList<string> FeatureNames { get; }

    /// <summary>The name of the target column.</summary>
    public string TargetName { get; }

    /// <summary>The rows as a data set of (features, target) samples.</summary>
    public TensorDataset ToDataset() => new(Features, Targets);

    /// <summary>Splits into <see cref="Features"/> and <see cref="Targets"/>.</summary>
    /// <param name="features">Receives <see cref="Features"/>.</param>
    /// <param name="targets">Receives <see cref="Targets"/>.</param>
    public void Deconstruct(out Tensor features, out Tensor targets) => (features, targets) = (Features, Targets);
}
