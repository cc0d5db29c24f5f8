using System.Buffers;
using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Nabla.Kernels;

/// <summary>
/// Batch normalization over a contiguous (N, C, L) buffer: statistics per channel c over the N * L values
/// x[n, c, l]. Two layouts drive the loops:
/// <list type="bullet">
/// <item>L = 1, input (N, C): each sample is a row of C channels, so every pass adds whole rows into per-channel
/// vectors (SIMD across channels), on the calling thread;</item>
/// <item>L &gt; 1, input (N, C, L): each (n, c) is a contiguous row of L values of one channel (SIMD along the row), and
/// the channels are independent, so they are shared out across threads, each channel's N rows on one thread.</item>
/// </list>
/// The mean comes first and the variance from the deviations (two passes): E[x^2] - E[x]^2 would cancel when the
/// mean is large against the spread. Each pass is one sweep over the data with the arithmetic fused into it
/// (the deviations are never stored): at (64, 32, 28 x 28) the passes are bound by memory traffic, not arithmetic.
/// </summary>
internal static class BatchNormKernels
{
    /// <summary>Below this many elements the work stays on the calling thread.</summary>
    internal const int ParallelMinElements = 1 << 15;

    /// <summary>mean[c] and the biased variance[c] over n and l.</summary>
    public static void Statistics<T>(ReadOnlyMemory<T> x, int n, int c, int l, Memory<T> mean, Memory<T> variance, int maxThreads)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        T count = T.CreateTruncating((long)n * l);
        if (l == 1)
        {
            var xs = x.Span;
            var m = mean.Span;
            var v = variance.Span;
            m.Clear();
            v.Clear();
            for (int i = 0; i < n; i++) TensorPrimitives.Add(m, xs.Slice(i * c, c), m);
            TensorPrimitives.Divide(m, count, m);
            using var row = new Scratch<T>(c);
            for (int i = 0; i < n; i++)
            {
                TensorPrimitives.Subtract(xs.Slice(i * c, c), m, row.Span);
                TensorPrimitives.MultiplyAdd(row.Span, row.Span, v, v);
            }
            TensorPrimitives.Divide(v, count, v);
            return;
        }
        Threads.For(c, WorkThreads(n, c, l, maxThreads), new StatisticsWork<T>(x, n, c, l, mean, variance));
    }

    /// <summary>y = x * scale[c] + shift[c] (scale = w / sqrt(var + eps), shift = b - mean * scale: one multiply-add per element).</summary>
    public static void Affine<T>(ReadOnlyMemory<T> x, int n, int c, int l, ReadOnlyMemory<T> scale, ReadOnlyMemory<T> shift, Memory<T> y, int maxThreads)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (l == 1)
        {
            var xs = x.Span;
            var ys = y.Span;
            for (int i = 0; i < n; i++) TensorPrimitives.MultiplyAdd(xs.Slice(i * c, c), scale.Span, shift.Span, ys.Slice(i * c, c));
            return;
        }
        Threads.For(c, WorkThreads(n, c, l, maxThreads), new AffineWork<T>(x, n, c, l, scale, shift, y));
    }

    /// <summary>The per-channel sums the backward needs: sumDy[c] = sum dy and sumDyXmu[c] = sum dy * (x - mean[c]).</summary>
    public static void GradientSums<T>(ReadOnlyMemory<T> x, ReadOnlyMemory<T> dy, int n, int c, int l, ReadOnlyMemory<T> mean,
                                       Memory<T> sumDy, Memory<T> sumDyXmu, int maxThreads)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (l == 1)
        {
            var xs = x.Span;
            var gs = dy.Span;
            var s1 = sumDy.Span;
            var s2 = sumDyXmu.Span;
            s1.Clear();
            s2.Clear();
            using var row = new Scratch<T>(c);
            for (int i = 0; i < n; i++)
            {
                var g = gs.Slice(i * c, c);
                TensorPrimitives.Subtract(xs.Slice(i * c, c), mean.Span, row.Span);
                TensorPrimitives.Add(s1, g, s1);
                TensorPrimitives.MultiplyAdd(g, row.Span, s2, s2);
            }
            return;
        }
        Threads.For(c, WorkThreads(n, c, l, maxThreads), new GradientSumsWork<T>(x, dy, n, c, l, mean, sumDy, sumDyXmu));
    }

    /// <summary>dx = a[c] * dy + b[c] * (x - mean[c]) + k[c].</summary>
    public static void InputGradient<T>(ReadOnlyMemory<T> dy, ReadOnlyMemory<T> x, int n, int c, int l, ReadOnlyMemory<T> mean,
                                        ReadOnlyMemory<T> a, ReadOnlyMemory<T> b, ReadOnlyMemory<T> k, Memory<T> dx, int maxThreads)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (l == 1)
        {
            var xs = x.Span;
            var gs = dy.Span;
            var ds = dx.Span;
            for (int i = 0; i < n; i++)
            {
                var d = ds.Slice(i * c, c);
                TensorPrimitives.Subtract(xs.Slice(i * c, c), mean.Span, d);
                TensorPrimitives.MultiplyAdd(d, b.Span, k.Span, d);
                TensorPrimitives.MultiplyAdd(gs.Slice(i * c, c), a.Span, d, d);
            }
            return;
        }
        Threads.For(c, WorkThreads(n, c, l, maxThreads), new InputGradientWork<T>(dy, x, n, c, l, mean, a, b, k, dx));
    }

    private static int WorkThreads(int n, int c, int l, int maxThreads) => (long)n * c * l < ParallelMinElements ? 1 : maxThreads;

    private readonly struct StatisticsWork<T>(ReadOnlyMemory<T> x, int n, int c, int l, Memory<T> mean, Memory<T> variance) : IParallelWork
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        public void Run(int ch)
        {
            var xs = x.Span;
            T sum = T.Zero;
            for (int i = 0; i < n; i++) sum += TensorPrimitives.Sum(xs.Slice((i * c + ch) * l, l));
            T count = T.CreateTruncating((long)n * l);
            T m = sum / count;
            T squares = T.Zero;
            for (int i = 0; i < n; i++) squares += SquaredDeviations(xs.Slice((i * c + ch) * l, l), m);
            mean.Span[ch] = m;
            variance.Span[ch] = squares / count;
        }
    }

    private readonly struct AffineWork<T>(ReadOnlyMemory<T> x, int n, int c, int l, ReadOnlyMemory<T> scale, ReadOnlyMemory<T> shift, Memory<T> y)
        : IParallelWork where T : unmanaged, IFloatingPointIeee754<T>
    {
        public void Run(int ch)
        {
            var xs = x.Span;
            var ys = y.Span;
            T s = scale.Span[ch], t = shift.Span[ch];
            for (int i = 0; i < n; i++)
            {
                int at = (i * c + ch) * l;
                ScaleShift(xs.Slice(at, l), s, t, ys.Slice(at, l));
            }
        }
    }

    private readonly struct GradientSumsWork<T>(ReadOnlyMemory<T> x, ReadOnlyMemory<T> dy, int n, int c, int l, ReadOnlyMemory<T> mean,
                                                Memory<T> sumDy, Memory<T> sumDyXmu) : IParallelWork
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        public void Run(int ch)
        {
            var xs = x.Span;
            var gs = dy.Span;
            T m = mean.Span[ch], s1 = T.Zero, s2 = T.Zero;
            for (int i = 0; i < n; i++)
            {
                int at = (i * c + ch) * l;
                var (g, gd) = SumAndDeviationDot(gs.Slice(at, l), xs.Slice(at, l), m);
                s1 += g;
                s2 += gd;
            }
            sumDy.Span[ch] = s1;
            sumDyXmu.Span[ch] = s2;
        }
    }

    private readonly struct InputGradientWork<T>(ReadOnlyMemory<T> dy, ReadOnlyMemory<T> x, int n, int c, int l, ReadOnlyMemory<T> mean,
                                                 ReadOnlyMemory<T> a, ReadOnlyMemory<T> b, ReadOnlyMemory<T> k, Memory<T> dx) : IParallelWork
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        public void Run(int ch)
        {
            var xs = x.Span;
            var gs = dy.Span;
            var ds = dx.Span;
            T m = mean.Span[ch], ac = a.Span[ch], bc = b.Span[ch], kc = k.Span[ch];
            for (int i = 0; i < n; i++)
            {
                int at = (i * c + ch) * l;
                LinearCombination(gs.Slice(at, l), xs.Slice(at, l), m, ac, bc, kc, ds.Slice(at, l));
            }
        }
    }

    /// <summary>sum over i of (x[i] - m)^2.</summary>
    internal static T SquaredDeviations<T>(ReadOnlySpan<T> x, T m) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int i = 0;
        T sum = T.Zero;
        if (Vector.IsHardwareAccelerated && x.Length >= 2 * Vector<T>.Count)
        {
            var mv = new Vector<T>(m);
            Vector<T> acc0 = Vector<T>.Zero, acc1 = Vector<T>.Zero;
            ref T r = ref MemoryMarshal.GetReference(x);
            for (; i <= x.Length - 2 * Vector<T>.Count; i += 2 * Vector<T>.Count)
            {
                var d0 = Vector.LoadUnsafe(ref r, (nuint)i) - mv;
                var d1 = Vector.LoadUnsafe(ref r, (nuint)(i + Vector<T>.Count)) - mv;
                acc0 += d0 * d0;
                acc1 += d1 * d1;
            }
            sum = Vector.Sum(acc0 + acc1);
        }
        for (; i < x.Length; i++)
        {
            T d = x[i] - m;
            sum += d * d;
        }
        return sum;
    }

    /// <summary>(sum of g, sum of g (x - m)) in one sweep.</summary>
    internal static (T SumG, T SumGD) SumAndDeviationDot<T>(ReadOnlySpan<T> g, ReadOnlySpan<T> x, T m) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int i = 0;
        T sumG = T.Zero, sumGD = T.Zero;
        if (Vector.IsHardwareAccelerated && x.Length >= Vector<T>.Count)
        {
            var mv = new Vector<T>(m);
            Vector<T> accG = Vector<T>.Zero, accGD = Vector<T>.Zero;
            ref T rg = ref MemoryMarshal.GetReference(g);
            ref T rx = ref MemoryMarshal.GetReference(x);
            for (; i <= x.Length - Vector<T>.Count; i += Vector<T>.Count)
            {
                var gv = Vector.LoadUnsafe(ref rg, (nuint)i);
                accG += gv;
                accGD += gv * (Vector.LoadUnsafe(ref rx, (nuint)i) - mv);
            }
            sumG = Vector.Sum(accG);
            sumGD = Vector.Sum(accGD);
        }
        for (; i < x.Length; i++)
        {
            sumG += g[i];
            sumGD += g[i] * (x[i] - m);
        }
        return (sumG, sumGD);
    }

    /// <summary>dx[i] = a g[i] + b (x[i] - m) + k.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void LinearCombination<T>(ReadOnlySpan<T> g, ReadOnlySpan<T> x, T m, T a, T b, T k, Span<T> dx)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated && x.Length >= Vector<T>.Count)
        {
            Vector<T> mv = new(m), av = new(a), bv = new(b), kv = new(k);
            ref T rg = ref MemoryMarshal.GetReference(g);
            ref T rx = ref MemoryMarshal.GetReference(x);
            ref T rd = ref MemoryMarshal.GetReference(dx);
            for (; i <= x.Length - Vector<T>.Count; i += Vector<T>.Count)
            {
                var inner = bv * (Vector.LoadUnsafe(ref rx, (nuint)i) - mv) + kv;
                (av * Vector.LoadUnsafe(ref rg, (nuint)i) + inner).StoreUnsafe(ref rd, (nuint)i);
            }
        }
        for (; i < x.Length; i++) dx[i] = a * g[i] + (b * (x[i] - m) + k);
    }

    /// <summary>y[i] = x[i] s + t.</summary>
    internal static void ScaleShift<T>(ReadOnlySpan<T> x, T s, T t, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated && x.Length >= Vector<T>.Count)
        {
            Vector<T> sv = new(s), tv = new(t);
            ref T rx = ref MemoryMarshal.GetReference(x);
            ref T ry = ref MemoryMarshal.GetReference(y);
            for (; i <= x.Length - Vector<T>.Count; i += Vector<T>.Count)
                (Vector.LoadUnsafe(ref rx, (nuint)i) * sv + tv).StoreUnsafe(ref ry, (nuint)i);
        }
        for (; i < x.Length; i++) y[i] = x[i] * s + t;
    }

    /// <summary>A pooled row buffer for the (N, C) layout, returned when disposed.</summary>
    private readonly ref struct Scratch<T>
    {
        private readonly T[] array;

        public Scratch(int length)
        {
            array = ArrayPool<T>.Shared.Rent(length);
            Span = array.AsSpan(0, length);
        }

        public Span<T> Span { get; }

        public void Dispose() => ArrayPool<T>.Shared.Return(array);
    }
}
