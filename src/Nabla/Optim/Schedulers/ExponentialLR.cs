namespace Nabla.Optim;

/// <summary>
/// Multiplies each group's learning rate by <see cref="Gamma"/> every epoch
/// (<c>torch.optim.lr_scheduler.ExponentialLR</c>): lr(epoch) = lr(epoch - 1) * gamma = base_lr * gamma^epoch.
/// </summary>
public sealed class ExponentialLR : LRScheduler
{
    /// <summary>Schedules <paramref name="optimizer"/>'s learning rates.</summary>
    /// <param name="optimizer">The optimizer whose learning rates are set.</param>
    /// <param name="gamma">The multiplicative factor of decay (finite, &gt;= 0).</param>
    /// <exception cref="ArgumentException"><paramref name="gamma"/> is out of range.</exception>
    public ExponentialLR(Optimizer optimizer, double gamma) : base(optimizer)
    {
        if (!(double.IsFinite(gamma) && gamma >= 0)) throw new ArgumentException($"ExponentialLR: gamma must be a finite number >= 0, got {gamma}.", nameof(gamma));
        Gamma = gamma;
        InitialStep();
    }

    /// <summary>The multiplicative factor of decay.</summary>
    public double Gamma { get; }

    /// <inheritdoc/>
    protected override double[] ComputeLearningRates(int epoch)
    {
        var groups = Optimizer.ParamGroups;
        var lrs = new double[groups.Count];
        for (int i = 0; i < lrs.Length; i++) lrs[i] = epoch == 0 ? groups[i].LearningRate : groups[i].LearningRate * Gamma;
        return lrs;
    }
}
