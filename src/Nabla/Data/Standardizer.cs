namespace Nabla.Data;

/// <summary>
/// Standardization, as scikit-learn's <c>StandardScaler</c>: y = (x - μ) / σ per feature, with the mean μ
/// and the population standard deviation σ (divisor N) fitted on the training samples only.
/// </summary>
/// <remarks>
/// <code>
/// var (train, validation) = data.TrainValidationSplit(0.2, seed: 0);
/// var scaler = Standardizer.Fit(train);                   // statistics of the training part only
/// var trainSet = scaler.Transform(train);
/// var validationSet = scaler.Transform(validation);       // the training statistics, applied unchanged
/// </code>
/// A feature that is constant in the training data (σ = 0) is centred but not scaled (σ is replaced by 1),
/// so it becomes 0 instead of NaN, as in scikit-learn.
/// </remarks>
public sealed class Standardizer : FeatureScaler
{
    private Standardizer(Tensor mean, Tensor std, Tensor scale) : base(mean, scale) => Std = std;

    /// <summary>The fitted mean of each feature, shape (...): the same tensor as <see cref="FeatureScaler.Shift"/>.</summary>
    public Tensor Mean => Shift;

    /// <summary>The fitted standard deviation of each feature (0 for a constant feature; <see cref="FeatureScaler.Scale"/> then holds 1).</summary>
    public Tensor Std { get; }

    /// <summary>Fits the mean and standard deviation of each feature over the samples (dim 0) of <paramref name="inputs"/>, shape (N, ...).</summary>
    /// <exception cref="ArgumentException">There are no samples.</exception>
    public static Standardizer Fit(Tensor inputs)
    {
        var (x, n, features, featureShape) = Rows(inputs, "Standardizer.Fit");
        // Two passes in double: the mean first, then squared deviations from it, which avoids the
        // cancellation of E[x²] - E[x]² when the mean is large against the spread.
        var mean = new double[features];
        for (int i = 0; i < n; i++)
        {
            var row = x.AsSpan(i * features, features);
            for (int f = 0; f < features; f++) mean[f] += row[f];
        }
        for (int f = 0; f < features; f++) mean[f] /= n;

        var variance = new double[features];
        for (int i = 0; i < n; i++)
        {
            var row = x.AsSpan(i * features, features);
            for (int f = 0; f < features; f++)
            {
                double d = row[f] - mean[f];
                variance[f] += d * d;
            }
        }
        var std = new double[features];
        var scale = new double[features];
        for (int f = 0; f < features; f++)
        {
            std[f] = Math.Sqrt(variance[f] / n);
            scale[f] = std[f] == 0 ? 1 : std[f];
        }
        return new Standardizer(FeatureTensor(mean, featureShape), FeatureTensor(std, featureShape), FeatureTensor(scale, featureShape));
    }

    /// <summary>Fits on the inputs of every sample of <paramref name="dataset"/> (pass the training part only).</summary>
    /// <exception cref="ArgumentException">The data set is empty.</exception>
    public static Standardizer Fit(Dataset dataset) => Fit(AllSamples(dataset, "Standardizer.Fit").Inputs);
}
