namespace Nabla.Optim;

/// <summary>Reading a scheduler's state dict back: exact names, scalar and per-group entries, one exception listing every problem.</summary>
internal sealed class SchedulerState
{
    private readonly string owner;
    private readonly Dictionary<string, Tensor> entries = new();
    private readonly List<string> problems = new();

    public SchedulerState(string owner, IEnumerable<KeyValuePair<string, Tensor>> state, IReadOnlyCollection<string> names)
    {
        ArgumentNullException.ThrowIfNull(state);
        this.owner = owner;
        foreach (var (key, value) in state)
        {
            if (!names.Contains(key)) problems.Add($"unexpected key '{key}' (expected: {string.Join(", ", names)})");
            else if (!entries.TryAdd(key, value)) problems.Add($"duplicate key '{key}'");
        }
        foreach (var name in names)
            if (!entries.ContainsKey(name)) problems.Add($"missing key '{name}'");
    }

    /// <summary>The value of a one-element entry (NaN when it is missing or malformed; the problem is recorded).</summary>
    public double Scalar(string name)
    {
        if (!entries.TryGetValue(name, out var t)) return double.NaN;
        if (t.NumEl != 1)
        {
            problems.Add($"'{name}' has shape {Shapes.Format(t.shape)}, expected a scalar");
            return double.NaN;
        }
        return t.ItemAsDouble();
    }

    /// <summary>The value of a one-element entry that must be an integer.</summary>
    public int Integer(string name, int min)
    {
        double v = Scalar(name);
        if (double.IsNaN(v)) return min;
        if (v != Math.Floor(v) || v < min || v > int.MaxValue)
        {
            problems.Add($"'{name}' is {v}, expected an integer >= {min}");
            return min;
        }
        return (int)v;
    }

    /// <summary>The values of a 1-D entry with one value per parameter group.</summary>
    public double[] PerGroup(string name, int groups)
    {
        if (!entries.TryGetValue(name, out var t)) return new double[groups];
        if (t.Rank != 1 || t.NumEl != groups)
        {
            problems.Add($"'{name}' has shape {Shapes.Format(t.shape)}, expected ({groups}) (one value per parameter group)");
            return new double[groups];
        }
        return t.ToDoubleArray();
    }

    /// <summary>Throws one <see cref="ArgumentException"/> listing every problem found, if any.</summary>
    public void ThrowIfInvalid()
    {
        if (problems.Count > 0)
            throw new ArgumentException($"{owner}.LoadStateDict: {problems.Count} problem(s):\n  " + string.Join("\n  ", problems), "stateDict");
    }

    public static KeyValuePair<string, Tensor> Entry(string name, double value) => new(name, Tensor.Scalar(value));

    public static KeyValuePair<string, Tensor> Entry(string name, IReadOnlyList<double> values) =>
        new(name, Tensor.FromArray(values.ToArray(), values.Count));
}
