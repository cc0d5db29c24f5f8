using System.Numerics;
using Nabla.Kernels;

namespace Nabla;

// z = condition ? x : y  (elementwise, all three broadcast together)
//   dx += dy where condition, else 0;   dy_y += dy where not condition, else 0;   no gradient for the condition
public partial class Tensor
{
    /// <summary>
    /// Elementwise choice (<c>torch.where(condition, x, y)</c>): <paramref name="x"/> where <paramref name="condition"/>
    /// is nonzero (NaN counts as true), <paramref name="y"/> elsewhere. The three shapes broadcast together; the
    /// result has the dtype of x and y (float64 if either is).
    /// </summary>
    public static Tensor Where(Tensor condition, Tensor x, Tensor y)
    {
        var outShape = Shapes.Broadcast("Where", condition.shape, Shapes.Broadcast("Where", x.shape, y.shape));
        var dtype = x.DType == y.DType ? x.DType : DType.Float64;
        var c = condition.Detach();
        // A float64 condition read as float32 could round tiny nonzero values to 0: turn it into exact 0/1 first.
        if (c.DType != dtype) c = (c.DType == DType.Float64 ? c.Ne(0f) : c).To(dtype);
        var xv = x.Detach().To(dtype);
        var yv = y.Detach().To(dtype);
        var result = Empty(dtype, outShape);
        if (dtype == DType.Float64) SelectRows<double>(c, xv, yv, result);
        else SelectRows<float>(c, xv, yv, result);
        return NeedsGrad(x, y) ? result.WithGradFn(new WhereNode(condition, x, y)) : result;
    }

    private static void SelectRows<T>(Tensor c, Tensor x, Tensor y, Tensor result) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (result.NumEl == 0) return;
        var outShape = result.shape;
        var dst = result.Span<T>();
        if (Shapes.Equal(c.shape, outShape) && Shapes.Equal(x.shape, outShape) && Shapes.Equal(y.shape, outShape)
            && c.IsContiguous && x.IsContiguous && y.IsContiguous)
        {
            ElementwiseDriver.Select(c.Span<T>(), x.Span<T>(), y.Span<T>(), dst);
            return;
        }
        var layout = new StridedLayout(outShape, [0, c.offset, x.offset, y.offset], result.strides,
            Shapes.BroadcastStrides(c.shape, c.strides, outShape),
            Shapes.BroadcastStrides(x.shape, x.strides, outShape),
            Shapes.BroadcastStrides(y.shape, y.strides, outShape));
        T[] cb = c.Buffer<T>(), xb = x.Buffer<T>(), yb = y.Buffer<T>();
        int n = layout.RowLength;
        int cs = layout.InnerStrides[1], xs = layout.InnerStrides[2], ys = layout.InnerStrides[3];
        for (int r = 0; r < layout.Rows; r++, layout.Advance())
        {
            var d = dst.Slice(layout.Offset(0), n);
            int oc = layout.Offset(1), ox = layout.Offset(2), oy = layout.Offset(3);
            if (cs == 1 && xs == 1 && ys == 1)
            {
                ElementwiseDriver.Select(new ReadOnlySpan<T>(cb, oc, n), new ReadOnlySpan<T>(xb, ox, n), new ReadOnlySpan<T>(yb, oy, n), d);
                continue;
            }
            for (int i = 0; i < n; i++)
                d[i] = cb[oc + i * cs] == T.Zero ? yb[oy + i * ys] : xb[ox + i * xs];
        }
    }

    private sealed class WhereNode(Tensor condition, Tensor x, Tensor y) : GradNode(x, y)
    {
        public override string Name => "WhereBackward";
        protected internal override void Backward(Tensor dz)
        {
            var zero = ScalarLike(dz, 0);
            if (NeedsGrad(0)) AccumulateGrad(0, Where(condition, dz, zero));
            if (NeedsGrad(1)) AccumulateGrad(1, Where(condition, zero, dz));
        }
    }
}
