namespace Nabla.NN;

/// <summary>
/// What <see cref="BatchNorm1d"/> and <see cref="BatchNorm2d"/> share (PyTorch's <c>_BatchNorm</c>): per channel c,
/// y = (x - mean_c) / sqrt(var_c + eps) * weight_c + bias_c, with the statistics over every dimension but the channels.
/// </summary>
/// <remarks>
/// In training mode mean and var are the batch's (var biased) and the running estimates are updated:
/// running = (1 - momentum) * running + momentum * batch, with the unbiased variance (m / (m - 1) * var, m the values
/// per channel) for running_var, and num_batches_tracked counts the updates. With momentum null the estimates are the
/// cumulative average (momentum = 1 / num_batches_tracked). In evaluation mode the running estimates are used. Without
/// track_running_stats there are none and the batch statistics are used in both modes. Parameters and buffers are
/// named and ordered as PyTorch's state dict: weight, bias, running_mean, running_var, num_batches_tracked. The work
/// is the fused batch-norm op (<see cref="Functional.BatchNorm"/>).
/// </remarks>
public abstract class BatchNormBase : Module
{
    /// <summary>Creates the layer with weight 1, bias 0, running mean 0 and running variance 1.</summary>
    /// <param name="numFeatures">C, the number of channels.</param>
    /// <param name="eps">Added to the variance for numerical stability.</param>
    /// <param name="momentum">The weight of each new batch in the running estimates, or null for a cumulative average.</param>
    /// <param name="affine">Whether to learn a per-channel weight and bias.</param>
    /// <param name="trackRunningStats">Whether to keep running estimates for evaluation.</param>
    /// <exception cref="ArgumentOutOfRangeException">numFeatures or eps is negative.</exception>
    protected BatchNormBase(int numFeatures, double eps, double? momentum, bool affine, bool trackRunningStats)
    {
        if (numFeatures < 0) throw new ArgumentOutOfRangeException(nameof(numFeatures), $"{GetType().Name}: num_features must be non-negative, got {numFeatures}.");
        if (!(eps >= 0)) throw new ArgumentOutOfRangeException(nameof(eps), $"{GetType().Name}: eps must be non-negative, got {eps}.");
        NumFeatures = numFeatures;
        Eps = eps;
        Momentum = momentum;
        Affine = affine;
        TrackRunningStats = trackRunningStats;
        RegisterParameter("weight", affine ? new Parameter(Tensor.Ones(numFeatures)) : null);
        RegisterParameter("bias", affine ? new Parameter(Tensor.Zeros(numFeatures)) : null);
        RegisterBuffer("running_mean", trackRunningStats ? Tensor.Zeros(numFeatures) : null);
        RegisterBuffer("running_var", trackRunningStats ? Tensor.Ones(numFeatures) : null);
        RegisterBuffer("num_batches_tracked", trackRunningStats ? Tensor.Scalar(0f) : null);
    }

    /// <summary>C, the number of channels.</summary>
    public int NumFeatures { get; }

    /// <summary>Added to the variance for numerical stability.</summary>
    public double Eps { get; }

    /// <summary>The weight of each new batch in the running estimates; null for a cumulative average.</summary>
    public double? Momentum { get; set; }

    /// <summary>Whether the layer has a learned weight and bias.</summary>
    public bool Affine { get; }

    /// <summary>Whether the layer keeps running estimates.</summary>
    public bool TrackRunningStats { get; }

    /// <summary>The per-channel scale (C,), or null without affine.</summary>
    public Parameter? Weight => GetParameter("weight");

    /// <summary>The per-channel shift (C,), or null without affine.</summary>
    public Parameter? Bias => GetParameter("bias");

    /// <summary>The running estimate of each channel's mean (C,), or null without track_running_stats.</summary>
    public Tensor? RunningMean => GetBuffer("running_mean");

    /// <summary>The running estimate of each channel's (unbiased) variance (C,), or null without track_running_stats.</summary>
    public Tensor? RunningVar => GetBuffer("running_var");

    /// <summary>How many batches have updated the running estimates (a scalar), or null without track_running_stats.</summary>
    public Tensor? NumBatchesTracked => GetBuffer("num_batches_tracked");

    /// <summary>
    /// Throws when <paramref name="input"/> does not have the rank this layer normalizes (the only difference between
    /// BatchNorm1d and BatchNorm2d: the op itself treats everything after the channels as one trailing length).
    /// </summary>
    protected abstract void CheckRank(Tensor input);

    /// <summary>Normalizes <paramref name="input"/>; in training mode also updates the running estimates.</summary>
    /// <exception cref="ArgumentException">The input has the wrong rank, another number of channels, or a single value per channel in training.</exception>
    public override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        CheckRank(input);
        if (input.shape[1] != NumFeatures)
            throw new ArgumentException($"{GetType().Name}: the input {Shapes.Format(input.shape)} has {input.shape[1]} channels (dim 1) but the layer has {NumFeatures}.");
        // Batch statistics in training, and always when there are no running estimates to use.
        bool useBatchStatistics = IsTraining || !TrackRunningStats;
        bool update = IsTraining && TrackRunningStats;
        var count = NumBatchesTracked;
        double momentum = Momentum ?? (update ? 1.0 / (count!.ItemAsDouble() + 1) : 0);
        var y = Functional.BatchNorm(input, RunningMean, RunningVar, Weight, Bias, useBatchStatistics, momentum, Eps);
        if (update)
            using (Tensor.NoGrad()) count!.CopyInPlace(count + 1f); // after the op, so a rejected input changes nothing
        return y;
    }

    /// <inheritdoc/>
    protected override string ExtraRepr() =>
        $"{NumFeatures}, eps={PyRepr.Float(Eps)}, momentum={(Momentum is double m ? PyRepr.Float(m) : "None")}, " +
        $"affine={PyRepr.Bool(Affine)}, track_running_stats={PyRepr.Bool(TrackRunningStats)}";
}

public static partial class Functional
{
    /// <summary>
    /// Batch normalization (<c>F.batch_norm</c>) of <paramref name="input"/> (N, C) or (N, C, L...) per channel:
    /// y = (x - mean) / sqrt(var + eps) * weight + bias. With <paramref name="training"/>, mean and var are the batch's
    /// (var biased) and, when given, the running estimates are updated in place, r = (1 - momentum) r + momentum s
    /// (with the unbiased variance); otherwise the running estimates are used. Weight and bias (C,) are optional.
    /// </summary>
    /// <exception cref="ArgumentException">A shape does not fit, or training with a single value per channel.</exception>
    /// <exception cref="InvalidOperationException">Not training and no running estimates given.</exception>
    public static Tensor BatchNorm(Tensor input, Tensor? runningMean, Tensor? runningVar, Tensor? weight = null, Tensor? bias = null,
                                   bool training = false, double momentum = 0.1, double eps = 1e-5)
    {
        ArgumentNullException.ThrowIfNull(input);
        return Tensor.BatchNorm(input, runningMean, runningVar, weight, bias, training, momentum, eps);
    }
}
