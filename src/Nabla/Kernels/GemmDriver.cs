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
/// The GotoBLAS / BLIS loop nest around a micro-kernel. For a block of NC columns of C and a slice of
/// KC of the shared dimension, B[KC x NC] is packed once, then for each MC rows A[MC x KC] is packed
/// and swept by the micro-kernel, NR-column panels of B outside, MR-row panels of A inside.
/// Packing either operand is skipped when it would not pay for itself (see <see cref="Plan"/>).
/// </summary>
internal static unsafe class GemmDriver<TKernel> where TKernel : IGemmMicroKernel
{
    /// <summary>Pack A when op(B) has at least this many columns (each packed panel of A is reused n / NR times).</summary>
    internal static int PackAMinN = 512;

    /// <summary>Pack B when op(A) has at least this many rows (each packed panel of B is reused m / MR times).</summary>
    internal static int PackBMinM = 512;

    /// <summary>
    /// Below this many multiply-adds (about 100^3) the call stays on one thread. Measured on 2 cores
    /// with the helper thread already awake (calls back to back): 48^3 ran 2.5 us on two threads
    /// vs 2.2 us on one, 64^3 3.7 vs 4.8 us, 100^3 11.3 vs 19.5 us. A helper that has gone to sleep
    /// takes several microseconds more to wake, so the threshold sits where two threads still win
    /// clearly with that cost added.
    /// </summary>
    internal static long ParallelMinWork = 1L << 20;

    /// <summary>
    /// Computes the whole problem on up to <paramref name="threads"/> threads. For each block of B
    /// (KC x NC), the threads first pack it together into one shared buffer, then take blocks of
    /// rows of C from a shared counter, each packing its own rows of A. A thread slowed down by
    /// other load simply takes fewer blocks, and B is packed once however many threads there are.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run(in GemmProblem pr, int threads)
    {
        Packing plan = Plan(pr);
        int mr = TKernel.MR, nr = TKernel.NR;
        if ((long)pr.M * pr.N * pr.K < ParallelMinWork)
        {
            threads = 1;
        }

        // Equal blocks rather than KC, KC, ..., remainder: k = 1100 with KC = 1024 would otherwise
        // run a second pass of depth 76 whose C traffic costs nearly as much as the first.
        int kc = DivUp(pr.K, DivUp(pr.K, TKernel.KC));
        int nc = RoundUp(DivUp(pr.N, DivUp(pr.N, TKernel.NC)), nr);
        // Blocks of rows of at most MC, as many as the smallest multiple of the thread count allows,
        // and as equal as whole MR panels allow (256 rows = 22 panels on 2 threads: six blocks of 3
        // or 4 panels, not 4,4,4,4,4,2), so that the threads finish together.
        int mPanels = DivUp(pr.M, mr);
        int rowBlocks = Math.Min(mPanels, threads * DivUp(mPanels, threads * DivUp(TKernel.MC, mr)));
        // Too few rows to keep every thread busy (m of a few MR): split the columns as well.
        int colChunks = threads > 1 && rowBlocks < 2 * threads ? DivUp(2 * threads, rowBlocks) : 1;

        float* bPack = plan.B ? GemmWorkspace.Current.B(kc * nc) : null;

        for (int jc = 0; jc < pr.N; jc += nc)
        {
            int ncCur = Math.Min(nc, pr.N - jc);
            int chunk = RoundUp(DivUp(ncCur, colChunks), nr);
            for (int pc = 0; pc < pr.K; pc += kc)
            {
                int kcCur = Math.Min(kc, pr.K - pc);
                if (plan.B)
                {
                    var pack = new PackBBlock(pr, pc, kcCur, jc, ncCur, bPack);
                    Threads.For(pack.Count, threads, pack);
                }
                var blocks = new RowBlocks(pr, plan, mPanels, rowBlocks, jc, ncCur, chunk, pc, kcCur, bPack);
                Threads.For(blocks.Count, threads, blocks);
            }
        }
    }

    /// <summary>Which operands to pack.</summary>
    internal readonly record struct Packing(bool A, bool B);

    /// <summary>
    /// Packing costs a pass over the operand (about half a cycle per float) and buys contiguous,
    /// aligned panels. That pays when a panel is reused many times (A across n / NR column panels,
    /// B across m / MR row panels), or when the leading dimension is a multiple of 256 floats: rows
    /// 1, 2 or 4 KB apart fall into a few L1 sets and evict each other (12 rows of A 4 KB apart
    /// need 12 ways of an 8-way cache). Otherwise the kernel reads the operand where it is: one
    /// thread, same run, 64x100 * 100x10 took 3.1 us instead of 5.2 us with both packed, and
    /// 64x1000 * 1000x100, 256^3 and 512^3 were 2 to 10% faster unpacked, while 1024^3 (lda = 1024)
    /// was 10% slower. A transposed B is always packed (its columns are not contiguous).
    /// </summary>
    internal static Packing Plan(in GemmProblem pr)
    {
        bool packA = pr.N >= PackAMinN || pr.Lda % 256 == 0;
        bool packB = pr.TransB || pr.M >= PackBMinM || pr.Ldb % 256 == 0;
        return new Packing(packA, packB);
    }

