using System.Globalization;
using Nabla.NN;

namespace Nabla.Optim;

// The optimizer's state as a flat list of named tensors, so a checkpoint can hold it next to the model's
// weights (e.g. in one safetensors file) and a run can resume exactly.
public abstract partial class Optimizer
{
    /// <summary>
    /// A snapshot of the optimizer's state (<c>optimizer.state_dict()</c>) as named tensors, every scalar a 0-d
    /// float64 tensor, with PyTorch's words:
    /// <list type="bullet">
    /// <item><c>state.{i}.step</c>: the update count of parameter i (optimizers that count steps);</item>
    /// <item><c>state.{i}.{buffer}</c>: a buffer of parameter i, with its shape and dtype (<c>momentum_buffer</c>,
    /// <c>exp_avg</c>, <c>exp_avg_sq</c>, <c>max_exp_avg_sq</c>, <c>square_avg</c>, <c>grad_avg</c>, <c>sum</c>);</item>
    /// <item><c>param_groups.{g}.params</c>: the indices i of group g's parameters (1-D float64);</item>
    /// <item><c>param_groups.{g}.{option}</c>: each hyperparameter of group g (<c>lr</c>, <c>momentum</c>, <c>beta1</c>, ...).</item>
    /// </list>
    /// Parameters are numbered 0, 1, ... through the groups in order, as PyTorch does; parameters never updated
    /// have no <c>state.i</c> entries. The tensors are copies: the snapshot does not change when training goes on.
    /// </summary>
    public IReadOnlyList<KeyValuePair<string, Tensor>> StateDict()
    {
        var result = new List<KeyValuePair<string, Tensor>>();
        int index = 0;
        foreach (var group in groups)
            foreach (var p in group.ParameterArray)
            {
                if (state.TryGetValue(p, out var s))
                {
                    if (CountsSteps) result.Add(new($"state.{index}.step", Tensor.Scalar((double)s.Step)));
                    foreach (var (name, buffer) in s.Buffers) result.Add(new($"state.{index}.{name}", buffer.Detach().Clone()));
                }
                index++;
            }
        index = 0;
        for (int g = 0; g < groups.Count; g++)
        {
            var group = groups[g];
            var ids = new double[group.ParameterArray.Length];
            for (int k = 0; k < ids.Length; k++) ids[k] = index++;
            result.Add(new($"param_groups.{g}.params", Tensor.FromArray(ids, ids.Length)));
            foreach (var (name, value) in group.Options) result.Add(new($"param_groups.{g}.{name}", Tensor.Scalar(value)));
        }
        return result;
    }

    /// <summary>
    /// Restores a state made by <see cref="StateDict"/> (<c>optimizer.load_state_dict</c>): every group's options
    /// and every parameter's step count and buffers (copied, and converted to the parameter's dtype). The groups
    /// must match in number and size; <c>state.i</c> refers to the i-th entry of the saved <c>params</c> lists.
    /// Everything is checked first (names, shapes, values) and all problems are reported in one
    /// <see cref="ArgumentException"/>; nothing changes unless everything fits.
    /// </summary>
    public void LoadStateDict(IEnumerable<KeyValuePair<string, Tensor>> stateDict)
    {
        ArgumentNullException.ThrowIfNull(stateDict);
        var problems = new List<string>();
        var savedGroups = new SortedDictionary<int, Dictionary<string, Tensor>>();
        var savedState = new SortedDictionary<int, Dictionary<string, Tensor>>();
        foreach (var (key, tensor) in stateDict)
        {
            var parts = key.Split('.', 3);
            if (parts.Length == 3 && (parts[0] is "state" or "param_groups")
                && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int n))
            {
                var target = parts[0] == "state" ? savedState : savedGroups;
                if (!target.TryGetValue(n, out var entries)) target[n] = entries = new Dictionary<string, Tensor>();
                if (!entries.TryAdd(parts[2], tensor)) problems.Add($"duplicate key '{key}'");
            }
            else problems.Add($"unexpected key '{key}' (expected state.<i>.<name> or param_groups.<g>.<name>)");
        }

