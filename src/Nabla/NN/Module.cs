namespace Nabla.NN;

/// <summary>
/// The base of every layer and model (<c>torch.nn.Module</c>): it owns named parameters, buffers and child
/// modules, so that <see cref="Parameters"/>, <see cref="StateDict"/> and <see cref="Train"/> reach the whole tree.
/// </summary>
/// <remarks>
/// A subclass registers what it owns in its constructor, in the order PyTorch would (that order names the
/// state-dict entries): <c>Weight = RegisterParameter("weight", new Parameter(...))</c>,
/// <c>RegisterModule("0", layer)</c>, <c>RegisterBuffer("running_mean", ...)</c>.
/// </remarks>
public abstract class Module
{
    private readonly List<(string Name, Parameter? Value)> parameters = new();
    private readonly List<(string Name, Tensor? Value)> buffers = new();
    private readonly List<(string Name, Module Value)> children = new();

    /// <summary>Computes the module's output for <paramref name="input"/>.</summary>
    public abstract Tensor Forward(Tensor input);

    /// <summary>Calls <see cref="Forward"/>, so a module reads like a function: <c>model.Call(x)</c>.</summary>
    public Tensor Call(Tensor input) => Forward(input);

    /// <summary>True in training mode (dropout active, batch norm using batch statistics), false in evaluation mode.</summary>
    public bool IsTraining { get; private set; } = true;

    /// <summary>Switches this module and its children to training (true) or evaluation (false) mode; returns this.</summary>
    public Module Train(bool mode = true)
    {
        IsTraining = mode;
        foreach (var (_, child) in children) child.Train(mode);
        return this;
    }

    /// <summary>Switches to evaluation mode (<c>model.eval()</c>); returns this.</summary>
    public Module Eval() => Train(false);

    /// <summary>Registers a parameter under <paramref name="name"/> (null for an absent optional one, like a missing bias).</summary>
    protected TParam RegisterParameter<TParam>(string name, TParam value) where TParam : Parameter?
    {
        CheckName(name);
        parameters.Add((name, value));
        return value;
    }

    /// <summary>Registers a non-learnable tensor that is part of the state (e.g. batch norm's running mean).</summary>
    protected Tensor? RegisterBuffer(string name, Tensor? value)
    {
        CheckName(name);
        buffers.Add((name, value));
        return value;
    }

    /// <summary>Replaces a registered buffer's tensor (e.g. after updating running statistics out of place).</summary>
    protected void SetBuffer(string name, Tensor value)
    {
        int i = buffers.FindIndex(b => b.Name == name);
        if (i < 0) throw new ArgumentException($"{GetType().Name}: no buffer named '{name}'.");
        buffers[i] = (name, value);
    }

    /// <summary>Registers a child module under <paramref name="name"/>; its parameters are named <c>name.param</c>.</summary>
    protected TModule RegisterModule<TModule>(string name, TModule module) where TModule : Module
    {
        CheckName(name);
        children.Add((name, module));
        return module;
    }

    private void CheckName(string name)
    {
        if (string.IsNullOrEmpty(name) || name.Contains('.'))
            throw new ArgumentException($"{GetType().Name}: invalid name '{name}' (non-empty, no dots).");
        if (parameters.Exists(p => p.Name == name) || buffers.Exists(b => b.Name == name) || children.Exists(c => c.Name == name))
            throw new ArgumentException($"{GetType().Name}: the name '{name}' is already registered.");
    }

    /// <summary>The direct children with their names.</summary>
    public IEnumerable<(string Name, Module Module)> NamedChildren() => children;

    /// <summary>Every parameter of this module and its descendants, depth first, with PyTorch's dotted names (e.g. <c>0.weight</c>).</summary>
    public IEnumerable<(string Name, Parameter Parameter)> NamedParameters(string prefix = "")
    {
        foreach (var (name, p) in parameters)
            if (p is not null) yield return (prefix + name, p);
        foreach (var (name, child) in children)
            foreach (var item in child.NamedParameters(prefix + name + "."))
                yield return item;
    }

    /// <summary>Every parameter of this module and its descendants.</summary>
    public IEnumerable<Parameter> Parameters() => NamedParameters().Select(p => p.Parameter);

    /// <summary>Every buffer of this module and its descendants, with dotted names.</summary>
    public IEnumerable<(string Name, Tensor Buffer)> NamedBuffers(string prefix = "")
    {
        foreach (var (name, b) in buffers)
            if (b is not null) yield return (prefix + name, b);
        foreach (var (name, child) in children)
            foreach (var item in child.NamedBuffers(prefix + name + "."))
                yield return item;
    }

    /// <summary>Clears the gradient of every parameter (<c>model.zero_grad()</c>).</summary>
    public void ZeroGrad()
    {
        foreach (var p in Parameters()) p.ZeroGrad();
    }

    /// <summary>The total number of parameter elements.</summary>
    public long ParameterCount() => Parameters().Sum(p => (long)p.NumEl);

    /// <summary>
    /// The module's state as PyTorch orders it: each module's own parameters, then its buffers, then its
    /// children's, with dotted names. The tensors are the live ones (not copies).
    /// </summary>
    public IReadOnlyList<KeyValuePair<string, Tensor>> StateDict()
    {
        var result = new List<KeyValuePair<string, Tensor>>();
        CollectState("", result);
        return result;
    }

    private void CollectState(string prefix, List<KeyValuePair<string, Tensor>> result)
    {
        foreach (var (name, p) in parameters)
            if (p is not null) result.Add(new(prefix + name, p));
        foreach (var (name, b) in buffers)
            if (b is not null) result.Add(new(prefix + name, b));
        foreach (var (name, child) in children) child.CollectState(prefix + name + ".", result);
    }

    /// <summary>
    /// Copies values from <paramref name="state"/> into this module's parameters and buffers (<c>load_state_dict</c>).
    /// With <paramref name="strict"/>, every name must match both ways; shapes must always match. All mismatches
    /// are listed in one exception, and nothing is changed unless everything fits.
    /// </summary>
    public void LoadStateDict(IEnumerable<KeyValuePair<string, Tensor>> state, bool strict = true)
    {
        var own = StateDict().ToDictionary(kv => kv.Key, kv => kv.Value);
        var given = state.ToDictionary(kv => kv.Key, kv => kv.Value);
        var problems = new List<string>();
        foreach (var (name, tensor) in given)
        {
            if (!own.TryGetValue(name, out var target))
            {
                if (strict) problems.Add($"unexpected key '{name}' {Shapes.Format(tensor.shape)}");
            }
            else if (!Shapes.Equal(target.shape, tensor.shape))
            {
                problems.Add($"'{name}': shape {Shapes.Format(tensor.shape)} in the state, {Shapes.Format(target.shape)} in the model");
            }
        }
        if (strict)
            foreach (var name in own.Keys)
                if (!given.ContainsKey(name)) problems.Add($"missing key '{name}' {Shapes.Format(own[name].shape)}");
        if (problems.Count > 0)
            throw new ArgumentException($"LoadStateDict into {GetType().Name}: {problems.Count} mismatch(es):\n  " + string.Join("\n  ", problems));

        using var _ = Tensor.NoGrad();
        foreach (var (name, tensor) in given)
            if (own.TryGetValue(name, out var target)) target.CopyInPlace(tensor);
    }

    /// <summary>A one-line description of this module's configuration, e.g. <c>Linear(in_features=3, out_features=4, bias=True)</c>.</summary>
    public override string ToString() => GetType().Name + "()";
}
