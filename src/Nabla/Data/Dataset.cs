namespace Nabla.Data;

/// <summary>
/// A collection of samples, each an (input, target) pair of tensors, addressed by index
/// (<c>torch.utils.data.Dataset</c> with <c>__len__</c> and <c>__getitem__</c>).
/// </summary>
/// <remarks>
/// Derive from it and implement <see cref="Count"/> and <see cref="Get"/>; a <see cref="DataLoader"/> then
/// batches it. Override <see cref="GetBatch"/> when the samples live in one big array, so that a batch is
/// gathered with one copy per row instead of a tensor per sample (as <see cref="TensorDataset"/> does).
/// Batches are new tensors outside any autograd graph.
/// </remarks>
public abstract partial class Dataset
{
    /// <summary>The number of samples (<c>len(dataset)</c>).</summary>
    public abstract int Count { get; }

    /// <summary>The sample at <paramref name="index"/>, in [0, <see cref="Count"/>).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The index is out of range.</exception>
    public abstract (Tensor Input, Tensor Target) Get(int index);

    /// <summary>The sample at <paramref name="index"/> (<c>dataset[i]</c>); the same as <see cref="Get"/>.</summary>
    public (Tensor Input, Tensor Target) this[int index] => Get(index);

    /// <summary>
    /// The samples at <paramref name="indices"/>, in that order, stacked along a new first dim: inputs of shape
    /// (B, ...input shape) and targets of shape (B, ...target shape), where B is the number of indices.
    /// </summary>
    /// <remarks>
    /// This default calls <see cref="Get"/> once per index and stacks the results (<c>default_collate</c>);
    /// every sample must have the same input shape and the same target shape. Data sets held in memory
    /// override it with a direct gather.
    /// </remarks>
    /// <exception cref="ArgumentException">No indices were given, or the samples' shapes differ.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An index is out of range.</exception>
    public virtual (Tensor Input, Tensor Target) GetBatch(ReadOnlySpan<int> indices)
    {
        if (indices.IsEmpty)
            throw new ArgumentException("GetBatch: expected at least one index.", nameof(indices));
        var inputs = new Tensor[indices.Length];
        var targets = new Tensor[indices.Length];
        for (int k = 0; k < indices.Length; k++)
        {
            CheckIndex(indices[k], Count, nameof(indices));
            (inputs[k], targets[k]) = Get(indices[k]);
        }
        using (Tensor.NoGrad())
            return (Tensor.Stack(inputs), Tensor.Stack(targets));
    }

    /// <summary>Throws the range error every data set gives for a bad index.</summary>
    internal static void CheckIndex(int index, int count, string paramName)
    {
        if ((uint)index >= (uint)count)
            throw new ArgumentOutOfRangeException(paramName, index,
                $"Sample index {index} is out of range for a data set of {count} sample{(count == 1 ? "" : "s")} (expected 0 to {count - 1}).");
    }

    /// <summary>0, 1, ..., <see cref="Count"/> - 1: the indices of every sample, for a whole-data-set batch.</summary>
    internal int[] AllIndices()
    {
        var all = new int[Count];
        for (int i = 0; i < all.Length; i++) all[i] = i;
        return all;
    }
}
