namespace Nabla.NN;

/// <summary>
/// Batch normalization of (N, C, H, W) feature maps (<c>torch.nn.BatchNorm2d</c>): per channel c,
/// y = (x - mean_c) / sqrt(var_c + eps) * weight_c + bias_c, with the statistics over N, H and W.
/// </summary>
/// <remarks>Running estimates, training and evaluation behave as <see cref="BatchNormBase"/> describes.</remarks>
public class BatchNorm2d : BatchNormBase
{
    /// <summary>Creates the layer with weight 1, bias 0, running mean 0 and running variance 1.</summary>
    /// <param name="numFeatures">C, the number of channels.</param>
    /// <param name="eps">Added to the variance for numerical stability.</param>
    /// <param name="momentum">The weight of each new batch in the running estimates, or null for a cumulative average.</param>
    /// <param name="affine">Whether to learn a per-channel weight and bias.</param>
    /// <param name="trackRunningStats">Whether to keep running estimates for evaluation.</param>
    /// <exception cref="ArgumentOutOfRangeException">numFeatures or eps is negative.</exception>
    public BatchNorm2d(int numFeatures, double eps = 1e-5, double? momentum = 0.1, bool affine = true, bool trackRunningStats = true)
        : base(numFeatures, eps, momentum, affine, trackRunningStats)
    {
    }

    /// <inheritdoc/>
    protected override void CheckRank(Tensor input)
    {
        if (input.Rank != 4)
        {
            string hint = input.Rank == 3 ? "; for one unbatched (C, H, W) sample use input.Unsqueeze(0)" : "";
            throw new ArgumentException($"BatchNorm2d: expected a 4-D input (N, C, H, W), got shape {Shapes.Format(input.shape)}{hint}.");
        }
    }
}
