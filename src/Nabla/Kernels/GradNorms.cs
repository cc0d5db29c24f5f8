using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Nabla.Kernels;

/// <summary>
/// The reductions behind gradient-norm clipping: sum of squares, sum of magnitudes, largest magnitude and
/// sum of p-th powers of magnitudes. float32 input is accumulated in float64, so the norm of a million
/// gradients keeps its digits.
/// </summary>
internal static class GradNorms
{
    /// <summary>sum(x^2), accumulated in double.</summary>
    public static double SumOfSquares<T>(ReadOnlySpan<T> x) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(double)) return TensorPrimitives.SumOfSquares(MemoryMarshal.Cast<T, double>(x));
        var f = MemoryMarshal.Cast<T, float>(x);
        int i = 0;
        double total = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            var acc0 = Vector256<double>.Zero;
            var acc1 = Vector256<double>.Zero;
            ref float r = ref MemoryMarshal.GetReference(f);
            for (int last = f.Length - Vector256<float>.Count; i <= last; i += Vector256<float>.Count)
            {
                var (lo, hi) = Vector256.Widen(Vector256.LoadUnsafe(ref r, (nuint)i));
                acc0 += lo * lo;
                acc1 += hi * hi;
            }
            total = Vector256.Sum(acc0 + acc1);
        }
        for (; i < f.Length; i++) total += (double)f[i] * f[i];
        return total;
    }

    /// <summary>sum(|x|), accumulated in double.</summary>
    public static double SumOfMagnitudes<T>(ReadOnlySpan<T> x) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(double)) return TensorPrimitives.SumOfMagnitudes(MemoryMarshal.Cast<T, double>(x));
        var f = MemoryMarshal.Cast<T, float>(x);
        int i = 0;
        double total = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            var acc = Vector256<double>.Zero;
            ref float r = ref MemoryMarshal.GetReference(f);
            for (int last = f.Length - Vector256<float>.Count; i <= last; i += Vector256<float>.Count)
            {
                var (lo, hi) = Vector256.Widen(Vector256.Abs(Vector256.LoadUnsafe(ref r, (nuint)i)));
                acc += lo + hi;
            }
            total = Vector256.Sum(acc);
        }
        for (; i < f.Length; i++) total += Math.Abs(f[i]);
        return total;
    }

    /// <summary>max(|x|), NaN if any element is NaN, 0 for an empty span.</summary>
    public static double MaxMagnitude<T>(ReadOnlySpan<T> x) where T : unmanaged, IFloatingPointIeee754<T> =>
        x.IsEmpty ? 0 : double.CreateTruncating(T.Abs(TensorPrimitives.MaxMagnitude(x)));

    /// <summary>sum(|x|^p) for a finite p &gt; 0 (the rare general case: one scalar loop).</summary>
    public static double SumOfPowers<T>(ReadOnlySpan<T> x, double p) where T : unmanaged, IFloatingPointIeee754<T>
    {
        double total = 0;
        foreach (var v in x) total += Math.Pow(Math.Abs(double.CreateTruncating(v)), p);
        return total;
    }
}
