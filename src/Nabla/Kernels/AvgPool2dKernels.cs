using System.Buffers;
using System.Numerics;
using System.Numerics.Tensors;

namespace Nabla.Kernels;

/// <summary>
/// The windows of an average pooling, one dim at a time: output row oh averages input rows [HStart, HEnd) (already
/// clipped to the input) and output column ow columns [WStart, WEnd); the sum is divided by HCount[oh] * WCount[ow],
/// or by <see cref="DivisorOverride"/> when it is non-zero. AvgPool2d (with or without the padding counted) and
/// AdaptiveAvgPool2d differ only in how they fill these arrays.
/// </summary>
internal sealed record AvgPoolWindows(int[] HStart, int[] HEnd, int[] HCount, int[] WStart, int[] WEnd, int[] WCount, int DivisorOverride);

/// <summary>
/// Average pooling over rectangular windows (<see cref="AvgPoolWindows"/>). A window sum is separable: for each output
/// row the KH input rows are added into one row with vector adds across the whole width, then each output column
/// sums its span of that row. The backward runs the same two steps in reverse: each output row spreads dy / divisor
/// over its window's columns into one row, which is then vector-added into each of the window's input rows.
/// </summary>
internal static class AvgPool2dKernels
{
    /// <summary>y (planes, OH, OW) from x (planes, H, W).</summary>
    public static void Forward<T>(in Pool2dGeometry g, AvgPoolWindows windows, ReadOnlyMemory<T> x, Memory<T> y, int maxThreads)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int chunks = PlaneChunks.Count(g.Planes, (long)g.Planes * g.InSize, maxThreads);
        Threads.For(chunks, maxThreads, new ForwardChunk<T>(g, windows, x, y, chunks));
    }

    /// <summary>dx (planes, H, W) += the gradient of the averages for dy (planes, OH, OW).</summary>
    public static void Backward<T>(in Pool2dGeometry g, AvgPoolWindows windows, ReadOnlyMemory<T> dy, Memory<T> dx, int maxThreads)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int chunks = PlaneChunks.Count(g.Planes, (long)g.Planes * g.InSize, maxThreads);
        Threads.For(chunks, maxThreads, new BackwardChunk<T>(g, windows, dy, dx, chunks));
    }

    private static T Divisor<T>(AvgPoolWindows w, int oh, int ow) where T : unmanaged, IFloatingPointIeee754<T> =>
        T.CreateTruncating(w.DivisorOverride != 0 ? w.DivisorOverride : w.HCount[oh] * w.WCount[ow]);

    private readonly struct ForwardChunk<T>(in Pool2dGeometry g, AvgPoolWindows windows, ReadOnlyMemory<T> x, Memory<T> y, int chunks)
        : IParallelWork where T : unmanaged, IFloatingPointIeee754<T>
    {
        private readonly Pool2dGeometry g = g;

        public void Run(int index)
        {
            var (first, end) = PlaneChunks.Range(index, chunks, g.Planes);
            T[]? rented = null;
            Span<T> rowSum = g.W <= 512 ? stackalloc T[g.W] : (rented = ArrayPool<T>.Shared.Rent(g.W)).AsSpan(0, g.W);
            var xs = x.Span;
            var ys = y.Span;
            var win = windows;
            for (int plane = first; plane < end; plane++)
            {
                var input = xs.Slice(plane * g.InSize, g.InSize);
                var output = ys.Slice(plane * g.OutSize, g.OutSize);
                for (int oh = 0; oh < g.OH; oh++)
                {
                    rowSum.Clear();
                    for (int ih = win.HStart[oh]; ih < win.HEnd[oh]; ih++)
                        TensorPrimitives.Add(rowSum, input.Slice(ih * g.W, g.W), rowSum);
                    var outRow = output.Slice(oh * g.OW, g.OW);
                    for (int ow = 0; ow < g.OW; ow++)
                    {
                        // Windows are a few elements wide: a plain loop, not a library call per window.
                        T sum = T.Zero;
                        for (int iw = win.WStart[ow]; iw < win.WEnd[ow]; iw++) sum += rowSum[iw];
                        outRow[ow] = sum / Divisor<T>(win, oh, ow);
                    }
                }
            }
            if (rented is not null) ArrayPool<T>.Shared.Return(rented);
        }
    }

    private readonly struct BackwardChunk<T>(in Pool2dGeometry g, AvgPoolWindows windows, ReadOnlyMemory<T> dy, Memory<T> dx, int chunks)
        : IParallelWork where T : unmanaged, IFloatingPointIeee754<T>
    {
        private readonly Pool2dGeometry g = g;

        public void Run(int index)
        {
            var (first, end) = PlaneChunks.Range(index, chunks, g.Planes);
            T[]? rented = null;
            Span<T> rowGrad = g.W <= 512 ? stackalloc T[g.W] : (rented = ArrayPool<T>.Shared.Rent(g.W)).AsSpan(0, g.W);
            var gy = dy.Span;
            var gx = dx.Span;
            var win = windows;
            for (int plane = first; plane < end; plane++)
            {
                var gradOut = gy.Slice(plane * g.OutSize, g.OutSize);
                var gradIn = gx.Slice(plane * g.InSize, g.InSize);
                for (int oh = 0; oh < g.OH; oh++)
                {
                    rowGrad.Clear();
                    for (int ow = 0; ow < g.OW; ow++)
                    {
                        T share = gradOut[oh * g.OW + ow] / Divisor<T>(win, oh, ow);
                        for (int iw = win.WStart[ow]; iw < win.WEnd[ow]; iw++) rowGrad[iw] += share;
                    }
                    for (int ih = win.HStart[oh]; ih < win.HEnd[oh]; ih++)
                    {
                        var row = gradIn.Slice(ih * g.W, g.W);
                        TensorPrimitives.Add(row, rowGrad, row);
                    }
                }
            }
            if (rented is not null) ArrayPool<T>.Shared.Return(rented);
        }
    }
}
