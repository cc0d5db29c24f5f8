namespace Nabla.Data;

/// <summary>
/// Min-max scaling, as scikit-learn's <c>MinMaxScaler</c>: y = (x - min) / (max - min) per feature, with the
/// minimum and maximum fitted on the training samples only, so training features land in [0, 1] (other data
/// may fall slightly outside).
/// </summary>
/// <remarks>A feature that is constant in the training data (max = min) is shifted but not scaled: it becomes 0.</remarks>
public sealed class MinMaxScaler : FeatureScaler
{
    private MinMaxScaler(Tensor min, Tensor max, Tensor scale) : base(min, scale) => Max = max;

    /// <summary>The fitted minimum of each feature, shape (...): the same tensor as <see cref="FeatureScaler.Shift"/>.</summary>
    public Tensor Min => Shift;

    /// <summary>The fitted maximum of each feature, shape (...).</summary>
    public Tensor Max { get; }

    /// <summary>Fits the minimum and maximum of each feature over the samples (dim 0) of <paramref name="inputs"/>, shape (N, ...).</summary>
    /// <exception cref="ArgumentException">There are no samples, or a value is NaN.</exception>
    public static MinMaxScaler Fit(Tensor inputs)
    {
        var (x, n, features, featureShape) = Rows(inputs, "MinMaxScaler.Fit");
        var min = x.AsSpan(0, features).ToArray();
        var max = x.AsSpan(0, features).ToArray();
        for (int i = 1; i < n; i++)
        {
            var row = x.AsSpan(i * features, features);
            for (int f = 0; f < features; f++)
            {
                min[f] = Math.Min(min[f], row[f]);
                max[f] = Math.Max(max[f], row[f]);
            }
        }
        var scale = new double[features];
        for (int f = 0; f < features; f++)
        {
            if (double.IsNaN(min[f]))
                throw new ArgumentException($"MinMaxScaler.Fit: feature {f} holds NaN; remove or impute missing values first.", nameof(inputs));
            scale[f] = max[f] > min[f] ? max[f] - min[f] : 1;
        }
        return new MinMaxScaler(FeatureTensor(min, featureShape), FeatureTensor(max, featureShape), FeatureTensor(scale, featureShape));
    }

    /// <summary>Fits on the inputs of every sample of <paramref name="dataset"/> (pass the training part only).</summary>
    /// <exception cref="ArgumentException">The data set is empty.</exception>
    public static MinMaxScaler Fit(Dataset dataset) => Fit(AllSamples(dataset, "MinMaxScaler.Fit").Inputs);
}
