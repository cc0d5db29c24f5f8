namespace Nabla.Optim;

/// <summary>Whether <see cref="ReduceLROnPlateau"/> watches a metric that should go down (a loss) or up (an accuracy).</summary>
public enum PlateauMode
{
    /// <summary>Lower is better.</summary>
    Min,

    /// <summary>Higher is better.</summary>
    Max,
}

/// <summary>How <see cref="ReduceLROnPlateau"/> decides that a metric improved on the best so far.</summary>
public enum ThresholdMode
{
    /// <summary>Relative: better than best * (1 - threshold) in Min mode, best * (1 + threshold) in Max mode.</summary>
    Rel,

    /// <summary>Absolute: better than best - threshold in Min mode, best + threshold in Max mode.</summary>
    Abs,
}

/// <summary>
/// Reduces the learning rates when a metric stops improving (<c>torch.optim.lr_scheduler.ReduceLROnPlateau</c>):
/// after more than <see cref="Patience"/> epochs without improvement, each group's rate becomes
/// <c>max(lr * factor, min_lr)</c> (unchanged if that changes it by eps or less), then <see cref="Cooldown"/>
/// epochs pass before bad epochs are counted again.
/// </summary>
/// <remarks>
/// As in PyTorch 1.13 this is not an <see cref="LRScheduler"/>: it steps on a metric, with <see cref="Step(double)"/>.
/// It only changes the rate when it reduces it, so it combines with anything else that sets rates.
/// </remarks>
public sealed class ReduceLROnPlateau
{
    private readonly double[] minLrs;
    private double[] lastLrs;

