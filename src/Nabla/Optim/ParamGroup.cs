using Nabla.NN;

namespace Nabla.Optim;

/// <summary>
/// Parameters that share hyperparameters: one entry of PyTorch's <c>optimizer.param_groups</c>.
/// </summary>
/// <remarks>
/// Options are numbers keyed by PyTorch's names (<c>lr</c>, <c>momentum</c>, <c>weight_decay</c>, ...); Adam's
/// <c>betas</c> pair is split into <c>beta1</c> and <c>beta2</c>, and switches (<c>nesterov</c>, <c>amsgrad</c>, ...)
/// are stored as 0 or 1. Before the group is given to an optimizer it holds only the options it overrides:
/// <code>
/// var head = new ParamGroup(model.Head.Parameters()) { ["lr"] = 1e-3 };
/// var opt = new SGD([new ParamGroup(model.Body.Parameters()), head], lr: 0.1, momentum: 0.9);
/// </code>
/// Once added, it holds every option of the optimizer (the rest from its defaults), and setting an option
/// checks the name and the value, so a scheduler or a user can change <c>lr</c> or <c>momentum</c> between steps.
/// </remarks>
public sealed class ParamGroup
{
    private readonly Parameter[] parameters;
    private readonly List<string> names = new(8);
    private readonly List<double> values = new(8);
    private Optimizer? owner;

    /// <summary>A group of <paramref name="parameters"/> with no option of its own yet.</summary>
    public ParamGroup(IEnumerable<Parameter> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        this.parameters = parameters.ToArray();
        for (int i = 0; i < this.parameters.Length; i++)
            if (this.parameters[i] is null) throw new ArgumentException($"ParamGroup: parameter {i} is null.", nameof(parameters));
    }

    /// <summary>A group of <paramref name="parameters"/> overriding the given options (e.g. <c>{ ["lr"] = 1e-3 }</c>).</summary>
    public ParamGroup(IEnumerable<Parameter> parameters, IEnumerable<KeyValuePair<string, double>> options) : this(parameters)
    {
        foreach (var (name, value) in options) this[name] = value;
    }

    /// <summary>The parameters, in the order given (which numbers them in the optimizer's state dict).</summary>
    public IReadOnlyList<Parameter> Parameters => parameters;

    internal Parameter[] ParameterArray => parameters;

    /// <summary>The group's learning rate (option <c>lr</c>).</summary>
    public double LearningRate
    {
        get => this["lr"];
        set => this["lr"] = value;
    }

    /// <summary>The options with their values, in the optimizer's order once the group is added.</summary>
    public IReadOnlyList<KeyValuePair<string, double>> Options
    {
        get
        {
            var result = new KeyValuePair<string, double>[names.Count];
            for (int i = 0; i < result.Length; i++) result[i] = new(names[i], values[i]);
            return result;
        }
    }

    /// <summary>True when the group has option <paramref name="name"/>.</summary>
    public bool Contains(string name) => IndexOf(name) >= 0;

    /// <summary>
    /// The value of option <paramref name="name"/>. Setting it on a group that belongs to an optimizer checks that
    /// the optimizer has that option and accepts the value (an <see cref="ArgumentException"/> otherwise, and the
    /// old value stays).
    /// </summary>
    /// <exception cref="KeyNotFoundException">The group has no such option.</exception>
    public double this[string name]
    {
        get
        {
            int i = IndexOf(name);
            if (i < 0)
                throw new KeyNotFoundException($"This parameter group has no option '{name}'; it has: {string.Join(", ", names)}.");
            return values[i];
        }
        set
        {
            ArgumentNullException.ThrowIfNull(name);
            int i = IndexOf(name);
            if (owner is null)
            {
                if (i < 0) { names.Add(name); values.Add(value); }
                else values[i] = value;
                return;
            }
            if (i < 0)
                throw new ArgumentException($"{owner.Name} has no option '{name}'; its options are: {string.Join(", ", names)}.", nameof(name));
            double old = values[i];
            values[i] = value;
            try
            {
                owner.ValidateGroup(this);
            }
            catch
            {
                values[i] = old;
                throw;
            }
        }
    }

    /// <summary>The option <paramref name="name"/> read as a switch (non-zero is true).</summary>
    public bool GetFlag(string name) => this[name] != 0;

    internal bool IsAttached => owner is not null;

    /// <summary>Fills in the optimizer's defaults in its option order and binds the group to it (unknown names were checked by the caller).</summary>
    internal void Attach(Optimizer optimizer, IReadOnlyList<OptimizerOption> defaults)
    {
        var given = new Dictionary<string, double>();
        for (int i = 0; i < names.Count; i++) given[names[i]] = values[i];
        names.Clear();
        values.Clear();
        foreach (var option in defaults)
        {
            names.Add(option.Name);
            values.Add(given.TryGetValue(option.Name, out var v) ? v : option.Default);
        }
        owner = optimizer;
    }

    /// <summary>
    /// Sets an existing option without checking its value: schedulers write the values their formula gives, as
    /// PyTorch does (OneCycleLR's final step extrapolates past the end of the cycle, e.g. to a slightly negative rate).
    /// </summary>
    internal void SetUnchecked(string name, double value)
    {
        int i = IndexOf(name);
        if (i < 0) throw new KeyNotFoundException($"This parameter group has no option '{name}'; it has: {string.Join(", ", names)}.");
        values[i] = value;
    }

    /// <summary>Replaces every value at once (LoadStateDict, after checking).</summary>
    internal void SetAll(IReadOnlyList<double> newValues)
    {
        for (int i = 0; i < values.Count; i++) values[i] = newValues[i];
    }

    private int IndexOf(string name)
    {
        for (int i = 0; i < names.Count; i++)
            if (string.Equals(names[i], name, StringComparison.Ordinal)) return i;
        return -1;
    }
}
