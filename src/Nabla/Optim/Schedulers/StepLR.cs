namespace Nabla.Optim;

/// <summary>
/// Multiplies each group's learning rate by <see cref="Gamma"/> every <see cref="StepSize"/> epochs
/// (<c>torch.optim.lr_scheduler.StepLR</c>): lr(epoch) = lr(epoch - 1) * (epoch % stepSize == 0 ? gamma : 1),
/// which is base_lr * gamma^(epoch / stepSize) (integer division).
/// </summary>
public sealed class StepLR : LRScheduler
{
    /// <summary>Schedules <paramref name="optimizer"/>'s learning rates.</summary>
    /// <param name="optimizer">The optimizer whose learning rates are set.</param>
    /// <param name="stepSize">The period of decay in epochs (&gt;= 1).</param>
    /// <param name="gamma">The multiplicative factor of decay (finite, &gt;= 0).</param>
    /// <exception cref="ArgumentException">A value is out of range.</exception>
    public StepLR(Optimizer optimizer, int stepSize, double gamma = 0.1) : base(optimizer)
    {
        if (stepSize < 1) throw new ArgumentException($"StepLR: stepSize must be >= 1, got {stepSize}.", nameof(stepSize));
        if (!(double.IsFinite(gamma) && gamma >= 0)) throw new ArgumentException($"StepLR: gamma must be a finite number >= 0, got {gamma}.", nameof(gamma));
        StepSize = stepSize;
        Gamma = gamma;
        InitialStep();
    }

    /// <summary>The period of decay in epochs.</summary>
    public int StepSize { get; }

    /// <summary>The multiplicative factor of decay.</summary>
    public double Gamma { get; }

    /// <inheritdoc/>
    protected override double[] ComputeLearningRates(int epoch)
    {
        var groups = Optimizer.ParamGroups;
        var lrs = new double[groups.Count];
        bool decay = epoch != 0 && epoch % StepSize == 0;
        for (int i = 0; i < lrs.Length; i++) lrs[i] = decay ? groups[i].LearningRate * Gamma : groups[i].LearningRate;
        return lrs;
    }
}
