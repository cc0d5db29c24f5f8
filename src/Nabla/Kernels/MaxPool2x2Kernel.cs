using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Nabla.Kernels;

/// <summary>
/// Max pooling over 2x2 windows with stride 2, no padding and no dilation, in float32: the pooling of most CNNs, with a
/// shorter path than <see cref="MaxPool2dKernels"/>'s general one. For four windows at a time it loads the two input rows
/// as two vectors each, takes the larger of the two rows per column, then splits even and odd columns apart with one
/// shuffle and takes the larger of each pair, all with compare-and-select, so the choices are the general kernel's
/// (PyTorch's row-major first maximum, or the last NaN). A row's last four windows may overlap the ones before them
/// (they are computed again) instead of a scalar tail.
/// </summary>
internal static class MaxPool2x2Kernel
{
    /// <summary>Whether this path takes <paramref name="g"/>: 2x2, stride 2, no padding or dilation, whole windows, at least 4 per row, SSE.</summary>
    public static bool Applies(in Pool2dGeometry g) =>
        Sse.IsSupported && g is { KH: 2, KW: 2, SH: 2, SW: 2, PH: 0, PW: 0, DH: 1, DW: 1 } && 2 * g.OH <= g.H && 2 * g.OW <= g.W && g.OW >= 4;

    /// <summary>y (planes, OH, OW) and argmax (ih * W + iw within the plane) from x (planes, H, W).</summary>
    public static void Forward(in Pool2dGeometry g, ReadOnlyMemory<float> x, Memory<float> y, Memory<int> argmax, int maxThreads)
    {
        int chunks = PlaneChunks.Count(g.Planes, (long)g.Planes * g.InSize, maxThreads);
        Threads.For(chunks, maxThreads, new Chunk(g, x, y, argmax, chunks));
    }

    private readonly struct Chunk(in Pool2dGeometry g, ReadOnlyMemory<float> x, Memory<float> y, Memory<int> argmax, int chunks) : IParallelWork
    {
        private readonly Pool2dGeometry g = g;

        public void Run(int index)
        {
            var (first, end) = PlaneChunks.Range(index, chunks, g.Planes);
            var xs = x.Span;
            var ys = y.Span;
            var idx = argmax.Span;
            for (int plane = first; plane < end; plane++)
            {
                var input = xs.Slice(plane * g.InSize, g.InSize);
                for (int oh = 0; oh < g.OH; oh++)
                {
                    int at = plane * g.OutSize + oh * g.OW;
                    Row(input.Slice(2 * oh * g.W, 2 * g.W), g.W, 2 * oh * g.W, ys.Slice(at, g.OW), idx.Slice(at, g.OW));
                }
            }
        }
    }

    /// <summary>One output row from the input rows <c>rows[0..W)</c> and <c>rows[W..2W)</c>; <paramref name="rowBase"/> is the first row's offset in the plane.</summary>
    private static void Row(ReadOnlySpan<float> rows, int w, int rowBase, Span<float> output, Span<int> where)
    {
        int ow = output.Length;
        ref float top = ref MemoryMarshal.GetReference(rows);
        ref float bottom = ref Unsafe.Add(ref top, w);
        ref float o = ref MemoryMarshal.GetReference(output);
        ref int wh = ref MemoryMarshal.GetReference(where);
        var lanes = Vector128.Create(0, 2, 4, 6);
        var stride = Vector128.Create(w);
        for (int j = 0; ; j += 4)
        {
            if (j > ow - 4) j = ow - 4;
            var (best, at) = Four(ref Unsafe.Add(ref top, 2 * j), ref Unsafe.Add(ref bottom, 2 * j), stride);
            best.StoreUnsafe(ref o, (nuint)j);
            // at = row * W + column within the window (both 0 or 1); add the window's top-left corner.
            (at + Vector128.Create(rowBase + 2 * j) + lanes).StoreUnsafe(ref wh, (nuint)j);
            if (j == ow - 4) break;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (Vector128<float> Best, Vector128<int> Offset) Four(ref float top, ref float bottom, Vector128<int> stride)
    {
        // Columns 0..3 and 4..7 of each row: windows 0, 1 and 2, 3.
        var (m0, r0) = Down(Vector128.LoadUnsafe(ref top), Vector128.LoadUnsafe(ref bottom));
        var (m1, r1) = Down(Vector128.LoadUnsafe(ref top, 4), Vector128.LoadUnsafe(ref bottom, 4));
        // Even columns are each window's left tap, odd ones its right tap.
        var left = Sse.Shuffle(m0, m1, 0b10_00_10_00);
        var right = Sse.Shuffle(m0, m1, 0b11_01_11_01);
        var leftRow = Sse.Shuffle(r0, r1, 0b10_00_10_00);
        var rightRow = Sse.Shuffle(r0, r1, 0b11_01_11_01);
        // The right tap wins when larger, or equal from an earlier row (row-major order); a NaN wins over numbers and
        // over a NaN of the left tap unless that one lies in a later row (the scan keeps the last NaN).
        var rightNaN = ~Vector128.Equals(right, right);
        var leftNaN = ~Vector128.Equals(left, left);
        var number = ~rightNaN & ~leftNaN & (Vector128.GreaterThan(right, left) | (Vector128.Equals(right, left) & Vector128.LessThan(rightRow, leftRow)));
        var nan = rightNaN & (~leftNaN | Vector128.GreaterThanOrEqual(rightRow, leftRow));
        var take = number | nan;
        var best = Vector128.ConditionalSelect(take, right, left);
        var row = Vector128.ConvertToInt32(Vector128.ConditionalSelect(take, rightRow, leftRow));
        var column = take.AsInt32() & Vector128<int>.One;                 // the mask is all ones where the right tap won
        return (best, row * stride + column);
    }

    /// <summary>Per column: the larger of the two rows (the bottom one when greater or NaN) and which row it came from (0 or 1).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (Vector128<float> Max, Vector128<float> Row) Down(Vector128<float> top, Vector128<float> bottom)
    {
        var take = Vector128.GreaterThan(bottom, top) | ~Vector128.Equals(bottom, bottom);
        return (Vector128.ConditionalSelect(take, bottom, top), Vector128.ConditionalSelect(take, Vector128<float>.One, Vector128<float>.Zero));
    }
}
