using System.Numerics;
using System.Numerics.Tensors;

namespace Nabla.Kernels;

/// <summary>
/// Batch normalization over a contiguous (N, C, L) buffer: statistics per channel c over the N * L values
/// x[n, c, l]. Two layouts drive the loops:
/// <list type="bullet">
/// <item>L = 1, input (N, C): each sample is a row of C channels, so every pass adds whole rows into per-channel
/// vectors (SIMD across channels);</item>
/// <item>L &gt; 1, input (N, C, L): each (n, c) is a contiguous row of L values of one channel (SIMD along the row).</item>
/// </list>
/// The mean comes first and the variance from the deviations (two passes): E[x^2] - E[x]^2 would cancel when the
/// mean is large against the spread.
/// </summary>
internal static class BatchNormKernels
{
    /// <summary>mean[c] and the biased variance[c] over n and l; <paramref name="scratch"/> (N*C*L, e.g. the output) is overwritten.</summary>
    public static void Statistics<T>(ReadOnlySpan<T> x, int n, int c, int l, Span<T> mean, Span<T> variance, Span<T> scratch)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        T count = T.CreateTruncating((long)n * l);
        mean.Clear();
        variance.Clear();
        if (l == 1)
        {
            for (int i = 0; i < n; i++) TensorPrimitives.Add(mean, x.Slice(i * c, c), mean);
            TensorPrimitives.Divide(mean, count, mean);
            for (int i = 0; i < n; i++)
            {
                var d = scratch.Slice(i * c, c);
                TensorPrimitives.Subtract(x.Slice(i * c, c), mean, d);
                TensorPrimitives.MultiplyAdd(d, d, variance, variance);
            }
        }
        else
        {
            for (int i = 0; i < n; i++)
                for (int ch = 0; ch < c; ch++)
                    mean[ch] += TensorPrimitives.Sum(x.Slice((i * c + ch) * l, l));
            TensorPrimitives.Divide(mean, count, mean);
            for (int i = 0; i < n; i++)
                for (int ch = 0; ch < c; ch++)
                {
                    var d = scratch.Slice((i * c + ch) * l, l);
                    TensorPrimitives.Subtract(x.Slice((i * c + ch) * l, l), mean[ch], d);
                    variance[ch] += TensorPrimitives.SumOfSquares<T>(d);
                }
        }
        TensorPrimitives.Divide(variance, count, variance);
    }

    /// <summary>y = x * scale[c] + shift[c] (scale = w / sqrt(var + eps), shift = b - mean * scale: one multiply-add per element).</summary>
    public static void Affine<T>(ReadOnlySpan<T> x, int n, int c, int l, ReadOnlySpan<T> scale, ReadOnlySpan<T> shift, Span<T> y)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (l == 1)
        {
            for (int i = 0; i < n; i++) TensorPrimitives.MultiplyAdd(x.Slice(i * c, c), scale, shift, y.Slice(i * c, c));
            return;
        }
        for (int i = 0; i < n; i++)
            for (int ch = 0; ch < c; ch++)
            {
                var yr = y.Slice((i * c + ch) * l, l);
                TensorPrimitives.Multiply(x.Slice((i * c + ch) * l, l), scale[ch], yr);
                TensorPrimitives.Add(yr, shift[ch], yr);
            }
    }

    /// <summary>
    /// The per-channel sums the backward needs, sumDy[c] = sum dy and sumDyXmu[c] = sum dy * (x - mean[c]);
    /// leaves x - mean in <paramref name="xmu"/> for <see cref="InputGradient{T}"/>.
    /// </summary>
    public static void GradientSums<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> dy, int n, int c, int l, ReadOnlySpan<T> mean,
                                       Span<T> sumDy, Span<T> sumDyXmu, Span<T> xmu)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        sumDy.Clear();
        sumDyXmu.Clear();
        if (l == 1)
        {
            for (int i = 0; i < n; i++)
            {
                var d = xmu.Slice(i * c, c);
                var g = dy.Slice(i * c, c);
                TensorPrimitives.Subtract(x.Slice(i * c, c), mean, d);
                TensorPrimitives.Add(sumDy, g, sumDy);
                TensorPrimitives.MultiplyAdd(g, d, sumDyXmu, sumDyXmu);
            }
            return;
        }
        for (int i = 0; i < n; i++)
            for (int ch = 0; ch < c; ch++)
            {
                int at = (i * c + ch) * l;
                var d = xmu.Slice(at, l);
                var g = dy.Slice(at, l);
                TensorPrimitives.Subtract(x.Slice(at, l), mean[ch], d);
                sumDy[ch] += TensorPrimitives.Sum(g);
                sumDyXmu[ch] += TensorPrimitives.Dot(g, d);
            }
    }

    /// <summary>dx = a[c] * dy + b[c] * (x - mean) + k[c], in place over <paramref name="xmuThenDx"/> (which holds x - mean).</summary>
    public static void InputGradient<T>(ReadOnlySpan<T> dy, int n, int c, int l, ReadOnlySpan<T> a, ReadOnlySpan<T> b, ReadOnlySpan<T> k,
                                        Span<T> xmuThenDx)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (l == 1)
        {
            for (int i = 0; i < n; i++)
            {
                var d = xmuThenDx.Slice(i * c, c);
                TensorPrimitives.MultiplyAdd(d, b, k, d);
                TensorPrimitives.MultiplyAdd(dy.Slice(i * c, c), a, d, d);
            }
            return;
        }
        for (int i = 0; i < n; i++)
            for (int ch = 0; ch < c; ch++)
            {
                int at = (i * c + ch) * l;
                var d = xmuThenDx.Slice(at, l);
                TensorPrimitives.Multiply(d, b[ch], d);
                TensorPrimitives.Add(d, k[ch], d);
                TensorPrimitives.MultiplyAdd(dy.Slice(at, l), a[ch], d, d);
            }
    }
}
