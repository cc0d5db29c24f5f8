namespace Nabla.Optim;

/// <summary>
/// Cosine annealing from each group's base rate down to <see cref="EtaMin"/> over <see cref="TMax"/> epochs, then
/// back up and down again (<c>torch.optim.lr_scheduler.CosineAnnealingLR</c>, SGDR without restarts). The closed form is
/// <code>lr(t) = eta_min + (base_lr - eta_min) * (1 + cos(pi * t / T_max)) / 2</code>
/// but, to match PyTorch exactly, each step uses its recursive form from the group's current rate:
/// <code>
/// lr(t) = eta_min + (lr(t-1) - eta_min) * (1 + cos(pi * t / T_max)) / (1 + cos(pi * (t - 1) / T_max))
/// lr(t) = lr(t-1) + (base_lr - eta_min) * (1 - cos(pi / T_max)) / 2      when (t - 1 - T_max) % (2 T_max) == 0
/// </code>
/// </summary>
public sealed class CosineAnnealingLR : LRScheduler
{
    /// <summary>Schedules <paramref name="optimizer"/>'s learning rates.</summary>
    /// <param name="optimizer">The optimizer whose learning rates are set.</param>
    /// <param name="tMax">The number of epochs of a half period (&gt;= 1).</param>
    /// <param name="etaMin">The minimum learning rate (finite, &gt;= 0).</param>
    /// <exception cref="ArgumentException">A value is out of range.</exception>
    public CosineAnnealingLR(Optimizer optimizer, int tMax, double etaMin = 0) : base(optimizer)
    {
        if (tMax < 1) throw new ArgumentException($"CosineAnnealingLR: tMax must be >= 1, got {tMax}.", nameof(tMax));
        if (!(double.IsFinite(etaMin) && etaMin >= 0)) throw new ArgumentException($"CosineAnnealingLR: etaMin must be a finite number >= 0, got {etaMin}.", nameof(etaMin));
        TMax = tMax;
        EtaMin = etaMin;
        InitialStep();
    }

    /// <summary>The number of epochs from the base rate down to <see cref="EtaMin"/>.</summary>
    public int TMax { get; }

    /// <summary>The minimum learning rate.</summary>
    public double EtaMin { get; }

    /// <inheritdoc/>
    protected override double[] ComputeLearningRates(int epoch)
    {
        var groups = Optimizer.ParamGroups;
        var lrs = new double[groups.Count];
        for (int i = 0; i < lrs.Length; i++)
        {
            double lr = groups[i].LearningRate;
            // The same expressions, in the same order, as PyTorch 1.13's get_lr.
            if (epoch == 0) lrs[i] = lr;
            else if ((epoch - 1 - TMax) % (2 * TMax) == 0)
                lrs[i] = lr + (BaseLearningRates[i] - EtaMin) * (1 - Math.Cos(Math.PI / TMax)) / 2;
            else
                lrs[i] = (1 + Math.Cos(Math.PI * epoch / TMax)) / (1 + Math.Cos(Math.PI * (epoch - 1) / TMax)) * (lr - EtaMin) + EtaMin;
        }
        return lrs;
    }
}
