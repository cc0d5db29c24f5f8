namespace Nabla.Data;

/// <summary>
/// A per-feature affine preprocessing step, y = (x - shift) / scale, whose shift and scale are fitted on
/// training data and then applied unchanged to validation and test data (so that no statistic of those
/// leaks into training). <see cref="Standardizer"/> and <see cref="MinMaxScaler"/> are the two kinds.
/// </summary>
/// <remarks>
/// A "feature" is one position of a sample: for inputs of shape (N, F) one column, for images of shape
/// (N, C, H, W) one pixel of one channel. Statistics are taken over dim 0 (the samples), in double precision.
/// </remarks>
public abstract class FeatureScaler
{
    private readonly int[] featureShape;

    /// <summary>Stores the fitted shift and scale, both of the feature shape (a sample's shape).</summary>
    private protected FeatureScaler(Tensor shift, Tensor scale)
    {
        Shift = shift;
        Scale = scale;
        featureShape = shift.shape;
    }

    /// <summary>What is subtracted from each feature, shape (...): one value per feature.</summary>
    public Tensor Shift { get; }

    /// <summary>What each shifted feature is divided by, shape (...); never 0 (a constant feature gets 1).</summary>
    public Tensor Scale { get; }

    /// <summary>y = (x - shift) / scale for inputs of shape (N, ...) with the fitted feature shape.</summary>
    /// <exception cref="ArgumentException">The sample shape differs from the one fitted on.</exception>
    public Tensor Transform(Tensor inputs)
    {
        CheckShape(inputs, "Transform");
        return (inputs - Shift) / Scale;
    }

    /// <summary>x = y · scale + shift: undoes <see cref="Transform(Tensor)"/>.</summary>
    /// <exception cref="ArgumentException">The sample shape differs from the one fitted on.</exception>
    public Tensor InverseTransform(Tensor inputs)
    {
        CheckShape(inputs, "InverseTransform");
        return inputs * Scale + Shift;
    }

    /// <summary>
    /// A new data set holding every sample of <paramref name="dataset"/> with transformed inputs and the same
    /// targets; a <see cref="ClassificationDataset"/> stays one (same classes and citation).
    /// </summary>
    /// <exception cref="ArgumentException">The data set is empty, or its sample shape differs from the one fitted on.</exception>
    public TensorDataset Transform(Dataset dataset)
    {
        var (inputs, targets) = AllSamples(dataset, "Transform");
        var transformed = Transform(inputs);
        return dataset is ClassificationDataset c
            ? new ClassificationDataset(transformed, targets, c.ClassNames, c.Name, c.Citation)
            : new TensorDataset(transformed, targets);
    }

    /// <summary>Every sample of a data set as one batch (one gather for in-memory data sets).</summary>
    private protected static (Tensor Inputs, Tensor Targets) AllSamples(Dataset dataset, string op)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        if (dataset.Count == 0) throw new ArgumentException($"{op}: the data set is empty.", nameof(dataset));
        return dataset.GetBatch(dataset.AllIndices());
    }

    /// <summary>
    /// The inputs as N rows of F features in double precision, for fitting, and the feature shape.
    /// </summary>
    private protected static (double[] Data, int N, int F, int[] FeatureShape) Rows(Tensor inputs, string op)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        if (inputs.Rank == 0 || inputs.shape[0] == 0)
            throw new ArgumentException($"{op}: fitting needs inputs of shape (N, ...) with N ≥ 1, but got shape {Shapes.Format(inputs.shape)}.", nameof(inputs));
        int n = inputs.shape[0];
        return (inputs.ToDoubleArray(), n, inputs.NumEl / n, inputs.shape[1..]);
    }

    /// <summary>A tensor of the feature shape holding <paramref name="values"/>, in float32 like the data it scales.</summary>
    private protected static Tensor FeatureTensor(double[] values, int[] featureShape)
    {
        var data = new float[values.Length];
        for (int f = 0; f < data.Length; f++) data[f] = (float)values[f];
        return Tensor.FromArray(data, data.Length).Reshape(featureShape);
    }

    private string SampleShape() => featureShape.Length == 0 ? "(N,)" : $"(N, {string.Join(", ", featureShape)})";

    private void CheckShape(Tensor inputs, string op)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        if (inputs.Rank != featureShape.Length + 1 || !inputs.shape.AsSpan(1).SequenceEqual(featureShape))
            throw new ArgumentException(
                $"{GetType().Name}.{op}: expected inputs of shape {SampleShape()} as in the data it was fitted on, but got shape {Shapes.Format(inputs.shape)}.",
                nameof(inputs));
    }
}
