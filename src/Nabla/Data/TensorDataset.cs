using Nabla.Kernels;

namespace Nabla.Data;

/// <summary>
/// A data set held in two tensors whose first dim is the sample dim (<c>torch.utils.data.TensorDataset</c>):
/// sample i is (<c>Inputs[i]</c>, <c>Targets[i]</c>).
/// </summary>
/// <remarks>
/// <see cref="GetBatch"/> gathers the requested rows straight into one new contiguous tensor per side (one
/// span copy per row, no per-sample tensors), which is what keeps a <see cref="DataLoader"/> over it fast.
/// The tensors are kept as given (detached from any graph, and copied once if not contiguous), so later
/// in-place changes to them show through, as in PyTorch.
/// </remarks>
public class TensorDataset : Dataset
{
    /// <summary>Creates a data set of the rows of <paramref name="inputs"/> and <paramref name="targets"/>.</summary>
    /// <param name="inputs">The inputs, shape (N, ...): e.g. (N, F) features or (N, C, H, W) images.</param>
    /// <param name="targets">The targets, shape (N, ...): e.g. (N,) class indices or (N, K) regression targets.</param>
    /// <exception cref="ArgumentException">A tensor is zero-dimensional, or the first dims differ.</exception>
    public TensorDataset(Tensor inputs, Tensor targets)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(targets);
        if (inputs.Rank == 0 || targets.Rank == 0)
            throw new ArgumentException(
                $"TensorDataset: inputs (shape {Shapes.Format(inputs.shape)}) and targets (shape {Shapes.Format(targets.shape)}) need a first dim, the sample dim; a zero-dimensional tensor has none.");
        if (inputs.shape[0] != targets.shape[0])
            throw new ArgumentException(
                $"TensorDataset: inputs have shape {Shapes.Format(inputs.shape)} and targets {Shapes.Format(targets.shape)}, but the first dim (the sample dim) must match: {inputs.shape[0]} vs {targets.shape[0]}.");
        // Detached so that batches never join a graph; contiguous so that a sample is one run of Row elements.
        Inputs = inputs.Detach().Contiguous();
        Targets = targets.Detach().Contiguous();
    }

    /// <summary>All inputs, shape (N, ...).</summary>
    public Tensor Inputs { get; }

    /// <summary>All targets, shape (N, ...).</summary>
    public Tensor Targets { get; }

    /// <inheritdoc/>
    public override int Count => Inputs.shape[0];

    /// <summary>Sample <paramref name="index"/>: views <c>Inputs[index]</c> and <c>Targets[index]</c> (no copy).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The index is out of range.</exception>
    public override (Tensor Input, Tensor Target) Get(int index)
    {
        CheckIndex(index, Count, nameof(index));
        return (Inputs[index], Targets[index]);
    }

    /// <summary>
    /// The rows at <paramref name="indices"/> gathered into new contiguous tensors: inputs (B, ...) and
    /// targets (B, ...). Indices may repeat.
    /// </summary>
    /// <exception cref="ArgumentException">No indices were given.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An index is out of range.</exception>
    public override (Tensor Input, Tensor Target) GetBatch(ReadOnlySpan<int> indices)
    {
        if (indices.IsEmpty)
            throw new ArgumentException("GetBatch: expected at least one index.", nameof(indices));
        int count = Count;
        foreach (int i in indices) CheckIndex(i, count, nameof(indices));
        return (GatherRows(Inputs, indices), GatherRows(Targets, indices));
    }

    /// <summary>rows[k] = source[indices[k]] along dim 0, into a new contiguous tensor (indices already checked).</summary>
    internal static Tensor GatherRows(Tensor source, ReadOnlySpan<int> indices)
    {
        int n = source.shape[0];
        int row = n == 0 ? 0 : source.NumEl / n;
        var shape = (int[])source.shape.Clone();
        shape[0] = indices.Length;
        // Uninitialized storage: every element is overwritten by the gather, so zeroing it first would be a wasted pass.
        int total = indices.Length * row;
        // The (Outer = 1, N, Row) view of index_select along dim 0: one span copy per sample.
        if (source.DType == DType.Float64)
        {
            var rows = GC.AllocateUninitializedArray<double>(total);
            IndexKernels.Gather<double>(source.Span<double>(), n, rows, indices, 1, indices.Length, row, perSlab: true);
            return new Tensor(rows, shape);
        }
        else
        {
            var rows = GC.AllocateUninitializedArray<float>(total);
            IndexKernels.Gather<float>(source.Span<float>(), n, rows, indices, 1, indices.Length, row, perSlab: true);
            return new Tensor(rows, shape);
        }
    }
}
