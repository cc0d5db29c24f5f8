using Nabla.Kernels;

namespace Nabla;

// Gather: one value picked per output element along one dim (torch.gather). For dim = 1 of a 3-D tensor:
//   y[o, j, i] = x[o, index[o, j, i], i]
//   dx[o, index[o, j, i], i] += dy[o, j, i]      (scatter-add: repeated indices accumulate)
// The output has the index's shape, which may be smaller than x in every dim (in `dim` it may also be larger).
public partial class Tensor
{
    /// <summary>
    /// Picks, for each element of <paramref name="index"/>, the value of this tensor at that index along
    /// <paramref name="dim"/> and at the element's own position in the other dims (<c>torch.gather</c>):
    /// for dim 1, <c>y[o, j, i] = x[o, index[o, j, i], i]</c>. Used to pick each sample's class score.
    /// </summary>
    /// <param name="dim">The dim to index along; negative counts from the end.</param>
    /// <param name="index">Integers stored as floats, with as many dims as this tensor and no larger in any
    /// dim other than <paramref name="dim"/>. It is not differentiated.</param>
    /// <returns>A tensor of the index's shape.</returns>
    /// <exception cref="ArgumentException">The index has a different number of dims, is too large in some dim, or holds a non-integer.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The dim, or an index, is out of range.</exception>
    public Tensor Gather(int dim, Tensor index)
    {
        ArgumentNullException.ThrowIfNull(index);
        int d = Shapes.NormalizeDim(dim, Rank, "Gather");
        if (index.Rank != Rank)
            throw new ArgumentException(
                $"Gather: the index has {index.Rank} dims (shape {Shapes.Format(index.shape)}) but the input has {Rank} (shape {Shapes.Format(shape)}); they must have the same number of dims.",
                nameof(index));
        for (int k = 0; k < Rank; k++)
            if (k != d && index.shape[k] > shape[k])
                throw new ArgumentException(
                    $"Gather: the index of shape {Shapes.Format(index.shape)} is larger than the input of shape {Shapes.Format(shape)} in dim {k}; only dim {dim} may be larger.",
                    nameof(index));
        var idx = ReadIndices(index, d, "Gather");

        // The table: x cut down to the index's sizes in the other dims, as contiguous (Outer, DimSize, Inner).
        var tableShape = TableShape(index.shape, d);
        var table = Detach();
        for (int k = 0; k < Rank; k++)
            if (k != d && tableShape[k] != shape[k]) table = table.Narrow(k, 0, tableShape[k]);
        table = table.Contiguous();

        var y = Empty(DType, index.shape);
        var (outer, inner) = OuterInner(index.shape, d);
        if (DType == DType.Float64)
            IndexKernels.Gather<double>(table.Span<double>(), shape[d], y.Span<double>(), idx, outer, index.shape[d], inner, perSlab: false);
        else
            IndexKernels.Gather<float>(table.Span<float>(), shape[d], y.Span<float>(), idx, outer, index.shape[d], inner, perSlab: false);
        return NeedsGrad(this) ? y.WithGradFn(new GatherNode(this, d, idx, (int[])index.shape.Clone())) : y;
    }

    /// <summary>The index's shape with dim <paramref name="dim"/> taken from this tensor: the part of x that gather reads.</summary>
    private int[] TableShape(int[] indexShape, int dim)
    {
        var result = (int[])indexShape.Clone();
        result[dim] = shape[dim];
        return result;
    }

    private sealed class GatherNode(Tensor x, int dim, int[] index, int[] indexShape) : GradNode(x)
    {
        public override string Name => "GatherBackward";

        protected internal override void Backward(Tensor dy)
        {
            var tableShape = x.TableShape(indexShape, dim);
            var (outer, inner) = OuterInner(indexShape, dim);
            var gy = (dy.IsContiguous ? dy : dy.Contiguous()).To(x.DType);
            var table = Empty(x.DType, tableShape); // zeros
            if (x.DType == DType.Float64)
                IndexKernels.ScatterAdd(table.Span<double>(), x.shape[dim], gy.Span<double>(), index, outer, indexShape[dim], inner, perSlab: false);
            else
                IndexKernels.ScatterAdd(table.Span<float>(), x.shape[dim], gy.Span<float>(), index, outer, indexShape[dim], inner, perSlab: false);
            if (Shapes.Equal(tableShape, x.shape))
            {
                AccumulateGrad(0, table);
                return;
            }
            // The index covered only a corner of x: the rest gets zero gradient.
            var gx = Empty(x.DType, x.shape);
            var corner = gx;
            for (int k = 0; k < x.Rank; k++)
                if (k != dim && tableShape[k] != x.shape[k]) corner = corner.Narrow(k, 0, tableShape[k]);
            corner.CopyFrom(table);
            AccumulateGrad(0, gx);
        }
    }
}
