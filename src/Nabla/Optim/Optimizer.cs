using System.Globalization;
using Nabla.NN;

namespace Nabla.Optim;

/// <summary>
/// The base of every optimizer (<c>torch.optim.Optimizer</c>): it holds parameter groups with their
/// hyperparameters, per-parameter state, and applies one update rule to every parameter that has a gradient.
/// </summary>
/// <remarks>
/// The training loop is PyTorch's: <c>opt.ZeroGrad(); loss.Backward(); opt.Step();</c>. A parameter whose
/// <see cref="Tensor.Grad"/> is null is skipped by <see cref="Step"/> (its state does not advance). Updates write
/// the parameters' storage directly with fused SIMD loops: no graph is recorded and nothing is allocated
/// after the first step. Subclasses implement <see cref="StepGroup"/> and describe their state buffers.
/// </remarks>
public abstract partial class Optimizer
{
    private readonly OptimizerOption[] defaults;
    private readonly List<ParamGroup> groups = new();
    private readonly Dictionary<Parameter, ParamState> state = new(ReferenceEqualityComparer.Instance);
    private readonly HashSet<Parameter> known = new(ReferenceEqualityComparer.Instance);

    /// <summary>
    /// Makes an optimizer over <paramref name="groups"/> with the hyperparameters <paramref name="defaults"/>
    /// (a group's own options override them). Checks the defaults and every group.
    /// </summary>
    /// <exception cref="ArgumentException">A value is out of range, an option is unknown, a parameter appears twice, or there are no parameters.</exception>
    protected Optimizer(IEnumerable<ParamGroup> groups, IReadOnlyList<OptimizerOption> defaults)
    {
        ArgumentNullException.ThrowIfNull(groups);
        ArgumentNullException.ThrowIfNull(defaults);
        this.defaults = defaults.ToArray();
        var values = new double[this.defaults.Length];
        for (int i = 0; i < values.Length; i++) values[i] = this.defaults[i].Default;
        ValidateValues(values);
        foreach (var group in groups) AddGroupCore(group);
        if (known.Count == 0) throw new ArgumentException($"{Name}: the optimizer got an empty parameter list.", nameof(groups));
    }

    /// <summary>The optimizer's name in messages (its class name, e.g. <c>Adam</c>).</summary>
    public string Name => GetType().Name;

    /// <summary>The parameter groups (<c>optimizer.param_groups</c>), each with its parameters and options.</summary>
    public IReadOnlyList<ParamGroup> ParamGroups => groups;

    /// <summary>The hyperparameters with their default values (<c>optimizer.defaults</c>), in option order.</summary>
    public IReadOnlyList<OptimizerOption> Defaults => defaults;

    /// <summary>True when the optimizer has a hyperparameter named <paramref name="name"/> (e.g. <c>momentum</c>, <c>beta1</c>).</summary>
    public bool HasOption(string name) => Array.FindIndex(defaults, o => o.Name == name) >= 0;

    /// <summary>The learning rate of the first group; setting it sets every group's (option <c>lr</c>).</summary>
    public double LearningRate
    {
        get => groups[0].LearningRate;
        set
        {
            foreach (var group in groups) group.LearningRate = value;
        }
    }

    /// <summary>
    /// Adds a group of parameters (<c>add_param_group</c>), e.g. layers unfrozen during fine-tuning. Options it
    /// does not set take the optimizer's defaults.
    /// </summary>
    /// <exception cref="ArgumentException">An option is unknown or out of range, or a parameter is already optimized.</exception>
    public void AddParamGroup(ParamGroup group)
    {
        AddGroupCore(group);
        OnParamGroupAdded(group);
    }

    /// <summary>Called after <see cref="AddParamGroup"/> added <paramref name="group"/> (Adagrad makes its state eagerly here).</summary>
    protected virtual void OnParamGroupAdded(ParamGroup group) { }

    private void AddGroupCore(ParamGroup group)
    {
        ArgumentNullException.ThrowIfNull(group);
        if (group.IsAttached) throw new ArgumentException($"{Name}: this parameter group already belongs to an optimizer.", nameof(group));
        var unknown = new List<string>();
        foreach (var (name, _) in group.Options)
            if (!HasOption(name)) unknown.Add(name);
        if (unknown.Count > 0)
            throw new ArgumentException(
                $"{Name}: unknown option(s) {string.Join(", ", unknown)} in parameter group {groups.Count}; the options are: {string.Join(", ", defaults.Select(o => o.Name))}.",
                nameof(group));
        var values = new double[defaults.Length];
        for (int i = 0; i < values.Length; i++)
            values[i] = group.Contains(defaults[i].Name) ? group[defaults[i].Name] : defaults[i].Default;
        ValidateValues(values);
        var seen = new HashSet<Parameter>(ReferenceEqualityComparer.Instance);
        foreach (var p in group.ParameterArray)
        {
            if (!seen.Add(p))
                throw new ArgumentException($"{Name}: a parameter of shape {Shapes.Format(p.shape)} appears twice in parameter group {groups.Count}.", nameof(group));
            if (known.Contains(p))
                throw new ArgumentException($"{Name}: a parameter of shape {Shapes.Format(p.shape)} appears in more than one parameter group.", nameof(group));
        }
        group.Attach(this, defaults);
        known.UnionWith(seen);
        groups.Add(group);
    }

