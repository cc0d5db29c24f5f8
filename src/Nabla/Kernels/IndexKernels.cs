using System.Diagnostics;
using System.Numerics;
using System.Numerics.Tensors;

namespace Nabla.Kernels;

/// <summary>
/// Gathering by index along one dim, and its adjoint, scatter-add. Both see their tensors as contiguous
/// 3-D blocks around the indexed dim:
/// <code>
///   table (Outer, DimSize, Inner)     the tensor indexed into
///   rows  (Outer, Count,   Inner)     the gathered values (forward output, or the gradient flowing back)
/// </code>
/// The index comes in one of two forms:
/// <list type="bullet">
/// <item>per slab (<c>index_select</c>): <c>index[j]</c>, one per position along the dim, so whole rows of
/// Inner elements move at once (Array-copy and SIMD adds);</item>
/// <item>per element (<c>gather</c>): <c>index[o, j, i]</c>, one per gathered value.</item>
/// </list>
/// Indices are validated by the caller; a bad one still cannot corrupt memory (array accesses are checked).
/// </summary>
internal static class IndexKernels
{
    /// <summary>
    /// rows[o, j, i] = table[o, index[j], i] (per slab) or table[o, index[o, j, i], i] (per element).
    /// </summary>
    public static void Gather<T>(ReadOnlySpan<T> table, int dimSize, Span<T> rows, ReadOnlySpan<int> index,
                                 int outer, int count, int inner, bool perSlab)
    {
        Debug.Assert(table.Length == outer * dimSize * inner && rows.Length == outer * count * inner);
        Debug.Assert(index.Length == (perSlab ? count : outer * count * inner));
        for (int o = 0; o < outer; o++)
        {
            var tableBlock = table.Slice(o * dimSize * inner, dimSize * inner);  // (DimSize, Inner)
            var rowBlock = rows.Slice(o * count * inner, count * inner);         // (Count, Inner)
            if (perSlab)
            {
                for (int j = 0; j < count; j++)
                    tableBlock.Slice(index[j] * inner, inner).CopyTo(rowBlock.Slice(j * inner, inner));
            }
            else
            {
                var indexBlock = index.Slice(o * count * inner, count * inner);
                for (int j = 0, k = 0; j < count; j++)
                    for (int i = 0; i < inner; i++, k++)
                        rowBlock[k] = tableBlock[indexBlock[k] * inner + i];
            }
        }
    }

    /// <summary>
    /// table[o, index[j], i] += rows[o, j, i] (per slab) or table[o, index[o, j, i], i] += rows[o, j, i]
    /// (per element): the adjoint of <see cref="Gather{T}"/>. Repeated indices accumulate, which is what
    /// makes it the backward of index_select and gather.
    /// </summary>
    public static void ScatterAdd<T>(Span<T> table, int dimSize, ReadOnlySpan<T> rows, ReadOnlySpan<int> index,
                                     int outer, int count, int inner, bool perSlab)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Debug.Assert(table.Length == outer * dimSize * inner && rows.Length == outer * count * inner);
        Debug.Assert(index.Length == (perSlab ? count : outer * count * inner));
        for (int o = 0; o < outer; o++)
        {
            var tableBlock = table.Slice(o * dimSize * inner, dimSize * inner);
            var rowBlock = rows.Slice(o * count * inner, count * inner);
            if (perSlab)
            {
                for (int j = 0; j < count; j++)
                {
                    var target = tableBlock.Slice(index[j] * inner, inner);
                    TensorPrimitives.Add(target, rowBlock.Slice(j * inner, inner), target);
                }
            }
            else
            {
                var indexBlock = index.Slice(o * count * inner, count * inner);
                for (int j = 0, k = 0; j < count; j++)
                    for (int i = 0; i < inner; i++, k++)
                        tableBlock[indexBlock[k] * inner + i] += rowBlock[k];
            }
        }
    }
}
