using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;

namespace Nabla.Kernels;

/// <summary>
/// 2-D convolution as one matrix product per image and group on the im2col matrix (see <see cref="Conv2dGeometry"/>):
/// <code>
///   forward:        y_n[g]  = W[g] col_n[g] (+ b)           (Og x Kg) (Kg x P)
///   weight grad:    dW[g]  += dy_n[g] col_n[g]^T            (Og x P) (P x Kg), summed over n
///   input grad:     dx_n    = col2im(W[g]^T dy_n[g])        (Kg x Og) (Og x P), folded back into the image
///   bias grad:      db[o]  += sum over p of dy_n[o, p]
/// </code>
/// Why a materialized im2col matrix rather than packing the GEMM's panels straight from the image: at the benchmark
/// shape (64 x 32 x 14 x 14, 3x3, pad 1, 32 -> 64) one image's unfold takes about 13 us against about 70 us for its
/// GEMM (1 thread, AVX-512), and for matrices this size the GEMM reads its B operand in place, unpacked, so the unfold
/// already is the one packing pass: packing from the image instead would move that work, not remove it. A 1x1 kernel
/// with unit stride and no padding skips the unfold (the image is the matrix).
/// </summary>
/// <remarks>
/// Threads: with at least as many images as threads, images are handed out one at a time (each runs its GEMMs on one
/// thread, with its own im2col buffer), so a thread slowed by other load simply takes fewer images; the weight and
/// bias gradients are summed into one partial buffer per thread and reduced at the end. With fewer images than
/// threads (batch 1, say) the images run in turn and each GEMM splits its own rows across the threads.
/// Float64 runs the same code on <see cref="Gemm.Dgemm"/> (single-threaded inside), for gradient checks.
/// </remarks>
internal static class Conv2dKernels
{
    /// <summary>Below this many multiply-adds for the whole batch the call runs on the calling thread alone.</summary>
    internal const long ParallelMinWork = 1L << 21;

    /// <summary>y (N, O, OH, OW) = conv(x (N, C, H, W), w (O, C / groups, KH, KW)) + bias (O,) (bias empty for none).</summary>
    public static void Forward<T>(in Conv2dGeometry g, ReadOnlyMemory<T> x, ReadOnlyMemory<T> w, ReadOnlyMemory<T> bias, Memory<T> y)
        where T : unmanaged, IFloatingPointIeee754<T>
        => Forward(g, x, w, bias, y, Threads.Count);