    /// <summary>
    /// The state kept for <paramref name="parameter"/> (<c>optimizer.state[p]</c>), or null before its first update.
    /// The tensors are the live ones.
    /// </summary>
    public ParamState? GetState(Parameter parameter) => state.TryGetValue(parameter, out var s) ? s : null;

    /// <summary>
    /// Clears the gradients of every optimized parameter. By default sets them to null (PyTorch 2.x's
    /// <c>zero_grad(set_to_none=True)</c>): no memory is kept or written, and the next backward allocates a fresh
    /// gradient. Note the consequence, as in PyTorch: a parameter that then gets no gradient is skipped by
    /// <see cref="Step"/>, whereas with <paramref name="setToNone"/> false it has a zero gradient and is still
    /// moved by momentum and weight decay.
    /// </summary>
    public void ZeroGrad(bool setToNone = true)
    {
        using var _ = Tensor.NoGrad();
        foreach (var group in groups)
            foreach (var p in group.ParameterArray)
            {
                if (setToNone) p.Grad = null;
                else p.Grad?.ZeroInPlace();
            }
    }

    /// <summary>Performs one update of every parameter that has a gradient, group by group.</summary>
    /// <exception cref="InvalidOperationException">A gradient's shape or dtype differs from its parameter's.</exception>
    public void Step()
    {
        for (int g = 0; g < groups.Count; g++) StepGroup(groups[g]);
    }

    /// <summary>Updates the parameters of <paramref name="group"/> that have a gradient, with the group's options.</summary>
    protected abstract void StepGroup(ParamGroup group);

    /// <summary>True when the optimizer counts updates per parameter (saved as <c>state.i.step</c>); SGD does not.</summary>
    protected virtual bool CountsSteps => true;

    /// <summary>Every name of a state buffer this optimizer can keep (e.g. <c>exp_avg</c>), in saving order.</summary>
    protected abstract IReadOnlyList<string> StateBufferNames { get; }

    /// <summary>Whether a parameter updated with these options has the buffer <paramref name="name"/> (used to check loaded state).</summary>
    protected abstract bool HasStateBuffer(string name, Func<string, double> option);

    /// <summary>
    /// Checks relations between options (e.g. SGD's nesterov needs momentum), after each option was checked
    /// against its <see cref="OptionRule"/>. Called from the base constructor too, so it must only read
    /// <paramref name="option"/>. Throws an <see cref="ArgumentException"/> naming the option and values.
    /// </summary>
    protected virtual void CheckOptions(Func<string, double> option) { }

    /// <summary>
    /// The gradient of <paramref name="parameter"/> as a contiguous tensor of its shape and dtype, or null when it
    /// has none (then the parameter is skipped).
    /// </summary>
    protected Tensor? GradientOf(Parameter parameter)
    {
        var grad = parameter.Grad;
        if (grad is null) return null;
        if (!Shapes.Equal(grad.shape, parameter.shape))
            throw new InvalidOperationException(
                $"{Name}: a parameter of shape {Shapes.Format(parameter.shape)} has a gradient of shape {Shapes.Format(grad.shape)}.");
        if (grad.DType != parameter.DType)
            throw new InvalidOperationException(
                $"{Name}: a {parameter.DType} parameter of shape {Shapes.Format(parameter.shape)} has a {grad.DType} gradient; convert one of them.");
        return grad.IsContiguous ? grad : grad.Detach().Contiguous();
    }

    /// <summary>The state of <paramref name="parameter"/>, created empty on first use.</summary>
    protected ParamState StateOf(Parameter parameter)
    {
        if (!state.TryGetValue(parameter, out var s)) state[parameter] = s = new ParamState();
        return s;
    }

    /// <summary>Adds one to the parameter's step count and returns the new count.</summary>
    protected static long AdvanceStep(ParamState parameterState) => ++parameterState.Step;

    internal void ValidateGroup(ParamGroup group)
    {
        var values = new double[defaults.Length];
        for (int i = 0; i < values.Length; i++) values[i] = group[defaults[i].Name];
        ValidateValues(values);
    }

    /// <summary>Checks values given in option order; the message names the optimizer, the option and the value.</summary>
    private void ValidateValues(double[] values)
    {
        for (int i = 0; i < defaults.Length; i++)
        {
            var o = defaults[i];
            double v = values[i];
            string? requirement = o.Rule switch
            {
                OptionRule.Finite => double.IsFinite(v) ? null : "must be a finite number",
                OptionRule.NonNegative => double.IsFinite(v) && v >= 0 ? null : "must be a finite number >= 0",
                OptionRule.Fraction => v >= 0 && v < 1 ? null : "must be in [0, 1)",
                OptionRule.Flag => v is 0 or 1 ? null : "is a switch and must be 0 or 1",
                _ => null,
            };
            if (requirement is not null)
                throw new ArgumentException($"{Name}: {o.Name} {requirement}, got {Format(v)}.", o.ArgumentName);
        }
        CheckOptions(name => values[Array.FindIndex(defaults, o => o.Name == name)]);
    }

    private protected static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
