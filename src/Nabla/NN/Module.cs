using System.Text;

namespace Nabla.NN;

/// <summary>
/// The base of every layer and model (<c>torch.nn.Module</c>): it owns named parameters, buffers and child
/// modules, so that <see cref="Parameters"/>, <see cref="StateDict"/> and <see cref="Train"/> reach the whole tree.
/// </summary>
/// <remarks>
/// A subclass registers what it owns in its constructor, in the order PyTorch would (that order names the
/// state-dict entries): <c>RegisterParameter("weight", new Parameter(...))</c>, <c>RegisterModule("0", layer)</c>,
/// <c>RegisterBuffer("running_mean", ...)</c>, and reads parameters and buffers back by name
/// (<c>GetParameter("weight")</c>), since <see cref="To(DType)"/> may replace them.
/// </remarks>
public abstract partial class Module
{
    private readonly List<(string Name, Parameter? Value)> parameters = new();
    private readonly List<(string Name, Tensor? Value)> buffers = new();
    private readonly List<(string Name, Module Value)> children = new();

    /// <summary>Computes the module's output for <paramref name="input"/>.</summary>
    public abstract Tensor Forward(Tensor input);

    /// <summary>
    /// Calls <see cref="Forward"/>, so a module reads like a function: <c>model.Call(x)</c> (PyTorch's <c>model(x)</c>).
    /// Containers call their children through it, which lets <see cref="Summary"/> see every layer's output.
    /// </summary>
    public Tensor Call(Tensor input)
    {
        var output = Forward(input);
        SummaryRecorder.Current?.Record(this, output);
        return output;
    }

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

    /// <summary>
    /// The parameter registered under <paramref name="name"/> (null for an absent optional one). Layers read their
    /// parameters through this rather than keeping their own references, because <see cref="To(DType)"/> replaces them.
    /// </summary>
    /// <exception cref="ArgumentException">No parameter was registered under that name.</exception>
    protected Parameter? GetParameter(string name)
    {
        // A linear scan: a module owns a handful of parameters, fewer than a dictionary lookup would pay off for.
        foreach (var (n, p) in parameters)
            if (n == name) return p;
        throw new ArgumentException($"{GetType().Name}: no parameter named '{name}'.");
    }

    /// <summary>The buffer registered under <paramref name="name"/> (null for an absent optional one); see <see cref="GetParameter"/>.</summary>
    /// <exception cref="ArgumentException">No buffer was registered under that name.</exception>
    protected Tensor? GetBuffer(string name)
    {
        foreach (var (n, b) in buffers)
            if (n == name) return b;
        throw new ArgumentException($"{GetType().Name}: no buffer named '{name}'.");
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

    /// <summary>
    /// This module and all its descendants, depth first, with dotted names (<c>model.named_modules()</c>); this module
    /// itself comes first, named <paramref name="prefix"/> (empty by default).
    /// </summary>
    public IEnumerable<(string Name, Module Module)> NamedModules(string prefix = "")
    {
        yield return (prefix, this);
        foreach (var (name, child) in children)
            foreach (var item in child.NamedModules(prefix.Length == 0 ? name : prefix + "." + name))
                yield return item;
    }

    /// <summary>This module and all its descendants, depth first.</summary>
    public IEnumerable<Module> Modules() => NamedModules().Select(m => m.Module);

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

    /// <summary>
    /// Converts every parameter and buffer of this module and its descendants to <paramref name="dtype"/>
    /// (<c>model.double()</c>, <c>model.float()</c>); returns this. Parameters of another dtype are replaced by new
    /// <see cref="Parameter"/> objects (keeping their values, RequiresGrad and gradient), so convert the model before
    /// giving its parameters to an optimizer.
    /// </summary>
    public Module To(DType dtype)
    {
        using var _ = Tensor.NoGrad();
        for (int i = 0; i < parameters.Count; i++)
        {
            var (name, p) = parameters[i];
            if (p is null || p.DType == dtype) continue;
            var converted = new Parameter(p.To(dtype)) { RequiresGrad = p.RequiresGrad };
            if (p.Grad is not null) converted.Grad = p.Grad.To(dtype);
            parameters[i] = (name, converted);
        }
        for (int i = 0; i < buffers.Count; i++)
        {
            var (name, b) = buffers[i];
            if (b is not null && b.DType != dtype) buffers[i] = (name, b.To(dtype));
        }
        foreach (var (_, child) in children) child.To(dtype);
        return this;
    }

    /// <summary>Converts the parameters and buffers to float64 (<c>model.double()</c>), e.g. to check gradients; returns this.</summary>
    public Module Double() => To(DType.Float64);

    /// <summary>Converts the parameters and buffers to float32 (<c>model.float()</c>); returns this.</summary>
    public Module Float() => To(DType.Float32);

    /// <summary>
    /// The module's configuration shown inside the parentheses of <see cref="ToString"/>, as PyTorch's
    /// <c>extra_repr</c>: e.g. <c>in_features=3, out_features=4, bias=True</c>. Empty by default.
    /// </summary>
    protected virtual string ExtraRepr() => "";

    /// <summary>
    /// Describes the module as PyTorch prints it: <c>Linear(in_features=3, out_features=4, bias=True)</c> for a
    /// layer, and for a container its children indented one per line, <c>(0): Linear(...)</c>.
    /// </summary>
    public override string ToString()
    {
        // PyTorch's Module.__repr__: one line when there is only the extra text, else one line per item.
        var lines = new List<string>();
        string extra = ExtraRepr();
        if (extra.Length > 0) lines.AddRange(extra.Split('\n'));
        int extraLines = lines.Count;
        foreach (var (name, child) in children)
            lines.Add($"({name}): " + child.ToString().Replace("\n", "\n  "));
        var sb = new StringBuilder(GetType().Name).Append('(');
        if (extraLines == 1 && children.Count == 0) sb.Append(lines[0]);
        else if (lines.Count > 0) sb.Append("\n  ").AppendJoin("\n  ", lines).Append('\n');
        return sb.Append(')').ToString();
    }
}