    /// <summary>Watches a metric for <paramref name="optimizer"/>.</summary>
    /// <param name="optimizer">The optimizer whose learning rates are reduced.</param>
    /// <param name="mode">Whether the metric should decrease (Min) or increase (Max).</param>
    /// <param name="factor">The rate is multiplied by this on a plateau, in [0, 1).</param>
    /// <param name="patience">The number of epochs without improvement tolerated before reducing (&gt;= 0).</param>
    /// <param name="threshold">How much better than the best a metric must be to count as an improvement (finite, &gt;= 0).</param>
    /// <param name="thresholdMode">Whether the threshold is relative or absolute.</param>
    /// <param name="cooldown">Epochs to wait after a reduction before counting bad epochs again (&gt;= 0).</param>
    /// <param name="minLr">The lower bound of every group's rate (finite, &gt;= 0).</param>
    /// <param name="eps">A reduction smaller than or equal to this is skipped (finite, &gt;= 0).</param>
    /// <exception cref="ArgumentException">A value is out of range.</exception>
    public ReduceLROnPlateau(Optimizer optimizer, PlateauMode mode = PlateauMode.Min, double factor = 0.1, int patience = 10,
        double threshold = 1e-4, ThresholdMode thresholdMode = ThresholdMode.Rel, int cooldown = 0, double minLr = 0, double eps = 1e-8)
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        if (!(factor >= 0 && factor < 1)) throw new ArgumentException($"ReduceLROnPlateau: factor must be in [0, 1), got {factor}.", nameof(factor));
        if (patience < 0) throw new ArgumentException($"ReduceLROnPlateau: patience must be >= 0, got {patience}.", nameof(patience));
        if (!(double.IsFinite(threshold) && threshold >= 0)) throw new ArgumentException($"ReduceLROnPlateau: threshold must be a finite number >= 0, got {threshold}.", nameof(threshold));
        if (cooldown < 0) throw new ArgumentException($"ReduceLROnPlateau: cooldown must be >= 0, got {cooldown}.", nameof(cooldown));
        if (!(double.IsFinite(minLr) && minLr >= 0)) throw new ArgumentException($"ReduceLROnPlateau: minLr must be a finite number >= 0, got {minLr}.", nameof(minLr));
        if (!(double.IsFinite(eps) && eps >= 0)) throw new ArgumentException($"ReduceLROnPlateau: eps must be a finite number >= 0, got {eps}.", nameof(eps));
        if (!Enum.IsDefined(mode)) throw new ArgumentException($"ReduceLROnPlateau: unknown mode {mode}.", nameof(mode));
        if (!Enum.IsDefined(thresholdMode)) throw new ArgumentException($"ReduceLROnPlateau: unknown threshold mode {thresholdMode}.", nameof(thresholdMode));
        Optimizer = optimizer;
        Mode = mode;
        Factor = factor;
        Patience = patience;
        Threshold = threshold;
        ThresholdMode = thresholdMode;
        Cooldown = cooldown;
        Eps = eps;
        minLrs = new double[optimizer.ParamGroups.Count];
        Array.Fill(minLrs, minLr);
        lastLrs = new double[minLrs.Length];
        for (int i = 0; i < lastLrs.Length; i++) lastLrs[i] = optimizer.ParamGroups[i].LearningRate;
        Best = mode == PlateauMode.Min ? double.PositiveInfinity : double.NegativeInfinity;
    }

    /// <summary>The optimizer whose learning rates are reduced.</summary>
    public Optimizer Optimizer { get; }

    /// <summary>Whether lower or higher is better.</summary>
    public PlateauMode Mode { get; }

    /// <summary>The factor applied to the rate on a plateau.</summary>
    public double Factor { get; }

    /// <summary>The number of epochs without improvement tolerated.</summary>
    public int Patience { get; }

    /// <summary>The improvement threshold.</summary>
    public double Threshold { get; }

    /// <summary>Whether the threshold is relative or absolute.</summary>
    public ThresholdMode ThresholdMode { get; }

    /// <summary>Epochs to wait after a reduction.</summary>
    public int Cooldown { get; }

    /// <summary>The smallest reduction applied.</summary>
    public double Eps { get; }

    /// <summary>The number of <see cref="Step(double)"/> calls so far.</summary>
    public int LastEpoch { get; private set; }

    /// <summary>The best metric so far (+inf in Min mode, -inf in Max mode before the first step).</summary>
    public double Best { get; private set; }

    /// <summary>Epochs since the last improvement (reset by a reduction and during cooldown).</summary>
    public int NumBadEpochs { get; private set; }

    /// <summary>Epochs of cooldown left.</summary>
    public int CooldownCounter { get; private set; }

    /// <summary>True while bad epochs are not counted, after a reduction.</summary>
    public bool InCooldown => CooldownCounter > 0;

    /// <summary>The learning rate of the first group after the last step.</summary>
    public double LastLearningRate => lastLrs[0];

    /// <summary>Each group's learning rate after the last step.</summary>
    public IReadOnlyList<double> LastLearningRates => lastLrs;

    /// <summary>Records the epoch's <paramref name="metric"/> and reduces the learning rates if it has plateaued (PyTorch's order of checks).</summary>
    public void Step(double metric)
    {
        LastEpoch++;
        if (IsBetter(metric, Best))
        {
            Best = metric;
            NumBadEpochs = 0;
        }
        else NumBadEpochs++;
        if (InCooldown)
        {
            CooldownCounter--;
            NumBadEpochs = 0; // bad epochs in cooldown are ignored
        }
        if (NumBadEpochs > Patience)
        {
            ReduceLearningRates();
            CooldownCounter = Cooldown;
            NumBadEpochs = 0;
        }
        var groups = Optimizer.ParamGroups;
        if (lastLrs.Length != groups.Count) lastLrs = new double[groups.Count];
        for (int i = 0; i < lastLrs.Length; i++) lastLrs[i] = groups[i].LearningRate;
    }

    private void ReduceLearningRates()
    {
        var groups = Optimizer.ParamGroups;
        for (int i = 0; i < groups.Count; i++)
        {
            double old = groups[i].LearningRate;
            double reduced = Math.Max(old * Factor, i < minLrs.Length ? minLrs[i] : minLrs[^1]);
            if (old - reduced > Eps) groups[i].LearningRate = reduced;
        }
    }

    private bool IsBetter(double a, double best) => (Mode, ThresholdMode) switch
    {
        (PlateauMode.Min, ThresholdMode.Rel) => a < best * (1.0 - Threshold),
        (PlateauMode.Min, ThresholdMode.Abs) => a < best - Threshold,
        (PlateauMode.Max, ThresholdMode.Rel) => a > best * (Threshold + 1.0),
        _ => a > best + Threshold,
    };

    /// <summary>
    /// The progress as named float64 tensors: <c>last_epoch</c>, <c>best</c>, <c>num_bad_epochs</c>,
    /// <c>cooldown_counter</c> (0-d) and <c>last_lr</c> (one per group). The settings come from the constructor.
    /// </summary>
    public IReadOnlyList<KeyValuePair<string, Tensor>> StateDict() =>
    [
        SchedulerState.Entry("last_epoch", LastEpoch),
        SchedulerState.Entry("best", Best),
        SchedulerState.Entry("num_bad_epochs", NumBadEpochs),
        SchedulerState.Entry("cooldown_counter", CooldownCounter),
        SchedulerState.Entry("last_lr", lastLrs),
    ];

    /// <summary>Restores a state made by <see cref="StateDict"/> and sets each group's rate to the saved <c>last_lr</c>.</summary>
    /// <exception cref="ArgumentException">A name is missing or unexpected, or a value has the wrong shape; nothing changes.</exception>
    public void LoadStateDict(IEnumerable<KeyValuePair<string, Tensor>> stateDict)
    {
        var s = new SchedulerState(nameof(ReduceLROnPlateau), stateDict, ["last_epoch", "best", "num_bad_epochs", "cooldown_counter", "last_lr"]);
        int epoch = s.Integer("last_epoch", 0);
        double best = s.Scalar("best");
        int bad = s.Integer("num_bad_epochs", 0);
        int cooldown = s.Integer("cooldown_counter", 0);
        var last = s.PerGroup("last_lr", Optimizer.ParamGroups.Count);
        s.ThrowIfInvalid();
        for (int i = 0; i < last.Length; i++) Optimizer.ParamGroups[i].LearningRate = last[i];
        LastEpoch = epoch;
        Best = best;
        NumBadEpochs = bad;
        CooldownCounter = cooldown;
        lastLrs = last;
    }
}
