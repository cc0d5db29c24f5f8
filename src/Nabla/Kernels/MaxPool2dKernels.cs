using System.Buffers;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Nabla.Kernels;

/// <summary>
/// Max pooling with the position of each maximum, as PyTorch's CPU kernel picks it: scanning the window row by row,
/// the first element greater than all before it (so the first of equal maxima), except that a NaN always takes over
/// (so the last NaN, and the output is NaN).
/// </summary>
/// <remarks>
/// The window maximum is taken in two steps so that the long step runs on vectors: first, for one output row, down
/// the KH input rows for every input column at once (Vector256 compare and select across the row, keeping for each
/// column its maximum and the first row holding it), then across the KW columns of each window from that row of
/// column maxima. Among columns whose maxima tie, the one whose row comes first wins, then the leftmost, which is
/// exactly the row-major first maximum; NaNs mirror it (last row, then rightmost). The index recorded is
/// ih * W + iw within the plane, as PyTorch's <c>return_indices</c>.
/// </remarks>
internal static class MaxPool2dKernels
{
    /// <summary>y (planes, OH, OW) and argmax (same shape, -1 for a window with no element inside the input) from x (planes, H, W).</summary>
    public static void Forward<T>(in Pool2dGeometry g, ReadOnlyMemory<T> x, Memory<T> y, Memory<int> argmax, int maxThreads)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int chunks = PlaneChunks.Count(g.Planes, (long)g.Planes * g.InSize, maxThreads);
        Threads.For(chunks, maxThreads, new ForwardChunk<T>(g, x, y, argmax, chunks));
    }

    /// <summary>dx (planes, H, W) += dy at each recorded argmax; dx must start at zero where nothing else adds.</summary>
    public static void Backward<T>(in Pool2dGeometry g, ReadOnlyMemory<T> dy, ReadOnlyMemory<int> argmax, Memory<T> dx, int maxThreads)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int chunks = PlaneChunks.Count(g.Planes, (long)g.Planes * g.InSize, maxThreads);
        Threads.For(chunks, maxThreads, new BackwardChunk<T>(g, dy, argmax, dx, chunks));
    }

    private readonly struct ForwardChunk<T>(in Pool2dGeometry g, ReadOnlyMemory<T> x, Memory<T> y, Memory<int> argmax, int chunks)
        : IParallelWork where T : unmanaged, IFloatingPointIeee754<T>
    {
        private readonly Pool2dGeometry g = g;

        public void Run(int index)
        {
            var (first, end) = PlaneChunks.Range(index, chunks, g.Planes);
            T[]? rented = null;
            Span<T> scratch = 2 * g.W <= 1024
                ? stackalloc T[2 * g.W]
                : (rented = ArrayPool<T>.Shared.Rent(2 * g.W)).AsSpan(0, 2 * g.W);
            var colMax = scratch[..g.W];
            var colRow = scratch[g.W..];
            var xs = x.Span;
            var ys = y.Span;
            var idx = argmax.Span;
            for (int plane = first; plane < end; plane++)
            {
                var input = xs.Slice(plane * g.InSize, g.InSize);
                var output = ys.Slice(plane * g.OutSize, g.OutSize);
                var where = idx.Slice(plane * g.OutSize, g.OutSize);
                for (int oh = 0; oh < g.OH; oh++)
                {
                    var outRow = output.Slice(oh * g.OW, g.OW);
                    var whereRow = where.Slice(oh * g.OW, g.OW);
                    if (!ColumnMaxima(input, oh * g.SH - g.PH, colMax, colRow))
                    {
                        outRow.Fill(T.NegativeInfinity);
                        whereRow.Fill(-1);
                        continue;
                    }
                    for (int ow = 0; ow < g.OW; ow++)
                    {
                        int iwStart = ow * g.SW - g.PW, bestIw = -1;
                        T best = T.NegativeInfinity, bestRow = T.Zero;
                        for (int kj = 0; kj < g.KW; kj++)
                        {
                            int iw = iwStart + kj * g.DW;
                            if ((uint)iw >= (uint)g.W) continue;
                            T v = colMax[iw], r = colRow[iw];
                            bool take = bestIw < 0
                                || (T.IsNaN(v) ? !T.IsNaN(best) || r >= bestRow
                                               : !T.IsNaN(best) && (v > best || (v == best && r < bestRow)));
                            if (take)
                            {
                                best = v;
                                bestRow = r;
                                bestIw = iw;
                            }
                        }
                        outRow[ow] = best;
                        whereRow[ow] = bestIw < 0 ? -1 : int.CreateTruncating(bestRow) * g.W + bestIw;
                    }
                }
            }
            if (rented is not null) ArrayPool<T>.Shared.Return(rented);
        }

        /// <summary>
        /// For every input column, the maximum over the window's rows (from <paramref name="ihStart"/>, KH taps DH
        /// apart, those inside the input) and the first row holding it; false when no row is inside.
        /// </summary>
        private bool ColumnMaxima(ReadOnlySpan<T> input, int ihStart, Span<T> colMax, Span<T> colRow)
        {
            bool any = false;
            for (int ki = 0; ki < g.KH; ki++)
            {
                int ih = ihStart + ki * g.DH;
                if ((uint)ih >= (uint)g.H) continue;
                var row = input.Slice(ih * g.W, g.W);
                T rowIndex = T.CreateTruncating(ih);
                if (!any)
                {
                    row.CopyTo(colMax);
                    colRow.Fill(rowIndex);
                    any = true;
                }
                else
                {
                    TakeGreater(row, rowIndex, colMax, colRow);
                }
            }
            return any;
        }

        /// <summary>Where row[i] &gt; colMax[i] or row[i] is NaN: colMax[i] = row[i], colRow[i] = rowIndex.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static void TakeGreater(ReadOnlySpan<T> row, T rowIndex, Span<T> colMax, Span<T> colRow)
        {
            int n = row.Length, i = 0;
            ref T r = ref MemoryMarshal.GetReference(row);
            ref T m = ref MemoryMarshal.GetReference(colMax);
            ref T c = ref MemoryMarshal.GetReference(colRow);
            if (Vector256.IsHardwareAccelerated && n >= Vector256<T>.Count)
            {
                var rows = Vector256.Create(rowIndex);
                for (; i <= n - Vector256<T>.Count; i += Vector256<T>.Count)
                {
                    var v = Vector256.LoadUnsafe(ref r, (nuint)i);
                    var best = Vector256.LoadUnsafe(ref m, (nuint)i);
                    // v != v only for NaN: a NaN always takes over, as in PyTorch's scan.
                    var take = Vector256.GreaterThan(v, best) | ~Vector256.Equals(v, v);
                    Vector256.ConditionalSelect(take, v, best).StoreUnsafe(ref m, (nuint)i);
                    Vector256.ConditionalSelect(take, rows, Vector256.LoadUnsafe(ref c, (nuint)i)).StoreUnsafe(ref c, (nuint)i);
                }
            }
            for (; i < n; i++)
            {
                T v = Unsafe.Add(ref r, i);
                if (v > Unsafe.Add(ref m, i) || T.IsNaN(v))
                {
                    Unsafe.Add(ref m, i) = v;
                    Unsafe.Add(ref c, i) = rowIndex;
                }
            }
        }
    }

    private readonly struct BackwardChunk<T>(in Pool2dGeometry g, ReadOnlyMemory<T> dy, ReadOnlyMemory<int> argmax, Memory<T> dx, int chunks)
        : IParallelWork where T : unmanaged, IFloatingPointIeee754<T>
    {
        private readonly Pool2dGeometry g = g;

        public void Run(int index)
        {
            var (first, end) = PlaneChunks.Range(index, chunks, g.Planes);
            var gy = dy.Span;
            var idx = argmax.Span;
            var gx = dx.Span;
            for (int plane = first; plane < end; plane++)
            {
                var gradIn = gx.Slice(plane * g.InSize, g.InSize);
                int o = plane * g.OutSize;
                for (int j = 0; j < g.OutSize; j++)
                {
                    int at = idx[o + j];
                    if (at >= 0) gradIn[at] += gy[o + j];
                }
            }
        }
    }
}
