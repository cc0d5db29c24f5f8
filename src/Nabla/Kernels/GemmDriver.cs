using System.Runtime.CompilerServices;

namespace Nabla.Kernels;

/// <summary>One SGEMM call with its operands pinned: C = alpha * op(A) op(B) + beta * C, row-major.</summary>
internal readonly unsafe struct GemmProblem(
    bool transA, bool transB, int m, int n, int k,
    float alpha, float* a, int lda, float* b, int ldb, float beta, float* c, int ldc)
{
    public readonly bool TransA = transA, TransB = transB;
    public readonly int M = m, N = n, K = k;
    public readonly float Alpha = alpha, Beta = beta;
    public readonly float* A = a, B = b, C = c;
    public readonly nint Lda = lda, Ldb = ldb, Ldc = ldc;
}

/// <summary>
/// The GotoBLAS / BLIS loop nest around a micro-kernel. For a block of NC columns of C, for a slice
/// of KC of the shared dimension, B[KC x NC] is packed once (it stays in L3), then for each MC rows
/// of A, A[MC x KC] is packed (it stays in L2) and swept by the micro-kernel: the KC x NR panel of B
/// it reuses across all MC rows stays in L1 while MR-row panels of A stream past it.
/// </summary>
internal static unsafe class GemmDriver<TKernel> where TKernel : IGemmMicroKernel
{
    /// <summary>
    /// Below this many multiply-adds (m * n * k) A is read in place rather than packed: for the small
    /// shapes of a training step (64x100 * 100x10) packing A would cost as much as the product.
    /// </summary>
    internal static long UnpackedAMaxWork = 1L << 21;

    /// <summary>
    /// Below this many multiply-adds the call stays on one thread: waking a pool thread costs some
    /// microseconds, and the second thread must also pack its own share of the operands.
    /// </summary>
    internal static long ParallelMinWork = 1L << 20;

    /// <summary>Computes the whole problem on up to <paramref name="threads"/> threads.</summary>
    public static void Run(in GemmProblem pr, int threads)
    {
        long work = (long)pr.M * pr.N * pr.K;
        bool packA = work > UnpackedAMaxWork;
        if (threads <= 1 || work < ParallelMinWork)
        {
            Compute(pr, 0, pr.M, 0, pr.N, packA);
            return;
        }
        var split = new Split(pr, threads, packA);
        Threads.For(split.Count, threads, split);
    }

    /// <summary>
    /// A static split of C into threads rectangles (tm x tn, edges on MR/NR multiples), each computed
    /// independently with its own packing: no barriers between threads. The grid is the one that
    /// minimises the largest rectangle's work plus its packing.
    /// </summary>
    private readonly struct Split : IParallelWork
    {
        private readonly GemmProblem _pr;
        private readonly int _tn, _rowsPer, _colsPer;
        private readonly bool _packA;

        public Split(in GemmProblem pr, int threads, bool packA)
        {
            _pr = pr;
            _packA = packA;
            int mr = TKernel.MR, nr = TKernel.NR;
            int mPanels = DivUp(pr.M, mr), nPanels = DivUp(pr.N, nr);
            double best = double.MaxValue;
            for (int tm = 1; tm <= Math.Min(threads, mPanels); tm++)
            {
                int tn = Math.Min(threads / tm, nPanels);
                double rows = DivUp(mPanels, tm) * mr, cols = DivUp(nPanels, tn) * nr;
                // Cycles, roughly: ~16 multiply-adds per cycle in the kernel, ~1 element per cycle packing.
                double cost = rows * cols * pr.K / 16 + (rows + cols) * pr.K;
                if (cost < best)
                {
                    best = cost;
                    _rowsPer = DivUp(mPanels, tm) * mr;
                    _colsPer = DivUp(nPanels, tn) * nr;
                }
            }
            Count = DivUp(pr.M, _rowsPer) * DivUp(pr.N, _colsPer);
            _tn = DivUp(pr.N, _colsPer);
        }

        public int Count { get; }

        public void Run(int index)
        {
            int i0 = index / _tn * _rowsPer, j0 = index % _tn * _colsPer;
            Compute(_pr, i0, Math.Min(i0 + _rowsPer, _pr.M), j0, Math.Min(j0 + _colsPer, _pr.N), _packA);
        }
    }

