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
/// The window maximum is taken in two steps, both on vectors: first, for one output row, down the KH input rows for
/// every input column at once (keeping for each column its maximum and the first row holding it), then across the KW
/// taps of all the row's windows at once (tap kj of every window gathered into one vector, folded into the running
/// best with compare-and-select). Among columns whose maxima tie, the one whose row comes first wins, then the
/// leftmost, which is exactly the row-major first maximum; NaNs mirror it (last row, then rightmost). Selecting with
/// masks rather than branching matters on random data, where a branch on "greater" mispredicts half the time: it
/// took the (64, 64, 14, 14) 2x2 forward from 3.4 to about 2.3 ms (1 thread; PyTorch 1.13 measured 4.0 ms beside it).
/// The index recorded is ih * W + iw within the plane, as PyTorch's <c>return_indices</c>.
/// </remarks>
internal static class MaxPool2dKernels
{
    /// <summary>y (planes, OH, OW) and argmax (same shape, -1 for a window with no element inside the input) from x (planes, H, W).</summary>
    public static void Forward<T>(in Pool2dGeometry g, ReadOnlyMemory<T> x, Memory<T> y, Memory<int> argmax, int maxThreads)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(float) && MaxPool2x2Kernel.Applies(g))
        {
            MaxPool2x2Kernel.Forward(g, Unsafe.As<ReadOnlyMemory<T>, ReadOnlyMemory<float>>(ref x), Unsafe.As<Memory<T>, Memory<float>>(ref y), argmax, maxThreads);
            return;
        }
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
            // Rows of output columns are padded to whole vectors, so that every step below runs on whole vectors
            // (the extra lanes are computed and ignored) and no data-dependent branch is left to mispredict.
            int owPad = (g.OW + Vector256<T>.Count - 1) / Vector256<T>.Count * Vector256<T>.Count;
            int length = 2 * g.W + 5 * owPad;
            T[]? rented = null;
            Span<T> scratch = length <= 1024 ? stackalloc T[length] : (rented = ArrayPool<T>.Shared.Rent(length)).AsSpan(0, length);
            var colMax = scratch[..g.W];
            var colRow = scratch.Slice(g.W, g.W);
            var candValue = scratch.Slice(2 * g.W, owPad);
            var candRow = scratch.Slice(2 * g.W + owPad, owPad);
            var bestValue = scratch.Slice(2 * g.W + 2 * owPad, owPad);
            var bestRow = scratch.Slice(2 * g.W + 3 * owPad, owPad);
            var bestCol = scratch.Slice(2 * g.W + 4 * owPad, owPad);
            candValue.Fill(T.NegativeInfinity);
            candRow.Fill(T.PositiveInfinity);

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
                    for (int kj = 0; kj < g.KW; kj++)
                    {
                        // Gather this tap of every window; taps in the padding read as -inf from row +inf, which
                        // every element of the input beats or ties ahead of.
                        int offset = kj * g.DW - g.PW;
                        for (int ow = 0; ow < g.OW; ow++)
                        {
                            int iw = ow * g.SW + offset;
                            bool inside = (uint)iw < (uint)g.W;
                            candValue[ow] = inside ? colMax[iw] : T.NegativeInfinity;
                            candRow[ow] = inside ? colRow[iw] : T.PositiveInfinity;
                        }
                        if (kj == 0)
                        {
                            candValue.CopyTo(bestValue);
                            candRow.CopyTo(bestRow);
                            bestCol.Fill(T.Zero);
                        }
                        else
                        {
                            TakeWindowBest(candValue, candRow, T.CreateTruncating(kj), bestValue, bestRow, bestCol);
                        }
                    }
                    for (int ow = 0; ow < g.OW; ow++)
                    {
                        outRow[ow] = bestValue[ow];
                        int iw = ow * g.SW - g.PW + int.CreateTruncating(bestCol[ow]) * g.DW;
                        whereRow[ow] = T.IsFinite(bestRow[ow]) ? int.CreateTruncating(bestRow[ow]) * g.W + iw : -1;
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
        /// <remarks>
        /// The update is idempotent (a row applied twice changes nothing more), so the last vector may overlap the one
        /// before it instead of a scalar tail; both are loaded before either is stored, since a load that partly
        /// overlaps a fresh store stalls store forwarding.
        /// </remarks>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static void TakeGreater(ReadOnlySpan<T> row, T rowIndex, Span<T> colMax, Span<T> colRow)
        {
            int n = row.Length, v = Vector256<T>.Count;
            ref T r = ref MemoryMarshal.GetReference(row);
            ref T m = ref MemoryMarshal.GetReference(colMax);
            ref T c = ref MemoryMarshal.GetReference(colRow);
            if (!Vector256.IsHardwareAccelerated || n < v)
            {
                for (int i = 0; i < n; i++)
                {
                    T value = Unsafe.Add(ref r, i);
                    bool take = value > Unsafe.Add(ref m, i) || T.IsNaN(value);
                    Unsafe.Add(ref m, i) = take ? value : Unsafe.Add(ref m, i);
                    Unsafe.Add(ref c, i) = take ? rowIndex : Unsafe.Add(ref c, i);
                }
                return;
            }
            var rows = Vector256.Create(rowIndex);
            int last = n - v, lastFull = (n / v - 1) * v;
            for (int i = 0; i < lastFull; i += v) Store(Step(ref r, ref m, ref c, rows, i), ref m, ref c, i);
            var a = Step(ref r, ref m, ref c, rows, lastFull);
            var b = Step(ref r, ref m, ref c, rows, last);
            Store(b, ref m, ref c, last);
            Store(a, ref m, ref c, lastFull);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static void Store((Vector256<T> Max, Vector256<T> Row) s, ref T m, ref T c, int i)
        {
            s.Max.StoreUnsafe(ref m, (nuint)i);
            s.Row.StoreUnsafe(ref c, (nuint)i);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static (Vector256<T> Max, Vector256<T> Row) Step(ref T r, ref T m, ref T c, Vector256<T> rows, int i)
        {
            var value = Vector256.LoadUnsafe(ref r, (nuint)i);
            var best = Vector256.LoadUnsafe(ref m, (nuint)i);
            // value != value only for NaN: a NaN always takes over, as in PyTorch's scan.
            var take = Vector256.GreaterThan(value, best) | ~Vector256.Equals(value, value);
            return (Vector256.ConditionalSelect(take, value, best), Vector256.ConditionalSelect(take, rows, Vector256.LoadUnsafe(ref c, (nuint)i)));
        }

        /// <summary>
        /// Folds one more tap (column kj of each window, its column maximum and that maximum's row) into the running best
        /// of each window, keeping PyTorch's row-major choice: a larger value wins, an equal one only from an earlier
        /// row (taps come left to right, so an equal one from the same row is later); a NaN wins over numbers, and over
        /// an earlier NaN unless that one lies in a later row.
        /// </summary>
        private static void TakeWindowBest(Span<T> value, Span<T> row, T kj, Span<T> bestValue, Span<T> bestRow, Span<T> bestCol)
        {
            var cols = Vector256.Create(kj);
            ref T v = ref MemoryMarshal.GetReference(value);
            ref T r = ref MemoryMarshal.GetReference(row);
            ref T bv = ref MemoryMarshal.GetReference(bestValue);
            ref T br = ref MemoryMarshal.GetReference(bestRow);
            ref T bc = ref MemoryMarshal.GetReference(bestCol);
            for (int i = 0; i < value.Length; i += Vector256<T>.Count)
            {
                var cv = Vector256.LoadUnsafe(ref v, (nuint)i);
                var cr = Vector256.LoadUnsafe(ref r, (nuint)i);
                var b = Vector256.LoadUnsafe(ref bv, (nuint)i);
                var brow = Vector256.LoadUnsafe(ref br, (nuint)i);
                var cvNaN = ~Vector256.Equals(cv, cv);
                var bNaN = ~Vector256.Equals(b, b);
                var number = ~cvNaN & ~bNaN & (Vector256.GreaterThan(cv, b) | (Vector256.Equals(cv, b) & Vector256.LessThan(cr, brow)));
                var nan = cvNaN & (~bNaN | Vector256.GreaterThanOrEqual(cr, brow));
                var take = number | nan;
                Vector256.ConditionalSelect(take, cv, b).StoreUnsafe(ref bv, (nuint)i);
                Vector256.ConditionalSelect(take, cr, brow).StoreUnsafe(ref br, (nuint)i);
                Vector256.ConditionalSelect(take, cols, Vector256.LoadUnsafe(ref bc, (nuint)i)).StoreUnsafe(ref bc, (nuint)i);
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
