using System.Numerics;

namespace Nabla.Kernels;

/// <summary>
/// Where each output row (or column) of a 2-D resampling reads from: input index <see cref="I0"/> with weight
/// <see cref="L0"/> and <see cref="I1"/> with weight <see cref="L1"/>. Nearest mode uses <see cref="I0"/> only.
/// </summary>
internal sealed record UpsampleTaps<T>(int[] I0, int[] I1, T[] L0, T[] L1)
{
    /// <summary>Output positions along this dim.</summary>
    public int Length => I0.Length;
}

/// <summary>
/// Nearest and bilinear resampling of (planes, H, W) to (planes, OH, OW), as PyTorch's <c>upsample_nearest2d</c>
/// and <c>upsample_bilinear2d</c> (CPU): the taps are computed once per call, one dim at a time, so the loops over
/// pixels only read tables. Planes are split across threads above <see cref="PlaneChunks.ParallelMinElements"/>.
/// </summary>
internal static class UpsampleKernels
{
    /// <summary>
    /// PyTorch's <c>nearest_idx</c>: src = min(floor(dst * scale), size - 1) in float arithmetic (as PyTorch does, so
    /// that ties at odd ratios round the same way), with scale = 1 / scale_factor when one was given, else in / out.
    /// </summary>
    public static UpsampleTaps<T> Nearest<T>(int size, int outSize, double? scaleFactor) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var i0 = new int[outSize];
        float scale = scaleFactor is double f && f > 0 ? (float)(1.0 / f) : (float)size / outSize;
        for (int o = 0; o < outSize; o++)
        {
            i0[o] = outSize == size ? o
                : outSize == 2 * size ? o >> 1
                : Math.Min((int)MathF.Floor(o * scale), size - 1);
        }
        return new UpsampleTaps<T>(i0, i0, [], []);
    }

    /// <summary>
    /// PyTorch's linear taps: with <paramref name="alignCorners"/> the corner pixels' centres line up, src = dst (size
    /// - 1) / (out - 1); otherwise the pixel areas do, src = max((dst + 0.5) scale - 0.5, 0) with scale = 1 /
    /// scale_factor when one was given, else in / out. Then i0 = floor(src), i1 = min(i0 + 1, size - 1), l1 = src - i0.
    /// </summary>
    public static UpsampleTaps<T> Linear<T>(int size, int outSize, double? scaleFactor, bool alignCorners) where T : unmanaged, IFloatingPointIeee754<T>
    {
        double scale = alignCorners
            ? (outSize > 1 ? (size - 1) / (double)(outSize - 1) : 0)
            : scaleFactor is double f && f > 0 ? 1.0 / f : size / (double)outSize;
        // float32 tensors get float32 taps, as PyTorch computes them in the tensor's own precision.
        bool single = typeof(T) == typeof(float);
        var (i0, i1, l0, l1) = (new int[outSize], new int[outSize], new T[outSize], new T[outSize]);
        for (int o = 0; o < outSize; o++)
        {
            double src;
            if (single)
            {
                float s = (float)scale;
                src = alignCorners ? s * o : Math.Max(s * (o + 0.5f) - 0.5f, 0f);
            }
            else
            {
                src = alignCorners ? scale * o : Math.Max(scale * (o + 0.5) - 0.5, 0);
            }
            int lo = Math.Min((int)src, size - 1);
            i0[o] = lo;
            i1[o] = lo < size - 1 ? lo + 1 : lo;
            var lambda = single ? T.CreateTruncating((float)src - lo) : T.CreateTruncating(src - lo);
            l1[o] = lambda;
            l0[o] = T.One - lambda;
        }
        return new UpsampleTaps<T>(i0, i1, l0, l1);
    }

    /// <summary>y (planes, OH, OW) from x (planes, H, W).</summary>
    public static void Forward<T>(int planes, int h, int w, UpsampleTaps<T> rows, UpsampleTaps<T> cols, bool bilinear,
                                  ReadOnlyMemory<T> x, Memory<T> y)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int chunks = PlaneChunks.Count(planes, (long)planes * rows.Length * cols.Length, Threads.Count);
        Threads.For(chunks, new Pass<T>(planes, h, w, rows, cols, bilinear, backward: false, x, y, chunks));
    }

    /// <summary>dx (planes, H, W) += the gradient for dy (planes, OH, OW).</summary>
    public static void Backward<T>(int planes, int h, int w, UpsampleTaps<T> rows, UpsampleTaps<T> cols, bool bilinear,
                                   ReadOnlyMemory<T> dy, Memory<T> dx)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int chunks = PlaneChunks.Count(planes, (long)planes * rows.Length * cols.Length, Threads.Count);
        Threads.For(chunks, new Pass<T>(planes, h, w, rows, cols, bilinear, backward: true, dy, dx, chunks));
    }

    /// <summary>One chunk of planes, forward (gather) or backward (scatter-add with the same taps).</summary>
    private readonly struct Pass<T>(int planes, int h, int w, UpsampleTaps<T> rows, UpsampleTaps<T> cols, bool bilinear, bool backward,
                                    ReadOnlyMemory<T> source, Memory<T> target, int chunks) : IParallelWork
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        public void Run(int index)
        {
            var (first, end) = PlaneChunks.Range(index, chunks, planes);
            int inSize = h * w, oh = rows.Length, ow = cols.Length, outSize = oh * ow;
            var src = source.Span;
            var dst = target.Span;
            for (int plane = first; plane < end; plane++)
            {
                if (!backward)
                {
                    var input = src.Slice(plane * inSize, inSize);
                    var output = dst.Slice(plane * outSize, outSize);
                    if (bilinear) BilinearForward(input, output, w, rows, cols);
                    else NearestForward(input, output, w, rows, cols);
                }
                else
                {
                    var gradOut = src.Slice(plane * outSize, outSize);
                    var gradIn = dst.Slice(plane * inSize, inSize);
                    if (bilinear) BilinearBackward(gradOut, gradIn, w, rows, cols);
                    else NearestBackward(gradOut, gradIn, w, rows, cols);
                }
            }
        }
    }

    private static void NearestForward<T>(ReadOnlySpan<T> x, Span<T> y, int w, UpsampleTaps<T> rows, UpsampleTaps<T> cols)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int ow = cols.Length;
        var ci = cols.I0;
        for (int r = 0; r < rows.Length; r++)
        {
            var from = x.Slice(rows.I0[r] * w, w);
            var to = y.Slice(r * ow, ow);
            // The same source row twice in a row (every integer factor) is one copy of the row already written.
            if (r > 0 && rows.I0[r] == rows.I0[r - 1])
            {
                y.Slice((r - 1) * ow, ow).CopyTo(to);
                continue;
            }
            for (int c = 0; c < ow; c++) to[c] = from[ci[c]];
        }
    }

    private static void NearestBackward<T>(ReadOnlySpan<T> dy, Span<T> dx, int w, UpsampleTaps<T> rows, UpsampleTaps<T> cols)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int ow = cols.Length;
        var ci = cols.I0;
        for (int r = 0; r < rows.Length; r++)
        {
            var from = dy.Slice(r * ow, ow);
            var to = dx.Slice(rows.I0[r] * w, w);
            for (int c = 0; c < ow; c++) to[ci[c]] += from[c];
        }
    }

    private static void BilinearForward<T>(ReadOnlySpan<T> x, Span<T> y, int w, UpsampleTaps<T> rows, UpsampleTaps<T> cols)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int ow = cols.Length;
        int[] c0 = cols.I0, c1 = cols.I1;
        T[] b0 = cols.L0, b1 = cols.L1;
        for (int r = 0; r < rows.Length; r++)
        {
            var top = x.Slice(rows.I0[r] * w, w);
            var bottom = x.Slice(rows.I1[r] * w, w);
            T a0 = rows.L0[r], a1 = rows.L1[r];
            var to = y.Slice(r * ow, ow);
            for (int c = 0; c < ow; c++)
            {
                // PyTorch's order of operations, so float32 results agree to the last bit where they can.
                to[c] = a0 * (b0[c] * top[c0[c]] + b1[c] * top[c1[c]]) + a1 * (b0[c] * bottom[c0[c]] + b1[c] * bottom[c1[c]]);
            }
        }
    }

    private static void BilinearBackward<T>(ReadOnlySpan<T> dy, Span<T> dx, int w, UpsampleTaps<T> rows, UpsampleTaps<T> cols)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int ow = cols.Length;
        int[] c0 = cols.I0, c1 = cols.I1;
        T[] b0 = cols.L0, b1 = cols.L1;
        for (int r = 0; r < rows.Length; r++)
        {
            int top = rows.I0[r] * w, bottom = rows.I1[r] * w;
            T a0 = rows.L0[r], a1 = rows.L1[r];
            var from = dy.Slice(r * ow, ow);
            for (int c = 0; c < ow; c++)
            {
                T g = from[c];
                dx[top + c0[c]] += a0 * b0[c] * g;
                dx[top + c1[c]] += a0 * b1[c] * g;
                dx[bottom + c0[c]] += a1 * b0[c] * g;
                dx[bottom + c1[c]] += a1 * b1[c] * g;
            }
        }
    }
}
