using System.Numerics;
using System.Numerics.Tensors;

namespace Nabla.Kernels;

/// <summary>
/// Reductions (sum, max, min, arg-max, log-sum-exp) over a set of dims of a contiguous buffer. When the reduced
/// dims are all trailing, each output comes from one contiguous row (TensorPrimitives.Sum, Max, IndexOfMax...);
/// when they are all leading, rows are combined elementwise into the output row (TensorPrimitives.Add, Max);
/// otherwise the caller permutes the reduced dims to the end first.
/// </summary>
internal static class Reduce
{
    /// <summary>Sums each of <paramref name="rows"/> contiguous rows of length <paramref name="length"/>.</summary>
    public static void SumRows<T>(ReadOnlySpan<T> x, int rows, int length, Span<T> destination)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int r = 0; r < rows; r++)
            destination[r] = length == 0 ? T.Zero : TensorPrimitives.Sum(x.Slice(r * length, length));
    }

    /// <summary>Adds <paramref name="rows"/> contiguous rows of length <paramref name="length"/> into one row.</summary>
    public static void SumColumns<T>(ReadOnlySpan<T> x, int rows, int length, Span<T> destination)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var d = destination[..length];
        d.Clear();
        for (int r = 0; r < rows; r++) TensorPrimitives.Add(d, x.Slice(r * length, length), d);
    }

    /// <summary>The maximum of each of <paramref name="rows"/> non-empty rows (NaN if the row holds one).</summary>
    public static void MaxRows<T>(ReadOnlySpan<T> x, int rows, int length, Span<T> destination)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int r = 0; r < rows; r++) destination[r] = TensorPrimitives.Max(x.Slice(r * length, length));
    }

    /// <summary>The minimum of each of <paramref name="rows"/> non-empty rows (NaN if the row holds one).</summary>
    public static void MinRows<T>(ReadOnlySpan<T> x, int rows, int length, Span<T> destination)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int r = 0; r < rows; r++) destination[r] = TensorPrimitives.Min(x.Slice(r * length, length));
    }

    /// <summary>The elementwise maximum of <paramref name="rows"/> (at least one) rows of length <paramref name="length"/>.</summary>
    public static void MaxColumns<T>(ReadOnlySpan<T> x, int rows, int length, Span<T> destination)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var d = destination[..length];
        x[..length].CopyTo(d);
        for (int r = 1; r < rows; r++) TensorPrimitives.Max(d, x.Slice(r * length, length), d);
    }

    /// <summary>The elementwise minimum of <paramref name="rows"/> (at least one) rows of length <paramref name="length"/>.</summary>
    public static void MinColumns<T>(ReadOnlySpan<T> x, int rows, int length, Span<T> destination)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var d = destination[..length];
        x[..length].CopyTo(d);
        for (int r = 1; r < rows; r++) TensorPrimitives.Min(d, x.Slice(r * length, length), d);
    }

    /// <summary>The index of the first maximum of each non-empty row (of the first NaN, if any: NaN wins, as in PyTorch).</summary>
    public static void IndexOfMaxRows<T>(ReadOnlySpan<T> x, int rows, int length, Span<int> destination)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int r = 0; r < rows; r++) destination[r] = TensorPrimitives.IndexOfMax(x.Slice(r * length, length));
    }

    /// <summary>The index of the first minimum of each non-empty row (of the first NaN, if any).</summary>
    public static void IndexOfMinRows<T>(ReadOnlySpan<T> x, int rows, int length, Span<int> destination)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int r = 0; r < rows; r++) destination[r] = TensorPrimitives.IndexOfMin(x.Slice(r * length, length));
    }

    /// <summary>
    /// log(sum(exp(row))) of each row, computed as m + log(sum(exp(row - m))) with m the row's maximum, so that
    /// no exp overflows (every term is at most 1) and the largest term is exact. As PyTorch, an infinite m is
    /// replaced by 0 (so a row of -inf gives -inf and a row holding +inf gives +inf), and an empty row gives -inf.
    /// </summary>
    public static void LogSumExpRows<T>(ReadOnlySpan<T> x, int rows, int length, Span<T> destination)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var scratch = new T[length]; // one buffer for all rows
        for (int r = 0; r < rows; r++)
        {
            if (length == 0) { destination[r] = T.NegativeInfinity; continue; }
            var row = x.Slice(r * length, length);
            T m = TensorPrimitives.Max(row);
            if (T.IsInfinity(m)) m = T.Zero;
            TensorPrimitives.Subtract(row, m, scratch);
            TensorPrimitives.Exp(scratch, scratch);
            destination[r] = T.Log(TensorPrimitives.Sum<T>(scratch)) + m;
        }
    }
}
