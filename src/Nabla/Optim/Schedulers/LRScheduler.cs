namespace Nabla.Optim;

/// <summary>
/// The base of the epoch-driven learning-rate schedulers (<c>torch.optim.lr_scheduler._LRScheduler</c>):
/// each <see cref="Step"/> advances <see cref="LastEpoch"/> by one and sets every parameter group's learning rate.
/// </summary>
/// <remarks>
/// Call <see cref="Step"/> after <c>optimizer.Step()</c>, once per epoch (or per batch for <see cref="OneCycleLR"/>).
/// Making a scheduler already performs step 0, as in PyTorch: it sets the learning rates of epoch 0.
/// Like PyTorch's default (chainable) form, most schedulers compute the next rate from each group's current
/// rate, so values match PyTorch's to the last bit and changes made by others carry over.
/// For <see cref="ReduceLROnPlateau"/>, which steps on a metric, see that class.
/// </remarks>
public abstract class LRScheduler
{
    private double[] baseLrs;
    private double[] lastLrs;

    /// <summary>Attaches to <paramref name="optimizer"/> and records each group's current learning rate as its base rate.</summary>
    /// <remarks>A subclass calls <see cref="InitialStep"/> at the end of its constructor.</remarks>
    protected LRScheduler(Optimizer optimizer) : this(optimizer, CurrentRates(optimizer)) { }

    /// <summary>Attaches to <paramref name="optimizer"/> with the given base rates, one per group (OneCycleLR's max_lr / div_factor).</summary>
    protected LRScheduler(Optimizer optimizer, IReadOnlyList<double> baseLearningRates)
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        ArgumentNullException.ThrowIfNull(baseLearningRates);
        if (baseLearningRates.Count != optimizer.ParamGroups.Count)
            throw new ArgumentException($"{GetType().Name}: {baseLearningRates.Count} base rates for {optimizer.ParamGroups.Count} parameter groups.", nameof(baseLearningRates));
        Optimizer = optimizer;
        baseLrs = baseLearningRates.ToArray();
        lastLrs = CurrentRates(optimizer);
        LastEpoch = -1;
    }

    private static double[] CurrentRates(Optimizer optimizer)
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        var rates = new double[optimizer.ParamGroups.Count];
        for (int i = 0; i < rates.Length; i++) rates[i] = optimizer.ParamGroups[i].LearningRate;
        return rates;
    }

    /// <summary>The optimizer whose learning rates this scheduler sets.</summary>
    public Optimizer Optimizer { get; }

    /// <summary>The number of <see cref="Step"/> calls since construction (0 right after it; PyTorch's <c>last_epoch</c>).</summary>
    public int LastEpoch { get; private set; }

    /// <summary>Each group's learning rate when the scheduler was made (PyTorch's <c>base_lrs</c>).</summary>
    public IReadOnlyList<double> BaseLearningRates => baseLrs;

    /// <summary>The learning rate of the first group set by the last step (<c>get_last_lr()[0]</c>).</summary>
    public double LastLearningRate => lastLrs[0];

    /// <summary>Each group's learning rate set by the last step (<c>get_last_lr()</c>).</summary>
    public IReadOnlyList<double> LastLearningRates => lastLrs;

    /// <summary>
    /// Advances one epoch and sets each group's learning rate to the schedule's value, written as computed (not
    /// checked like a user's assignment), as PyTorch does.
    /// </summary>
    /// <exception cref="InvalidOperationException">The optimizer's groups changed in number, or the schedule is over (<see cref="OneCycleLR"/>).</exception>
    public void Step()
    {
        var groups = Optimizer.ParamGroups;
        if (groups.Count != baseLrs.Length)
            throw new InvalidOperationException(
                $"{GetType().Name}: the optimizer has {groups.Count} parameter group(s) but the scheduler was made for {baseLrs.Length}.");
        int epoch = LastEpoch + 1;
        var lrs = ComputeLearningRates(epoch);
        LastEpoch = epoch;
        for (int i = 0; i < lrs.Length; i++) groups[i].SetUnchecked("lr", lrs[i]);
        for (int i = 0; i < lrs.Length; i++) lastLrs[i] = groups[i].LearningRate;
    }

    /// <summary>
    /// The learning rate of each group for <paramref name="epoch"/> (PyTorch's <c>get_lr</c>); it may read the groups'
    /// current rates. Called by <see cref="Step"/> before <see cref="LastEpoch"/> changes, so it may throw safely.
    /// </summary>
    protected abstract double[] ComputeLearningRates(int epoch);

    /// <summary>Performs step 0, as PyTorch's constructor does; the last line of a subclass constructor.</summary>
    protected void InitialStep() => Step();

    /// <summary>
    /// The scheduler's progress as named tensors (float64): <c>last_epoch</c> (0-d), <c>base_lrs</c> and <c>last_lr</c>
    /// (one value per group). Hyperparameters (step size, gamma, ...) are not included: they come from the
    /// constructor, so resume by making the scheduler with the same arguments and loading this.
    /// </summary>
    public IReadOnlyList<KeyValuePair<string, Tensor>> StateDict() =>
    [
        SchedulerState.Entry("last_epoch", LastEpoch),
        SchedulerState.Entry("base_lrs", baseLrs),
        SchedulerState.Entry("last_lr", lastLrs),
    ];

    /// <summary>
    /// Restores a state made by <see cref="StateDict"/>, and sets each group's learning rate to the saved
    /// <c>last_lr</c>, so the next <see cref="Step"/> continues exactly where the saved run was, whether the
    /// optimizer's own state was loaded before or after.
    /// </summary>
    /// <exception cref="ArgumentException">A name is missing or unexpected, or a value has the wrong shape; nothing changes.</exception>
    public virtual void LoadStateDict(IEnumerable<KeyValuePair<string, Tensor>> stateDict)
    {
        var s = new SchedulerState(GetType().Name, stateDict, ["last_epoch", "base_lrs", "last_lr"]);
        int epoch = s.Integer("last_epoch", 0);
        var bases = s.PerGroup("base_lrs", baseLrs.Length);
        var last = s.PerGroup("last_lr", baseLrs.Length);
        s.ThrowIfInvalid();
        var groups = Optimizer.ParamGroups;
        for (int i = 0; i < last.Length; i++) groups[i].SetUnchecked("lr", last[i]);
        LastEpoch = epoch;
        baseLrs = bases;
        lastLrs = last;
    }
}
