using System.Numerics;
using System.Numerics.Tensors;

namespace Nabla.Kernels;

/// <summary>
/// Layer normalization over contiguous rows of D values: every row is normalized on its own, so each pass is a
/// TensorPrimitives call over one row that stays in cache between passes.
/// </summary>
internal static class LayerNormKernels
{
    /// <summary>
    /// Per row: mean, the biased variance from the deviations (two passes, stable when the mean is large),
    /// invStd = 1 / sqrt(var + eps), y = (x - mean) invStd * w + b (w and b of length D, or empty for none).
    /// </summary>
    public static void Forward<T>(ReadOnlySpan<T> x, int rows, int d, ReadOnlySpan<T> w, ReadOnlySpan<T> b, T eps,
                                  Span<T> y, Span<T> mean, Span<T> invStd)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        T count = T.CreateTruncating(d);
        for (int r = 0; r < rows; r++)
        {
            var xr = x.Slice(r * d, d);
            var yr = y.Slice(r * d, d);
            T mu = TensorPrimitives.Sum(xr) / count;
            TensorPrimitives.Subtract(xr, mu, yr);
            T istd = T.One / T.Sqrt(TensorPrimitives.SumOfSquares<T>(yr) / count + eps);
            mean[r] = mu;
            invStd[r] = istd;
            TensorPrimitives.Multiply(yr, istd, yr);
            if (!w.IsEmpty && !b.IsEmpty) TensorPrimitives.MultiplyAdd(yr, w, b, yr);
            else if (!w.IsEmpty) TensorPrimitives.Multiply(yr, w, yr);
            else if (!b.IsEmpty) TensorPrimitives.Add(yr, b, yr);
        }
    }

    /// <summary>
    /// Per row, with xhat = (x - mean) invStd and g = dy * w:
    /// dx = invStd (g - mean(g) - xhat mean(g xhat)) (when <paramref name="dx"/> is not empty), and summed over rows
    /// dw += dy xhat, db += dy (when those are not empty). <paramref name="xhat"/> is a scratch row of D values.
    /// </summary>
    public static void Backward<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> dy, int rows, int d, ReadOnlySpan<T> w,
                                   ReadOnlySpan<T> mean, ReadOnlySpan<T> invStd, Span<T> dx, Span<T> dw, Span<T> db, Span<T> xhat)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        T count = T.CreateTruncating(d);
        for (int r = 0; r < rows; r++)
        {
            var dyr = dy.Slice(r * d, d);
            T istd = invStd[r];
            TensorPrimitives.Subtract(x.Slice(r * d, d), mean[r], xhat);
            TensorPrimitives.Multiply(xhat, istd, xhat);
            if (!dw.IsEmpty) TensorPrimitives.MultiplyAdd(dyr, xhat, dw, dw);
            if (!db.IsEmpty) TensorPrimitives.Add(db, dyr, db);
            if (dx.IsEmpty) continue;
            var g = dx.Slice(r * d, d); // g = dy * w, then turned into dx in place
            if (w.IsEmpty) dyr.CopyTo(g);
            else TensorPrimitives.Multiply(dyr, w, g);
            T meanG = TensorPrimitives.Sum<T>(g) / count;
            T meanGX = TensorPrimitives.Dot<T>(g, xhat) / count;
            TensorPrimitives.Multiply(g, istd, g);
            TensorPrimitives.Add(g, -istd * meanG, g);
            TensorPrimitives.MultiplyAdd(xhat, -istd * meanGX, g, g);
        }
    }
}