    /// <summary>Packs a KC x NC block of B into the shared buffer, 16 panels per work item.</summary>
    private readonly struct PackBBlock(in GemmProblem pr, int pc, int kc, int jc, int nc, float* bPack) : IParallelWork
    {
        private const int PanelsPerItem = 16;
        private readonly GemmProblem _pr = pr;

        public int Count => DivUp(nc, PanelsPerItem * TKernel.NR);

        public void Run(int index)
        {
            int j = index * PanelsPerItem * TKernel.NR;
            int cols = Math.Min(PanelsPerItem * TKernel.NR, nc - j);
            GemmPacking.PackB<TKernel>(_pr.B, _pr.Ldb, _pr.TransB, pc, kc, jc + j, cols, bPack + (nint)j * kc);
        }
    }

    /// <summary>
    /// One work item per block of rows of C (and per chunk of its columns, when rows are few): pack
    /// those rows of A into the running thread's own buffer and sweep them against the shared B.
    /// </summary>
    private readonly struct RowBlocks(
        in GemmProblem pr, Packing plan, int mPanels, int rowBlocks, int jc, int nc, int chunk, int pc, int kc, float* bPack)
        : IParallelWork
    {
        private readonly GemmProblem _pr = pr;

        public int Count => rowBlocks * DivUp(nc, chunk);

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Run(int index)
        {
            // Block b holds panels [b * mPanels / rowBlocks, (b + 1) * mPanels / rowBlocks).
            int block = index % rowBlocks, j = index / rowBlocks * chunk;
            int ic = (int)((long)block * mPanels / rowBlocks) * TKernel.MR;
            int rows = Math.Min((int)((long)(block + 1) * mPanels / rowBlocks) * TKernel.MR, _pr.M) - ic;
            int cols = Math.Min(chunk, nc - j);
            // The first slice of k applies the caller's beta; later slices accumulate onto it.
            float beta = pc == 0 ? _pr.Beta : 1f;
            float* aPack = null;
            if (plan.A)
            {
                aPack = GemmWorkspace.Current.A(RoundUp(rows, TKernel.MR) * kc);
                GemmPacking.PackA<TKernel>(_pr.A, _pr.Lda, _pr.TransA, ic, rows, pc, kc, aPack);
            }
            MacroKernel(_pr, plan, ic, rows, jc + j, cols, pc, kc, beta, aPack, plan.B ? bPack + (nint)j * kc : null);
        }
    }

    /// <summary>Sweeps the micro-kernel over an mc x nc block of C: NR-column panels outside, MR-row panels inside.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void MacroKernel(
        in GemmProblem pr, Packing plan, int ic, int mc, int jc, int nc, int pc, int kc, float beta, float* aPack, float* bPack)
    {
        int mr = TKernel.MR, nr = TKernel.NR;
        float alpha = pr.Alpha;
        nint ldc = pr.Ldc, lda = pr.Lda;
        for (int jr = 0; jr < nc; jr += nr)
        {
            int cols = Math.Min(nr, nc - jr);
            float* b;
            nint bStep;
            if (plan.B)
            {
                b = bPack + (nint)jr * kc;
                bStep = cols == nr ? nr : TKernel.PanelWidth(cols);
            }
            else
            {
                b = pr.B + pc * pr.Ldb + jc + jr;
                bStep = pr.Ldb;
            }

            float* c = pr.C + ic * ldc + jc + jr;
            for (int ir = 0; ir < mc; ir += mr, c += mr * ldc)
            {
                int rows = Math.Min(mr, mc - ir);
                if (plan.A)
                {
                    TKernel.Run(rows, cols, kc, aPack + (nint)ir * kc, mr, b, bStep, c, ldc, alpha, beta);
                }
                else if (pr.TransA)
                {
                    TKernel.Run(rows, cols, kc, pr.A + pc * lda + ic + ir, lda, b, bStep, c, ldc, alpha, beta);
                }
                else
                {
                    TKernel.RunRows(rows, cols, kc, pr.A + (ic + ir) * lda + pc, lda, b, bStep, c, ldc, alpha, beta);
                }
            }
        }
    }

    private static int DivUp(int x, int y) => (x + y - 1) / y;

    private static int RoundUp(int x, int multiple) => DivUp(x, multiple) * multiple;
}
