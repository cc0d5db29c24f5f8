namespace Nabla.Optim;

/// <summary>
/// What an optimizer remembers about one parameter between steps (PyTorch's <c>optimizer.state[p]</c>):
/// a step count and named buffers with the parameter's shape, such as <c>momentum_buffer</c> or
/// <c>exp_avg</c> and <c>exp_avg_sq</c>.
/// </summary>
public sealed class ParamState
{
    private readonly List<KeyValuePair<string, Tensor>> buffers = new(3);

    /// <summary>How many updates this parameter has had (0 for optimizers that keep no count, like SGD).</summary>
    public long Step { get; internal set; }

    /// <summary>The buffers by name, in the order they were created.</summary>
    public IReadOnlyList<KeyValuePair<string, Tensor>> Buffers => buffers;

    /// <summary>The buffer named <paramref name="name"/>, or null when there is none.</summary>
    public Tensor? this[string name]
    {
        get
        {
            foreach (var (key, value) in buffers)
                if (string.Equals(key, name, StringComparison.Ordinal)) return value;
            return null;
        }
    }

    /// <summary>The buffer named <paramref name="name"/>, created filled with <paramref name="fill"/> (shape and dtype of <paramref name="like"/>) if absent.</summary>
    internal Tensor GetOrAdd(string name, Tensor like, double fill, out bool created)
    {
        var existing = this[name];
        created = existing is null;
        if (existing is not null) return existing;
        var buffer = fill == 0 ? Tensor.ZerosLike(like) : Tensor.FullLike(like, fill);
        buffers.Add(new(name, buffer));
        return buffer;
    }

    /// <summary>The buffer named <paramref name="name"/>, created as zeros like <paramref name="like"/> if absent.</summary>
    internal Tensor GetOrAdd(string name, Tensor like) => GetOrAdd(name, like, 0, out _);

    internal void Add(string name, Tensor buffer) => buffers.Add(new(name, buffer));
}
