using Nabla.Kernels;

namespace Nabla;

// IndexSelect: whole slices picked along one dim by a list of indices (torch.index_select).
//   y[..., j, ...] = x[..., index[j], ...]
//   dx[..., index[j], ...] += dy[..., j, ...]     (index-add: repeated indices accumulate)
// Both run on contiguous (Outer, DimSize, Inner) blocks, moving rows of Inner elements (Kernels/IndexKernels).
public partial class Tensor
{
    /// <summary>
    /// The slices of this tensor at positions <paramref name="index"/> along <paramref name="dim"/>, in that
    /// order, as a new tensor (<c>x.index_select(dim, index)</c>). Indices may repeat; the gradient of a
    /// repeated slice is the sum over its uses. This is the lookup inside an embedding layer.
    /// </summary>
    /// <param name="dim">The dim to index; negative counts from the end.</param>
    /// <param name="index">A 1-D (or 0-D) tensor of integers in [0, size of <paramref name="dim"/>), stored as
    /// floats (float32 holds integers exactly up to 2^24). It is not differentiated.</param>
    /// <returns>A tensor shaped like this one, with dim <paramref name="dim"/> of size <c>index.NumEl</c>.</returns>
    /// <exception cref="ArgumentException">The index is not 1-D or holds a non-integer.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The dim, or an index, is out of range.</exception>
    public Tensor IndexSelect(int dim, Tensor index)
    {
        ArgumentNullException.ThrowIfNull(index);
        int d = Shapes.NormalizeDim(dim, Rank, "IndexSelect");
        if (index.Rank > 1)
            throw new ArgumentException(
                $"IndexSelect: the index must be 1-D, but has shape {Shapes.Format(index.shape)}.", nameof(index));
        var idx = ReadIndices(index, d, "IndexSelect");
        var outShape = (int[])shape.Clone();
        outShape[d] = idx.Length;
        var (outer, inner) = OuterInner(shape, d);

        var src = IsContiguous ? this : Detach().Contiguous();
        var y = Empty(DType, outShape);
        if (DType == DType.Float64)
            IndexKernels.Gather<double>(src.Span<double>(), shape[d], y.Span<double>(), idx, outer, idx.Length, inner, perSlab: true);
        else
            IndexKernels.Gather<float>(src.Span<float>(), shape[d], y.Span<float>(), idx, outer, idx.Length, inner, perSlab: true);
        return NeedsGrad(this) ? y.WithGradFn(new IndexSelectNode(this, d, idx)) : y;
    }

    /// <summary>
    /// Reads an index tensor (floats holding integers) into an int array in row-major order, checking that
    /// every value is an integer in [0, size of <paramref name="dim"/>). Like PyTorch's index_select and gather,
    /// negative indices are out of range.
    /// </summary>
    internal int[] ReadIndices(Tensor index, int dim, string op)
    {
        int size = shape[dim];
        var values = index.ToDoubleArray();
        var result = new int[values.Length];
        for (int k = 0; k < values.Length; k++)
        {
            double v = values[k];
            if (v != Math.Floor(v)) // also catches NaN and infinities
                throw new ArgumentException(
                    $"{op}: the index must hold integers, but element {k} is {v}.", nameof(index));
            if (v < 0 || v >= size)
                throw new ArgumentOutOfRangeException(nameof(index),
                    $"{op}: index {v} is out of range for dim {dim} of size {size} (input shape {Shapes.Format(shape)}).");
            result[k] = (int)v;
        }
        return result;
    }

    /// <summary>The products of the sizes before and after <paramref name="dim"/>: the (Outer, ·, Inner) view around it.</summary>
    internal static (int Outer, int Inner) OuterInner(ReadOnlySpan<int> shape, int dim)
    {
        int outer = 1, inner = 1;
        for (int k = 0; k < dim; k++) outer *= shape[k];
        for (int k = dim + 1; k < shape.Length; k++) inner *= shape[k];
        return (outer, inner);
    }

    private sealed class IndexSelectNode(Tensor x, int dim, int[] index) : GradNode(x)
    {
        public override string Name => "IndexSelectBackward";

        protected internal override void Backward(Tensor dy)
        {
            var (outer, inner) = OuterInner(x.shape, dim);
            var gy = dy.IsContiguous ? dy : dy.Contiguous();
            var gx = Empty(x.DType, x.shape); // zeros
            if (x.DType == DType.Float64)
                IndexKernels.ScatterAdd(gx.Span<double>(), x.shape[dim], gy.To(DType.Float64).Span<double>(), index, outer, index.Length, inner, perSlab: true);
            else
                IndexKernels.ScatterAdd(gx.Span<float>(), x.shape[dim], gy.To(DType.Float32).Span<float>(), index, outer, index.Length, inner, perSlab: true);
            AccumulateGrad(0, gx);
        }
    }
}
