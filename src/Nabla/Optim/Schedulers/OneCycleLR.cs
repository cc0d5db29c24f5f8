namespace Nabla.Optim;

/// <summary>How <see cref="OneCycleLR"/> moves between two values within a phase.</summary>
public enum AnnealStrategy
{
    /// <summary>Cosine: value = end + (start - end) / 2 * (1 + cos(pi * pct)).</summary>
    Cos,

    /// <summary>Linear: value = (end - start) * pct + start.</summary>
    Linear,
}

/// <summary>
/// The 1cycle policy ("Super-Convergence", <c>torch.optim.lr_scheduler.OneCycleLR</c>), stepped once per batch:
/// the learning rate rises from max_lr / divFactor to max_lr over the first pctStart of the steps, then falls
/// to max_lr / divFactor / finalDivFactor; the momentum (SGD's and RMSprop's <c>momentum</c>, Adam's <c>beta1</c>)
/// moves the opposite way between maxMomentum and baseMomentum. With threePhase, the rate comes back down
/// symmetrically to the start before the final decay, and the momentum likewise.
/// </summary>
/// <remarks>
/// Phase k covers steps (end[k-1], end[k]] with end = [pctStart * total - 1, total - 1] (three phases:
/// [pctStart * total - 1, 2 * pctStart * total - 2, total - 1]); within a phase,
/// pct = (step - end[k-1]) / (end[k] - end[k-1]) and each value is annealed from its start to its end.
/// Values match PyTorch 1.13's to the last bit. Stepping more than totalSteps times throws, as in PyTorch.
/// </remarks>
public sealed class OneCycleLR : LRScheduler
{
    private const int InitialLr = 0, MaxLr = 1, MinLr = 2, MaxMomentum = 3, BaseMomentum = 4;
    private readonly (double EndStep, int StartLr, int EndLr, int StartMomentum, int EndMomentum)[] phases;
    private readonly double[][] values; // per group: initial_lr, max_lr, min_lr, max_momentum, base_momentum
    private readonly string? momentumOption;

    /// <summary>Schedules <paramref name="optimizer"/>'s learning rates (and momentum) over <paramref name="totalSteps"/> steps.</summary>
    /// <param name="optimizer">The optimizer whose learning rates (and momentum) are set.</param>
    /// <param name="maxLr">The peak learning rate of every group (finite, &gt; 0).</param>
    /// <param name="totalSteps">The number of steps in the cycle (&gt;= 1), usually epochs * batches per epoch.</param>
    /// <param name="pctStart">The fraction of the steps spent increasing the learning rate, in [0, 1].</param>
    /// <param name="annealStrategy">Cosine or linear annealing within each phase.</param>
    /// <param name="cycleMomentum">Cycle the momentum (or Adam's beta1) inversely to the learning rate.</param>
    /// <param name="baseMomentum">The lowest momentum, reached at the peak learning rate.</param>
    /// <param name="maxMomentum">The highest momentum, at the start and the end of the cycle.</param>
    /// <param name="divFactor">The initial learning rate is maxLr / divFactor (&gt; 0).</param>
    /// <param name="finalDivFactor">The final learning rate is the initial one / finalDivFactor (&gt; 0).</param>
    /// <param name="threePhase">Use three phases (up, back down to the initial rate, then the final decay) instead of two.</param>
    /// <exception cref="ArgumentException">A value is out of range, a phase would have zero length, or momentum cycling is asked of an optimizer without momentum (Adagrad).</exception>
    public OneCycleLR(Optimizer optimizer, double maxLr, int totalSteps, double pctStart = 0.3, AnnealStrategy annealStrategy = AnnealStrategy.Cos,
        bool cycleMomentum = true, double baseMomentum = 0.85, double maxMomentum = 0.95, double divFactor = 25, double finalDivFactor = 1e4,
        bool threePhase = false)
        : base(optimizer, InitialRates(optimizer, maxLr, divFactor))
    {
        if (totalSteps < 1) throw new ArgumentException($"OneCycleLR: totalSteps must be >= 1, got {totalSteps}.", nameof(totalSteps));
        if (!(pctStart >= 0 && pctStart <= 1)) throw new ArgumentException($"OneCycleLR: pctStart must be in [0, 1], got {pctStart}.", nameof(pctStart));
        if (!(double.IsFinite(finalDivFactor) && finalDivFactor > 0)) throw new ArgumentException($"OneCycleLR: finalDivFactor must be a finite number > 0, got {finalDivFactor}.", nameof(finalDivFactor));
        if (!Enum.IsDefined(annealStrategy)) throw new ArgumentException($"OneCycleLR: unknown anneal strategy {annealStrategy}.", nameof(annealStrategy));
        TotalSteps = totalSteps;
        AnnealStrategy = annealStrategy;
        phases = threePhase
            ? [
                (pctStart * totalSteps - 1, InitialLr, MaxLr, MaxMomentum, BaseMomentum),
                (2 * pctStart * totalSteps - 2, MaxLr, InitialLr, BaseMomentum, MaxMomentum),
                (totalSteps - 1, InitialLr, MinLr, MaxMomentum, MaxMomentum),
            ]
            : [
                (pctStart * totalSteps - 1, InitialLr, MaxLr, MaxMomentum, BaseMomentum),
                (totalSteps - 1, MaxLr, MinLr, BaseMomentum, MaxMomentum),
            ];
        CheckPhaseLengths(pctStart, totalSteps);

        if (cycleMomentum)
        {
            momentumOption = optimizer.HasOption("beta1") ? "beta1" : optimizer.HasOption("momentum") ? "momentum"
                : throw new ArgumentException(
                    $"OneCycleLR: cycleMomentum needs an optimizer with momentum or betas, and {optimizer.Name} has neither; pass cycleMomentum: false.",
                    nameof(cycleMomentum));
            if (!(double.IsFinite(baseMomentum) && baseMomentum >= 0)) throw new ArgumentException($"OneCycleLR: baseMomentum must be a finite number >= 0, got {baseMomentum}.", nameof(baseMomentum));
            if (!(double.IsFinite(maxMomentum) && maxMomentum >= 0)) throw new ArgumentException($"OneCycleLR: maxMomentum must be a finite number >= 0, got {maxMomentum}.", nameof(maxMomentum));
        }
        var groups = optimizer.ParamGroups;
        values = new double[groups.Count][];
        for (int g = 0; g < groups.Count; g++)
        {
            double initial = maxLr / divFactor;
            values[g] = [initial, maxLr, initial / finalDivFactor, maxMomentum, baseMomentum];
            if (momentumOption is not null) groups[g][momentumOption] = maxMomentum;
        }
        InitialStep();
    }