    /// <summary><see cref="Forward{T}(in Conv2dGeometry, ReadOnlyMemory{T}, ReadOnlyMemory{T}, ReadOnlyMemory{T}, Memory{T})"/> on up to <paramref name="maxThreads"/> threads.</summary>
    internal static void Forward<T>(in Conv2dGeometry g, ReadOnlyMemory<T> x, ReadOnlyMemory<T> w, ReadOnlyMemory<T> bias, Memory<T> y,
                                    int maxThreads)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var (threads, gemmThreads) = Plan(g, maxThreads);
        Threads.For(g.N, threads, new ForwardImage<T>(g, x, w, bias, y, gemmThreads));
    }

    /// <summary>
    /// Gradients of the convolution for output gradient dy (N, O, OH, OW): dx (N, C, H, W), dw (O, C /
    /// groups, KH, KW) and db (O,), each skipped when empty. The outputs must be zero on entry (they are added to).
    /// </summary>
    public static void Backward<T>(in Conv2dGeometry g, ReadOnlyMemory<T> x, ReadOnlyMemory<T> w, ReadOnlyMemory<T> dy,
                                   Memory<T> dx, Memory<T> dw, Memory<T> db)
        where T : unmanaged, IFloatingPointIeee754<T>
        => Backward(g, x, w, dy, dx, dw, db, Threads.Count);

    /// <summary><see cref="Backward{T}(in Conv2dGeometry, ReadOnlyMemory{T}, ReadOnlyMemory{T}, ReadOnlyMemory{T}, Memory{T}, Memory{T}, Memory{T})"/> on up to <paramref name="maxThreads"/> threads.</summary>
    internal static void Backward<T>(in Conv2dGeometry g, ReadOnlyMemory<T> x, ReadOnlyMemory<T> w, ReadOnlyMemory<T> dy,
                                     Memory<T> dx, Memory<T> dw, Memory<T> db, int maxThreads)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var (threads, gemmThreads) = Plan(g, maxThreads);
        var partials = new PartialSums<T>(dw, db);
        Threads.For(g.N, threads, new BackwardImage<T>(g, x, w, dy, dx, partials, gemmThreads));
        partials.ReduceInto(dw.Span, db.Span);
    }

    /// <summary>Threads across images and threads inside each GEMM (see the remarks of <see cref="Conv2dKernels"/>).</summary>
    private static (int AcrossImages, int InsideGemm) Plan(in Conv2dGeometry g, int threads)
    {
        if (threads == 1 || g.MultiplyAdds < ParallelMinWork) return (1, 1);
        return g.N >= threads ? (threads, 1) : (1, threads);
    }

    private readonly struct ForwardImage<T>(in Conv2dGeometry g, ReadOnlyMemory<T> x, ReadOnlyMemory<T> w, ReadOnlyMemory<T> bias,
                                            Memory<T> y, int gemmThreads) : IParallelWork
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        private readonly Conv2dGeometry g = g;

        public void Run(int n)
        {
            int p = g.P, og = g.Og, kg = g.Kg;
            var image = x.Span.Slice(n * g.ImageSize, g.ImageSize);
            var output = y.Span.Slice(n * g.OutputImageSize, g.OutputImageSize);
            ReadOnlySpan<T> col = image;
            if (!g.IsPointwise)
            {
                var buffer = ConvWorkspace<T>.Col(g.ColSize);
                Im2Col.Unfold(g, image, buffer, ConvWorkspace<T>.Padded(Im2Col.PaddedSize(g)));
                col = buffer;
            }
            bool hasBias = !bias.IsEmpty;
            if (hasBias)
            {
                // Seed each output row with its bias; the GEMM then adds W col on top (beta = 1).
                var b = bias.Span;
                for (int o = 0; o < g.O; o++) output.Slice(o * p, p).Fill(b[o]);
            }
            var weight = w.Span;
            for (int gi = 0; gi < g.Groups; gi++)
            {
                GemmOf<T>.Run(gemmThreads, false, false, og, p, kg,
                              weight[(gi * og * kg)..], kg, col[(gi * kg * p)..], p,
                              hasBias, output[(gi * og * p)..], p);
            }
        }
    }

    private readonly struct BackwardImage<T>(in Conv2dGeometry g, ReadOnlyMemory<T> x, ReadOnlyMemory<T> w, ReadOnlyMemory<T> dy,
                                             Memory<T> dx, PartialSums<T> partials, int gemmThreads) : IParallelWork
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        private readonly Conv2dGeometry g = g;

        public void Run(int n)
        {
            int p = g.P, og = g.Og, kg = g.Kg;
            var gradOut = dy.Span.Slice(n * g.OutputImageSize, g.OutputImageSize);
            partials.ForThisThread(out var dw, out var db);
            Span<T> buffer = g.IsPointwise ? default : ConvWorkspace<T>.Col(g.ColSize);
            Span<T> padded = g.IsPointwise ? default : ConvWorkspace<T>.Padded(Im2Col.PaddedSize(g));

            if (!dw.IsEmpty)
            {
                var image = x.Span.Slice(n * g.ImageSize, g.ImageSize);
                ReadOnlySpan<T> col = image;
                if (!g.IsPointwise)
                {
                    Im2Col.Unfold(g, image, buffer, padded);
                    col = buffer;
                }
                for (int gi = 0; gi < g.Groups; gi++)
                {
                    GemmOf<T>.Run(gemmThreads, false, true, og, kg, p,
                                  gradOut[(gi * og * p)..], p, col[(gi * kg * p)..], p,
                                  true, dw[(gi * og * kg)..], kg);
                }
            }
            if (!db.IsEmpty)
            {
                for (int o = 0; o < g.O; o++) db[o] += TensorPrimitives.Sum<T>(gradOut.Slice(o * p, p));
            }
            if (!dx.IsEmpty)
            {
                var gradIn = dx.Span.Slice(n * g.ImageSize, g.ImageSize);
                // A 1x1 kernel writes W^T dy straight into the image gradient; otherwise into the buffer, then folds.
                var dcol = g.IsPointwise ? gradIn : buffer;
                var weight = w.Span;
                for (int gi = 0; gi < g.Groups; gi++)
                {
                    GemmOf<T>.Run(gemmThreads, true, false, kg, p, og,
                                  weight[(gi * og * kg)..], kg, gradOut[(gi * og * p)..], p,
                                  false, dcol[(gi * kg * p)..], p);
                }
                if (!g.IsPointwise) Im2Col.FoldAdd(g, buffer, gradIn);
            }
        }
    }

    /// <summary>
    /// One weight-gradient and bias-gradient accumulator per thread that takes part in a backward call: the first
    /// thread to arrive adds straight into the outputs, each later one into a buffer of its own, and
    /// <see cref="ReduceInto"/> adds those buffers into the outputs once every image is done. A thread recognises
    /// the call by its number, so nothing of a finished call stays reachable from the thread pool.
    /// </summary>
    private sealed class PartialSums<T>(Memory<T> dw, Memory<T> db) where T : unmanaged, IFloatingPointIeee754<T>
    {
        private static long s_lastCall;

        [ThreadStatic]
        private static long t_call;

        [ThreadStatic]
        private static int t_slot;

        private readonly long call = Interlocked.Increment(ref s_lastCall);
        private readonly List<T[]> extra = [];
        private bool claimedOutputs;

        /// <summary>This thread's (dw, db) accumulators for this call.</summary>
        public void ForThisThread(out Span<T> dwPart, out Span<T> dbPart)
        {
            dwPart = default;
            dbPart = default;
            if (dw.IsEmpty && db.IsEmpty) return;
            if (t_call != call)
            {
                t_call = call;
                lock (extra)
                {
                    // Slot 0 is the outputs themselves; slot i > 0 is extra[i - 1].
                    t_slot = claimedOutputs ? extra.Count + 1 : 0;
                    if (claimedOutputs) extra.Add(new T[dw.Length + db.Length]);
                    claimedOutputs = true;
                }
            }
            if (t_slot == 0)
            {
                dwPart = dw.Span;
                dbPart = db.Span;
                return;
            }
            T[] buffer;
            lock (extra) buffer = extra[t_slot - 1];
            dwPart = buffer.AsSpan(0, dw.Length);
            dbPart = buffer.AsSpan(dw.Length, db.Length);
        }

        /// <summary>Adds the other threads' buffers into the outputs.</summary>
        public void ReduceInto(Span<T> dwOut, Span<T> dbOut)
        {
            foreach (var buffer in extra)
            {
                if (!dwOut.IsEmpty) TensorPrimitives.Add(dwOut, buffer.AsSpan(0, dwOut.Length), dwOut);
                if (!dbOut.IsEmpty) TensorPrimitives.Add(dbOut, buffer.AsSpan(dwOut.Length, dbOut.Length), dbOut);
            }
        }
    }
}