        // Groups: the same number, each with the same number of parameters, every option present and valid.
        var idToParameter = new Dictionary<long, Parameter>();
        var newValues = new double[groups.Count][];
        if (savedGroups.Count != groups.Count || (savedGroups.Count > 0 && savedGroups.Keys.Last() != groups.Count - 1))
            problems.Add($"the state has {savedGroups.Count} parameter group(s) (indices {string.Join(", ", savedGroups.Keys)}), the optimizer has {groups.Count}");
        for (int g = 0; g < groups.Count; g++)
        {
            if (!savedGroups.TryGetValue(g, out var entries)) continue;
            var group = groups[g];
            int problemsBefore = problems.Count;
            if (!entries.TryGetValue("params", out var ids) || ids.Rank != 1)
                problems.Add($"param_groups.{g}.params is missing or not 1-D");
            else if (ids.NumEl != group.ParameterArray.Length)
                problems.Add($"param_groups.{g}.params lists {ids.NumEl} parameter(s), the optimizer's group {g} has {group.ParameterArray.Length}");
            else
            {
                var values = ids.ToDoubleArray();
                for (int k = 0; k < values.Length; k++)
                {
                    double id = values[k];
                    if (id < 0 || id != Math.Floor(id) || !idToParameter.TryAdd((long)id, group.ParameterArray[k]))
                        problems.Add($"param_groups.{g}.params: entry {k} is {Format(id)}, not a new non-negative integer index");
                }
            }
            var groupValues = newValues[g] = new double[defaults.Length];
            for (int i = 0; i < defaults.Length; i++)
            {
                if (!entries.TryGetValue(defaults[i].Name, out var t)) problems.Add($"param_groups.{g}.{defaults[i].Name} is missing");
                else if (t.NumEl != 1) problems.Add($"param_groups.{g}.{defaults[i].Name} has shape {Shapes.Format(t.shape)}, expected a scalar");
                else groupValues[i] = t.ItemAsDouble();
            }
            foreach (var name in entries.Keys)
                if (name != "params" && !HasOption(name)) problems.Add($"param_groups.{g}.{name} is not an option of {Name}");
            if (problems.Count == problemsBefore)
            {
                try { ValidateValues(groupValues); }
                catch (ArgumentException e) { problems.Add($"param_groups.{g}: {e.Message}"); }
            }
        }

        // Per-parameter state: a known parameter, known buffer names with its shape, a step count where kept.
        var loaded = new List<(Parameter Parameter, ParamState State)>();
        foreach (var (id, entries) in savedState)
        {
            if (!idToParameter.TryGetValue(id, out var p))
            {
                if (problems.Count == 0) problems.Add($"state.{id} refers to no parameter of the saved groups");
                continue;
            }
            int g = groups.FindIndex(gr => Array.IndexOf(gr.ParameterArray, p) >= 0);
            var values = newValues[g];
            Func<string, double> option = name => values[Array.FindIndex(defaults, o => o.Name == name)];
            var ps = new ParamState();
            if (CountsSteps)
            {
                if (!entries.TryGetValue("step", out var step)) problems.Add($"state.{id}.step is missing");
                else if (step.NumEl != 1 || step.ItemAsDouble() < 0 || step.ItemAsDouble() != Math.Floor(step.ItemAsDouble()))
                    problems.Add($"state.{id}.step must be a scalar non-negative integer");
                else ps.Step = (long)step.ItemAsDouble();
            }
            else if (entries.ContainsKey("step")) problems.Add($"state.{id}.step: {Name} keeps no step count");
            foreach (var name in entries.Keys)
                if (name != "step" && !StateBufferNames.Contains(name))
                    problems.Add($"state.{id}.{name} is not a state of {Name} (its states are: {string.Join(", ", StateBufferNames)})");
            foreach (var name in StateBufferNames)
            {
                bool expected = values is not null && HasStateBuffer(name, option);
                if (!entries.TryGetValue(name, out var buffer))
                {
                    if (expected) problems.Add($"state.{id}.{name} is missing");
                    continue;
                }
                if (!Shapes.Equal(buffer.shape, p.shape))
                    problems.Add($"state.{id}.{name} has shape {Shapes.Format(buffer.shape)}, the parameter {Shapes.Format(p.shape)}");
                else
                {
                    var copy = buffer.Detach().Clone();
                    ps.Add(name, copy.DType == p.DType ? copy : copy.To(p.DType));
                }
            }
            loaded.Add((p, ps));
        }
        if (problems.Count > 0)
            throw new ArgumentException($"{Name}.LoadStateDict: {problems.Count} problem(s):\n  " + string.Join("\n  ", problems), nameof(stateDict));

        for (int g = 0; g < groups.Count; g++) groups[g].SetAll(newValues[g]);
        state.Clear();
        foreach (var (p, ps) in loaded) state[p] = ps;
    }
}
