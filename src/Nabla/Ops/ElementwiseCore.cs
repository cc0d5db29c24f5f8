using System.Numerics;
using Nabla.Kernels;

namespace Nabla;

/// <summary>A row kernel for a binary op: both rows, left row with a right scalar, or a left scalar with a right row.</summary>
internal interface IBinarySpanOp
{
    void Invoke<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T>;
    void Invoke<T>(ReadOnlySpan<T> x, T y, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T>;
    void Invoke<T>(T x, ReadOnlySpan<T> y, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T>;
}

/// <summary>
/// Adapts a per-element <see cref="IBinaryOperator"/> (scalar and SIMD forms) to a row kernel, so that an op
/// without a TensorPrimitives counterpart (comparisons, masks, gradient shares) still broadcasts through
/// <see cref="Tensor.Binary{TOp}"/>.
/// </summary>
internal readonly struct BinaryOperatorKernel<TOp> : IBinarySpanOp where TOp : struct, IBinaryOperator
{
    private readonly TOp op;

    public BinaryOperatorKernel(TOp op) => this.op = op;

    public void Invoke<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T> => ElementwiseDriver.Map(x, y, d, op);
    public void Invoke<T>(ReadOnlySpan<T> x, T y, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T> => ElementwiseDriver.Map(x, y, d, op);
    public void Invoke<T>(T x, ReadOnlySpan<T> y, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T> => ElementwiseDriver.Map(x, y, d, op);
}

/// <summary>A row kernel for a unary op.</summary>
internal interface IUnarySpanOp
{
    void Invoke<T>(ReadOnlySpan<T> x, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T>;
}

public partial class Tensor
{
    /// <summary>
    /// Runs a broadcasting binary op: promotes dtypes, broadcasts shapes, and hands the kernel rows
    /// as long as the layouts allow (one flat call when both inputs are contiguous and equal in shape).
    /// </summary>
    internal static Tensor Binary<TOp>(Tensor a, Tensor b, string op, TOp kernel) where TOp : struct, IBinarySpanOp
    {
        if (a.DType != b.DType)
        {
            a = a.To(DType.Float64);
            b = b.To(DType.Float64);
        }
        var outShape = Shapes.Broadcast(op, a.shape, b.shape);
        var result = Uninitialized(a.DType, outShape); // every row is written below
        if (result.DType == DType.Float64) BinaryRows<double, TOp>(a, b, result, kernel);
        else BinaryRows<float, TOp>(a, b, result, kernel);
        return result;
    }

    private static void BinaryRows<T, TOp>(Tensor a, Tensor b, Tensor result, TOp kernel)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TOp : struct, IBinarySpanOp
    {
        var outShape = result.shape;
        var dst = result.Span<T>();
        bool aFull = Shapes.Equal(a.shape, outShape), bFull = Shapes.Equal(b.shape, outShape);
        // Fast paths: flat spans, or one side a single value.
        if (aFull && a.IsContiguous && bFull && b.IsContiguous) { kernel.Invoke(a.Span<T>(), b.Span<T>(), dst); return; }
        if (aFull && a.IsContiguous && b.NumEl == 1) { kernel.Invoke(a.Span<T>(), b.Buffer<T>()[b.offset], dst); return; }
        if (bFull && b.IsContiguous && a.NumEl == 1) { kernel.Invoke(a.Buffer<T>()[a.offset], b.Span<T>(), dst); return; }
        if (result.NumEl == 0) return;

        // General case: walk rows. A row kernel needs each input's inner stride to be 1 (a row) or 0 (a value).
        var sa = Shapes.BroadcastStrides(a.shape, a.strides, outShape);
        var sb = Shapes.BroadcastStrides(b.shape, b.strides, outShape);
        var layout = new StridedLayout(outShape, [0, a.offset, b.offset], result.strides, sa, sb);
        if (layout.InnerStrides[1] > 1 || layout.InnerStrides[2] > 1)
        {
            if (layout.InnerStrides[1] > 1) a = a.Detach().Contiguous();
            if (layout.InnerStrides[2] > 1) b = b.Detach().Contiguous();
            sa = Shapes.BroadcastStrides(a.shape, a.strides, outShape);
            sb = Shapes.BroadcastStrides(b.shape, b.strides, outShape);
            layout = new StridedLayout(outShape, [0, a.offset, b.offset], result.strides, sa, sb);
        }
        T[] ab = a.Buffer<T>(), bb = b.Buffer<T>();
        int n = layout.RowLength;
        bool aRow = layout.InnerStrides[1] == 1, bRow = layout.InnerStrides[2] == 1;
        for (int r = 0; r < layout.Rows; r++, layout.Advance())
        {
            var d = dst.Slice(layout.Offset(0), n);
            int oa = layout.Offset(1), ob = layout.Offset(2);
            if (aRow && bRow) kernel.Invoke(new ReadOnlySpan<T>(ab, oa, n), new ReadOnlySpan<T>(bb, ob, n), d);
            else if (aRow) kernel.Invoke(new ReadOnlySpan<T>(ab, oa, n), bb[ob], d);
            else if (bRow) kernel.Invoke(ab[oa], new ReadOnlySpan<T>(bb, ob, n), d);
            else
            {
                kernel.Invoke(new ReadOnlySpan<T>(ab, oa, 1), new ReadOnlySpan<T>(bb, ob, 1), d[..1]);
                d.Fill(d[0]);
            }
        }
    }

    /// <summary>Runs a per-element binary operator with broadcasting (see <see cref="BinaryOperatorKernel{TOp}"/>).</summary>
    internal static Tensor BinaryMap<TOp>(Tensor a, Tensor b, string op, TOp elementOp) where TOp : struct, IBinaryOperator =>
        Binary(a, b, op, new BinaryOperatorKernel<TOp>(elementOp));

    /// <summary>Runs a unary row kernel over a contiguous copy of <paramref name="x"/>, returning a new tensor.</summary>
    internal static Tensor Unary<TOp>(Tensor x, TOp kernel) where TOp : struct, IUnarySpanOp
    {
        var src = x.IsContiguous ? x : x.Detach().Contiguous();
        var result = Uninitialized(x.DType, x.shape);
        if (x.DType == DType.Float64) kernel.Invoke(src.Span<double>(), result.Span<double>());
        else kernel.Invoke(src.Span<float>(), result.Span<float>());
        return result;
    }

    /// <summary>Applies a per-element operator to two same-shaped tensors (used by backward formulas).</summary>
    internal static Tensor Map<TOp>(Tensor x, Tensor y, TOp op) where TOp : struct, IBinaryOperator
    {
        if (!Shapes.Equal(x.shape, y.shape))
            throw new InvalidOperationException($"Internal error: Map over shapes {Shapes.Format(x.shape)} and {Shapes.Format(y.shape)}.");
        if (x.DType != y.DType) { x = x.To(DType.Float64); y = y.To(DType.Float64); }
        var xc = x.IsContiguous ? x : x.Detach().Contiguous();
        var yc = y.IsContiguous ? y : y.Detach().Contiguous();
        var result = Uninitialized(x.DType, x.shape);
        if (x.DType == DType.Float64) ElementwiseDriver.Map(xc.Span<double>(), yc.Span<double>(), result.Span<double>(), op);
        else ElementwiseDriver.Map(xc.Span<float>(), yc.Span<float>(), result.Span<float>(), op);
        return result;
    }

    /// <summary>Applies a per-element operator to one tensor.</summary>
    internal static Tensor Map<TOp>(Tensor x, TOp op) where TOp : struct, IUnaryOperator
    {
        var xc = x.IsContiguous ? x : x.Detach().Contiguous();
        var result = Uninitialized(x.DType, x.shape);
        if (x.DType == DType.Float64) ElementwiseDriver.Map(xc.Span<double>(), result.Span<double>(), op);
        else ElementwiseDriver.Map(xc.Span<float>(), result.Span<float>(), op);
        return result;
    }
}