    /// <summary>The number of steps in the cycle.</summary>
    public int TotalSteps { get; }

    /// <summary>How values move within a phase.</summary>
    public AnnealStrategy AnnealStrategy { get; }

    /// <summary>The group option that is cycled (<c>momentum</c> or <c>beta1</c>), or null without momentum cycling.</summary>
    public string? MomentumOption => momentumOption;

    private static double[] InitialRates(Optimizer optimizer, double maxLr, double divFactor)
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        if (!(double.IsFinite(maxLr) && maxLr > 0)) throw new ArgumentException($"OneCycleLR: maxLr must be a finite number > 0, got {maxLr}.", nameof(maxLr));
        if (!(double.IsFinite(divFactor) && divFactor > 0)) throw new ArgumentException($"OneCycleLR: divFactor must be a finite number > 0, got {divFactor}.", nameof(divFactor));
        var rates = new double[optimizer.ParamGroups.Count];
        Array.Fill(rates, maxLr / divFactor);
        return rates;
    }

    /// <summary>A phase that some step enters with zero length would divide by zero (PyTorch fails there too): refuse it up front.</summary>
    private void CheckPhaseLengths(double pctStart, int totalSteps)
    {
        double start = 0;
        for (int k = 0; k < phases.Length; k++)
        {
            double end = phases[k].EndStep;
            bool reachable = k == 0 ? end >= 0 : k == phases.Length - 1 && start < totalSteps;
            if (end == start && reachable)
                throw new ArgumentException(
                    $"OneCycleLR: with pctStart = {pctStart} and totalSteps = {totalSteps}, phase {k + 1} would span zero steps; change pctStart.", nameof(pctStart));
            start = end;
        }
    }

    /// <inheritdoc/>
    protected override double[] ComputeLearningRates(int epoch)
    {
        if (epoch > TotalSteps)
            throw new InvalidOperationException($"OneCycleLR: tried to step {epoch + 1} times; the specified number of total steps is {TotalSteps}.");
        var groups = Optimizer.ParamGroups;
        var lrs = new double[groups.Count];
        for (int g = 0; g < lrs.Length; g++)
        {
            var (lr, momentum) = Evaluate(epoch, values[g]);
            lrs[g] = lr;
            if (momentumOption is not null) groups[g].SetUnchecked(momentumOption, momentum);
        }
        return lrs;
    }

    /// <summary>Restores the state and sets each group's momentum for the restored step, as <see cref="LRScheduler.LoadStateDict"/> does the rates.</summary>
    public override void LoadStateDict(IEnumerable<KeyValuePair<string, Tensor>> stateDict)
    {
        base.LoadStateDict(stateDict);
        if (momentumOption is null) return;
        var groups = Optimizer.ParamGroups;
        for (int g = 0; g < groups.Count; g++) groups[g].SetUnchecked(momentumOption, Evaluate(LastEpoch, values[g]).Momentum);
    }

    private (double Lr, double Momentum) Evaluate(int step, double[] v)
    {
        double start = 0;
        for (int k = 0; k < phases.Length; k++)
        {
            var phase = phases[k];
            if (step <= phase.EndStep || k == phases.Length - 1)
            {
                double pct = (step - start) / (phase.EndStep - start);
                return (Anneal(v[phase.StartLr], v[phase.EndLr], pct), Anneal(v[phase.StartMomentum], v[phase.EndMomentum], pct));
            }
            start = phase.EndStep;
        }
        throw new InvalidOperationException("unreachable: the last phase always matches");
    }

    private double Anneal(double start, double end, double pct) => AnnealStrategy == AnnealStrategy.Cos
        ? end + (start - end) / 2.0 * (Math.Cos(Math.PI * pct) + 1)
        : (end - start) * pct + start;
}
