using System.Buffers;

namespace Nabla.Data;

/// <summary>
/// The samples of another data set at a list of indices (<c>torch.utils.data.Subset</c>): sample i of the
/// subset is sample <c>Indices[i]</c> of <see cref="Dataset"/>. Nothing is copied.
/// </summary>
public sealed class Subset : Dataset
{
    private readonly int[] indices;

    /// <summary>Creates the subset of <paramref name="dataset"/> at <paramref name="indices"/> (copied; repeats allowed).</summary>
    /// <exception cref="ArgumentOutOfRangeException">An index is out of range for <paramref name="dataset"/>.</exception>
    public Subset(Dataset dataset, IReadOnlyList<int> indices)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(indices);
        Dataset = dataset;
        this.indices = [.. indices];
        int count = dataset.Count;
        foreach (int i in this.indices) CheckIndex(i, count, nameof(indices));
    }

    /// <summary>The data set the samples come from.</summary>
    public Dataset Dataset { get; }

    /// <summary>The indices into <see cref="Dataset"/>, in subset order.</summary>
    public IReadOnlyList<int> Indices => indices;

    /// <inheritdoc/>
    public override int Count => indices.Length;

    /// <inheritdoc/>
    public override (Tensor Input, Tensor Target) Get(int index)
    {
        CheckIndex(index, Count, nameof(index));
        return Dataset.Get(indices[index]);
    }

    /// <summary>Maps <paramref name="indices"/> through this subset and lets the underlying data set gather them in one go.</summary>
    /// <exception cref="ArgumentException">No indices were given.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An index is out of range.</exception>
    public override (Tensor Input, Tensor Target) GetBatch(ReadOnlySpan<int> indices)
    {
        if (indices.IsEmpty)
            throw new ArgumentException("GetBatch: expected at least one index.", nameof(indices));
        // A pooled buffer: the mapped indices live only for this call, so a DataLoader over a subset allocates no index array per batch.
        var mapped = ArrayPool<int>.Shared.Rent(indices.Length);
        try
        {
            for (int k = 0; k < indices.Length; k++)
            {
                CheckIndex(indices[k], Count, nameof(indices));
                mapped[k] = this.indices[indices[k]];
            }
            return Dataset.GetBatch(mapped.AsSpan(0, indices.Length));
        }
        finally
        {
            ArrayPool<int>.Shared.Return(mapped);
        }
    }
}
