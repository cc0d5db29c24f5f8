using System.Numerics;
using System.Numerics.Tensors;

namespace Nabla.Kernels;

/// <summary>
/// Sum over a set of dims of a contiguous buffer. The dims are split into blocks: when the reduced dims
/// are all trailing, each output is the sum of one contiguous row (TensorPrimitives.Sum); when they are all
/// leading, rows are added into the output (TensorPrimitives.Add); otherwise the caller permutes first.
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
}