/// <summary>One GEMM call on float or double, C = op(A) op(B) (+ C when <c>accumulate</c>), alpha = 1.</summary>
internal static class GemmOf<T> where T : unmanaged
{
    public static void Run(int threads, bool transA, bool transB, int m, int n, int k,
                           ReadOnlySpan<T> a, int lda, ReadOnlySpan<T> b, int ldb, bool accumulate, Span<T> c, int ldc)
    {
        if (typeof(T) == typeof(float))
        {
            Gemm.Sgemm(Gemm.DefaultPath, threads, transA, transB, m, n, k,
                       1f, MemoryMarshal.Cast<T, float>(a), lda, MemoryMarshal.Cast<T, float>(b), ldb,
                       accumulate ? 1f : 0f, MemoryMarshal.Cast<T, float>(c), ldc);
        }
        else if (typeof(T) == typeof(double))
        {
            Gemm.Dgemm(transA, transB, m, n, k,
                       1.0, MemoryMarshal.Cast<T, double>(a), lda, MemoryMarshal.Cast<T, double>(b), ldb,
                       accumulate ? 1.0 : 0.0, MemoryMarshal.Cast<T, double>(c), ldc);
        }
        else
        {
            throw new NotSupportedException($"GEMM on {typeof(T).Name}.");
        }
    }
}