    /// <summary>Computes rows [i0, i1) x columns [j0, j1) of C on the calling thread.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void Compute(in GemmProblem pr, int i0, int i1, int j0, int j1, bool packA)
    {
        int mr = TKernel.MR, nr = TKernel.NR;
        // Equal blocks rather than KC, KC, ..., remainder: k = 270 with KC = 256 would otherwise
        // run a second pass of depth 14 whose C traffic costs nearly as much as the first.
        int kc = DivUp(pr.K, DivUp(pr.K, TKernel.KC));
        int mc = RoundUp(DivUp(i1 - i0, DivUp(i1 - i0, TKernel.MC)), mr);
        int nc = RoundUp(DivUp(j1 - j0, DivUp(j1 - j0, TKernel.NC)), nr);

        GemmWorkspace ws = GemmWorkspace.Current;
        float* bPack = ws.B(kc * nc);
        float* aPack = ws.A(packA ? mc * kc : mr * kc);
        float* tile = ws.Tile(mr * nr);

        for (int jc = j0; jc < j1; jc += nc)
        {
            int ncCur = Math.Min(nc, j1 - jc);
            for (int pc = 0; pc < pr.K; pc += kc)
            {
                int kcCur = Math.Min(kc, pr.K - pc);
                // The first slice of k applies the caller's beta; later slices accumulate onto it.
                float beta = pc == 0 ? pr.Beta : 1f;
                GemmPacking.PackB<TKernel>(pr.B, pr.Ldb, pr.TransB, pc, kcCur, jc, ncCur, bPack);
                for (int ic = i0; ic < i1; ic += mc)
                {
                    int mcCur = Math.Min(mc, i1 - ic);
                    if (packA)
                    {
                        GemmPacking.PackA<TKernel>(pr.A, pr.Lda, pr.TransA, ic, mcCur, pc, kcCur, aPack);
                    }
                    MacroKernel(pr, ic, mcCur, jc, ncCur, pc, kcCur, beta, packA, aPack, bPack, tile);
                }
            }
        }
    }

    /// <summary>Sweeps the micro-kernel over an mc x nc block of C: NR-column panels outside, MR-row panels inside.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void MacroKernel(
        in GemmProblem pr, int ic, int mc, int jc, int nc, int pc, int kc, float beta,
        bool packedA, float* aPack, float* bPack, float* tile)
    {
        int mr = TKernel.MR, nr = TKernel.NR;
        float alpha = pr.Alpha;
        nint ldc = pr.Ldc;
        for (int jr = 0; jr < nc; jr += nr)
        {
            int nrCur = Math.Min(nr, nc - jr);
            float* bPanel = bPack + (nint)jr * kc;
            for (int ir = 0; ir < mc; ir += mr)
            {
                int mrCur = Math.Min(mr, mc - ir);
                float* c = pr.C + (ic + ir) * ldc + jc + jr;
                bool full = mrCur == mr && nrCur == nr;
                float* cOut = full ? c : tile;
                nint ldOut = full ? ldc : nr;
                float betaOut = full ? beta : 0f;

                if (packedA)
                {
                    TKernel.Run(kc, aPack + (nint)ir * kc, mr, bPanel, cOut, ldOut, alpha, betaOut);
                }
                else if (mrCur < mr)
                {
                    // Reading a partial panel in place would run past the last row of A: pack it.
                    GemmPacking.PackA<TKernel>(pr.A, pr.Lda, pr.TransA, ic + ir, mrCur, pc, kc, aPack);
                    TKernel.Run(kc, aPack, mr, bPanel, cOut, ldOut, alpha, betaOut);
                }
                else if (pr.TransA)
                {
                    TKernel.Run(kc, pr.A + pc * pr.Lda + ic + ir, pr.Lda, bPanel, cOut, ldOut, alpha, betaOut);
                }
                else
                {
                    TKernel.RunRows(kc, pr.A + (ic + ir) * pr.Lda + pc, pr.Lda, bPanel, cOut, ldOut, alpha, betaOut);
                }

                if (!full)
                {
                    MergeTile(tile, nr, c, ldc, mrCur, nrCur, beta);
                }
            }
        }
    }

    /// <summary>C[rows x cols] = tile + beta * C for an edge tile (beta == 0: C is not read).</summary>
    private static void MergeTile(float* tile, int ldt, float* c, nint ldc, int rows, int cols, float beta)
    {
        for (int r = 0; r < rows; r++, tile += ldt, c += ldc)
        {
            if (beta == 0)
            {
                new ReadOnlySpan<float>(tile, cols).CopyTo(new Span<float>(c, cols));
            }
            else
            {
                for (int j = 0; j < cols; j++)
                {
                    c[j] = tile[j] + beta * c[j];
                }
            }
        }
    }

    private static int DivUp(int x, int y) => (x + y - 1) / y;

    private static int RoundUp(int x, int multiple) => DivUp(x, multiple) * multiple;
}
