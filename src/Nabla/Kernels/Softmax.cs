using System.Numerics;
using System.Numerics.Tensors;

namespace Nabla.Kernels;

/// <summary>
/// Softmax and log-softmax over contiguous rows, forward and backward: each row is a handful of TensorPrimitives
/// passes (max, subtract, exp, sum, scale), so every pass is a SIMD loop over data that is still in cache.
/// </summary>
internal static class SoftmaxRows
{
    /// <summary>y = exp(x - max) / sum(exp(x - max)) per row: subtracting the row maximum keeps every exp in (0, 1].</summary>
    public static void Forward<T>(ReadOnlySpan<T> x, int rows, int length, Span<T> y)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (length == 0) return;
        for (int r = 0; r < rows; r++)
        {
            var xr = x.Slice(r * length, length);
            var yr = y.Slice(r * length, length);
            TensorPrimitives.Subtract(xr, TensorPrimitives.Max(xr), yr);
            TensorPrimitives.Exp(yr, yr);
            TensorPrimitives.Divide(yr, TensorPrimitives.Sum<T>(yr), yr);
        }
    }

    /// <summary>y = x - max - log(sum(exp(x - max))) per row (never takes the log of a rounded-to-zero probability).</summary>
    public static void LogForward<T>(ReadOnlySpan<T> x, int rows, int length, Span<T> y)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (length == 0) return;
        for (int r = 0; r < rows; r++)
        {
            var xr = x.Slice(r * length, length);
            var yr = y.Slice(r * length, length);
            T max = TensorPrimitives.Max(xr);
            TensorPrimitives.Subtract(xr, max, yr); // yr is scratch for the exps, then overwritten
            TensorPrimitives.Exp(yr, yr);
            T logSum = T.Log(TensorPrimitives.Sum<T>(yr));
            TensorPrimitives.Subtract(xr, max + logSum, yr);
        }
    }

    /// <summary>dx = y * (dy - sum(dy * y)) per row, from the softmax output y.</summary>
    public static void Backward<T>(ReadOnlySpan<T> y, ReadOnlySpan<T> dy, int rows, int length, Span<T> dx)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (length == 0) return;
        for (int r = 0; r < rows; r++)
        {
            var yr = y.Slice(r * length, length);
            var dyr = dy.Slice(r * length, length);
            var dxr = dx.Slice(r * length, length);
            TensorPrimitives.Subtract(dyr, TensorPrimitives.Dot(dyr, yr), dxr);
            TensorPrimitives.Multiply(dxr, yr, dxr);
        }
    }

    /// <summary>dx = dy - exp(y) * sum(dy) per row, from the log-softmax output y.</summary>
    public static void LogBackward<T>(ReadOnlySpan<T> y, ReadOnlySpan<T> dy, int rows, int length, Span<T> dx)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (length == 0) return;
        for (int r = 0; r < rows; r++)
        {
            var yr = y.Slice(r * length, length);
            var dyr = dy.Slice(r * length, length);
            var dxr = dx.Slice(r * length, length);
            T sum = TensorPrimitives.Sum(dyr);
            TensorPrimitives.Exp(yr, dxr);
            TensorPrimitives.MultiplyAdd(dxr, -sum, dyr, dxr);
        }
    }
}
