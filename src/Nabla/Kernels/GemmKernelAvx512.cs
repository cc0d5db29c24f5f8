// The accumulators are written out one by one so that the JIT keeps every one in a register;
// an array or a loop over them would spill them to the stack.
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Nabla.Kernels;

/// <summary>
/// AVX-512 micro-kernel: a 12 x 32 tile of C held in 24 zmm registers (of 32), updated per step of
/// k by 2 loads of B, 12 broadcasts of A and 24 FMAs.
/// </summary>
/// <remarks>
/// Why 12 x 32: on Zen 4 a 512-bit FMA issues at one per cycle with a latency of 4, so 24
/// independent accumulators hide the latency several times over. Measured with the panels in L1,
/// 12x32, 14x32, 8x48 and 6x64 all reach the same ~115 GFLOP/s on one core (the peak: 32 flops per
/// cycle at ~3.6 GHz), 0.8 GFLOP/s apart; 12x32 pads the seed shapes (m = 64, n = 100, n = 10)
/// least. Against the AVX2 6x16 kernel on the same core the whole GEMM runs ~18% faster
/// (105 vs 89 GFLOP/s at 1024^3, one thread, same run): half the instructions per FMA.
/// <para>
/// Blocking, measured at 512^3 to 2048^3 on one core (CPU time, alternating configurations):
/// KC = 128, 256, 512, 1024 gave 87, 94, 100, 105 GFLOP/s at 1024^3. A deep KC means the B
/// micro-panel (KC x 32 floats = 128 KB) no longer fits L1 and streams from L2 instead, which the
/// prefetchers sustain at 14 loads per 24 FMAs, while C is read and written K / KC times fewer and
/// each kernel call's setup is spread over more FMAs. MC = 48 (A block 48 x 1024 = 192 KB of the
/// 1 MB L2, beside the B panel) was as good as 96 to 192 on one thread and gives two threads ~20
/// row blocks to share at 1024^3. NC = 4096: B blocks of up to 16 MB, in the 32 MB L3.
/// </para>
/// </remarks>
internal readonly unsafe struct GemmKernelAvx512 : IGemmMicroKernel
{
    /// <inheritdoc/>
    public static int MR => 12;

    /// <inheritdoc/>
    public static int NR => 32;

    /// <inheritdoc/>
    public static int KC => 1024;

    /// <inheritdoc/>
    public static int MC => 48;

    /// <inheritdoc/>
    public static int NC => 4096;

    /// <inheritdoc/>
    public static bool IsSupported => Avx512F.IsSupported;

    /// <inheritdoc/>
    public static int PanelWidth(int cols) => cols > 16 ? 32 : cols > 8 ? 16 : 8;

    /// <inheritdoc/>
    public static void Run(int rows, int cols, int kc, float* a, nint aStep, float* b, nint bStep, float* c, nint ldc, float alpha, float beta)
    {
        if (cols == 32)
        {
            RunDispatch<C2, C0>(rows, kc, a, aStep, b, bStep, c, ldc, cols, alpha, beta);
        }
        else if (cols > 16)
        {
            RunDispatch<C2, C1>(rows, kc, a, aStep, b, bStep, c, ldc, cols, alpha, beta);
        }
        else
        {
            // Narrow edges run on 8-wide vectors. A 512-bit broadcast from memory issues only every
            // other cycle on Zen 4, so one zmm of B per broadcast would run at half speed; two ymm
            // per broadcast keep the FMA units busy (and an edge of <= 8 columns needs half the work).
            GemmKernelAvx2.RunNarrow(rows, cols, kc, a, aStep, b, bStep, c, ldc, alpha, beta);
        }
    }

    /// <inheritdoc/>
    public static void RunRows(int rows, int cols, int kc, float* a, nint lda, float* b, nint bStep, float* c, nint ldc, float alpha, float beta)
    {
        if (cols == 32)
        {
            RunRowsDispatch<C2, C0>(rows, kc, a, lda, b, bStep, c, ldc, cols, alpha, beta);
        }
        else if (cols > 16)
        {
            RunRowsDispatch<C2, C1>(rows, kc, a, lda, b, bStep, c, ldc, cols, alpha, beta);
        }
        else
        {
            // Narrow edges run on 8-wide vectors. A 512-bit broadcast from memory issues only every
            // other cycle on Zen 4, so one zmm of B per broadcast would run at half speed; two ymm
            // per broadcast keep the FMA units busy (and an edge of <= 8 columns needs half the work).
            GemmKernelAvx2.RunRowsNarrow(rows, cols, kc, a, lda, b, bStep, c, ldc, alpha, beta);
        }
    }

    private static void RunDispatch<TVecs, TEdge>(int rows, int kc, float* a, nint aStep, float* b, nint bStep, float* c, nint ldc, int cols, float alpha, float beta)
        where TVecs : IConstant where TEdge : IConstant
    {
        switch (rows)
        {
            case 12: Run<C12, TVecs, TEdge>(kc, a, aStep, b, bStep, c, ldc, cols, alpha, beta); break;
            case 11: Run<C11, TVecs, TEdge>(kc, a, aStep, b, bStep, c, ldc, cols, alpha, beta); break;
            case 10: Run<C10, TVecs, TEdge>(kc, a, aStep, b, bStep, c, ldc, cols, alpha, beta); break;
            case 9: Run<C9, TVecs, TEdge>(kc, a, aStep, b, bStep, c, ldc, cols, alpha, beta); break;
            case 8: Run<C8, TVecs, TEdge>(kc, a, aStep, b, bStep, c, ldc, cols, alpha, beta); break;
            case 7: Run<C7, TVecs, TEdge>(kc, a, aStep, b, bStep, c, ldc, cols, alpha, beta); break;
            case 6: Run<C6, TVecs, TEdge>(kc, a, aStep, b, bStep, c, ldc, cols, alpha, beta); break;
            case 5: Run<C5, TVecs, TEdge>(kc, a, aStep, b, bStep, c, ldc, cols, alpha, beta); break;
            case 4: Run<C4, TVecs, TEdge>(kc, a, aStep, b, bStep, c, ldc, cols, alpha, beta); break;
            case 3: Run<C3, TVecs, TEdge>(kc, a, aStep, b, bStep, c, ldc, cols, alpha, beta); break;
            case 2: Run<C2, TVecs, TEdge>(kc, a, aStep, b, bStep, c, ldc, cols, alpha, beta); break;
            case 1: Run<C1, TVecs, TEdge>(kc, a, aStep, b, bStep, c, ldc, cols, alpha, beta); break;
            default: throw new ArgumentOutOfRangeException(nameof(rows), rows, "1 to 12 rows");
        }
    }

    private static void RunRowsDispatch<TVecs, TEdge>(int rows, int kc, float* a, nint lda, float* b, nint bStep, float* c, nint ldc, int cols, float alpha, float beta)
        where TVecs : IConstant where TEdge : IConstant
    {
        switch (rows)
        {
            case 12: RunRows<C12, TVecs, TEdge>(kc, a, lda, b, bStep, c, ldc, cols, alpha, beta); break;
            case 11: RunRows<C11, TVecs, TEdge>(kc, a, lda, b, bStep, c, ldc, cols, alpha, beta); break;
            case 10: RunRows<C10, TVecs, TEdge>(kc, a, lda, b, bStep, c, ldc, cols, alpha, beta); break;
            case 9: RunRows<C9, TVecs, TEdge>(kc, a, lda, b, bStep, c, ldc, cols, alpha, beta); break;
            case 8: RunRows<C8, TVecs, TEdge>(kc, a, lda, b, bStep, c, ldc, cols, alpha, beta); break;
            case 7: RunRows<C7, TVecs, TEdge>(kc, a, lda, b, bStep, c, ldc, cols, alpha, beta); break;
            case 6: RunRows<C6, TVecs, TEdge>(kc, a, lda, b, bStep, c, ldc, cols, alpha, beta); break;
            case 5: RunRows<C5, TVecs, TEdge>(kc, a, lda, b, bStep, c, ldc, cols, alpha, beta); break;
            case 4: RunRows<C4, TVecs, TEdge>(kc, a, lda, b, bStep, c, ldc, cols, alpha, beta); break;
            case 3: RunRows<C3, TVecs, TEdge>(kc, a, lda, b, bStep, c, ldc, cols, alpha, beta); break;
            case 2: RunRows<C2, TVecs, TEdge>(kc, a, lda, b, bStep, c, ldc, cols, alpha, beta); break;
            case 1: RunRows<C1, TVecs, TEdge>(kc, a, lda, b, bStep, c, ldc, cols, alpha, beta); break;
            default: throw new ArgumentOutOfRangeException(nameof(rows), rows, "1 to 12 rows");
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Run<TRows, TVecs, TEdge>(int kc, float* a, nint aStep, float* b, nint bStep, float* c, nint ldc, int cols, float alpha, float beta)
        where TRows : IConstant where TVecs : IConstant where TEdge : IConstant
    {
        // Constants after specialisation: the JIT drops the absent rows, the second vector, the masks.
        int rows = TRows.Value;
        bool two = TVecs.Value == 2, edge = TEdge.Value == 1;
        // An edge panel's last vector of B is read under a mask: nothing past column n is touched.
        Vector512<float> bMask = edge ? Vector512.LessThan(Vector512<int>.Indices, Vector512.Create(cols - (two ? 16 : 0))).AsSingle() : default;
        Vector512<float> c0_0 = default, c0_1 = default;
        Vector512<float> c1_0 = default, c1_1 = default;
        Vector512<float> c2_0 = default, c2_1 = default;
        Vector512<float> c3_0 = default, c3_1 = default;
        Vector512<float> c4_0 = default, c4_1 = default;
        Vector512<float> c5_0 = default, c5_1 = default;
        Vector512<float> c6_0 = default, c6_1 = default;
        Vector512<float> c7_0 = default, c7_1 = default;
        Vector512<float> c8_0 = default, c8_1 = default;
        Vector512<float> c9_0 = default, c9_1 = default;
        Vector512<float> c10_0 = default, c10_1 = default;
        Vector512<float> c11_0 = default, c11_1 = default;
        for (int p = 0; p < kc; p++)
        {
            Vector512<float> b0 = edge && !two ? Avx512F.MaskLoad(b, bMask, default) : Vector512.Load(b);
            Vector512<float> b1 = !two ? default : edge ? Avx512F.MaskLoad(b + 16, bMask, default) : Vector512.Load(b + 16);
            { Vector512<float> ar = Vector512.Create(a[0]); c0_0 = Avx512F.FusedMultiplyAdd(ar, b0, c0_0); if (two) c0_1 = Avx512F.FusedMultiplyAdd(ar, b1, c0_1); }
            if (rows > 1) { Vector512<float> ar = Vector512.Create(a[1]); c1_0 = Avx512F.FusedMultiplyAdd(ar, b0, c1_0); if (two) c1_1 = Avx512F.FusedMultiplyAdd(ar, b1, c1_1); }
            if (rows > 2) { Vector512<float> ar = Vector512.Create(a[2]); c2_0 = Avx512F.FusedMultiplyAdd(ar, b0, c2_0); if (two) c2_1 = Avx512F.FusedMultiplyAdd(ar, b1, c2_1); }
            if (rows > 3) { Vector512<float> ar = Vector512.Create(a[3]); c3_0 = Avx512F.FusedMultiplyAdd(ar, b0, c3_0); if (two) c3_1 = Avx512F.FusedMultiplyAdd(ar, b1, c3_1); }
            if (rows > 4) { Vector512<float> ar = Vector512.Create(a[4]); c4_0 = Avx512F.FusedMultiplyAdd(ar, b0, c4_0); if (two) c4_1 = Avx512F.FusedMultiplyAdd(ar, b1, c4_1); }
            if (rows > 5) { Vector512<float> ar = Vector512.Create(a[5]); c5_0 = Avx512F.FusedMultiplyAdd(ar, b0, c5_0); if (two) c5_1 = Avx512F.FusedMultiplyAdd(ar, b1, c5_1); }
            if (rows > 6) { Vector512<float> ar = Vector512.Create(a[6]); c6_0 = Avx512F.FusedMultiplyAdd(ar, b0, c6_0); if (two) c6_1 = Avx512F.FusedMultiplyAdd(ar, b1, c6_1); }
            if (rows > 7) { Vector512<float> ar = Vector512.Create(a[7]); c7_0 = Avx512F.FusedMultiplyAdd(ar, b0, c7_0); if (two) c7_1 = Avx512F.FusedMultiplyAdd(ar, b1, c7_1); }
            if (rows > 8) { Vector512<float> ar = Vector512.Create(a[8]); c8_0 = Avx512F.FusedMultiplyAdd(ar, b0, c8_0); if (two) c8_1 = Avx512F.FusedMultiplyAdd(ar, b1, c8_1); }
            if (rows > 9) { Vector512<float> ar = Vector512.Create(a[9]); c9_0 = Avx512F.FusedMultiplyAdd(ar, b0, c9_0); if (two) c9_1 = Avx512F.FusedMultiplyAdd(ar, b1, c9_1); }
            if (rows > 10) { Vector512<float> ar = Vector512.Create(a[10]); c10_0 = Avx512F.FusedMultiplyAdd(ar, b0, c10_0); if (two) c10_1 = Avx512F.FusedMultiplyAdd(ar, b1, c10_1); }
            if (rows > 11) { Vector512<float> ar = Vector512.Create(a[11]); c11_0 = Avx512F.FusedMultiplyAdd(ar, b0, c11_0); if (two) c11_1 = Avx512F.FusedMultiplyAdd(ar, b1, c11_1); }
            a += aStep;
            b += bStep;
        }
        var e = new Epilogue(c, ldc, alpha, beta, cols - (two ? 16 : 0));
        e.Row(0, c0_0, c0_1, two);
        if (rows > 1) e.Row(1, c1_0, c1_1, two);
        if (rows > 2) e.Row(2, c2_0, c2_1, two);
        if (rows > 3) e.Row(3, c3_0, c3_1, two);
        if (rows > 4) e.Row(4, c4_0, c4_1, two);
        if (rows > 5) e.Row(5, c5_0, c5_1, two);
        if (rows > 6) e.Row(6, c6_0, c6_1, two);
        if (rows > 7) e.Row(7, c7_0, c7_1, two);
        if (rows > 8) e.Row(8, c8_0, c8_1, two);
        if (rows > 9) e.Row(9, c9_0, c9_1, two);
        if (rows > 10) e.Row(10, c10_0, c10_1, two);
        if (rows > 11) e.Row(11, c11_0, c11_1, two);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void RunRows<TRows, TVecs, TEdge>(int kc, float* a, nint lda, float* b, nint bStep, float* c, nint ldc, int cols, float alpha, float beta)
        where TRows : IConstant where TVecs : IConstant where TEdge : IConstant
    {
        int rows = TRows.Value;
        bool two = TVecs.Value == 2, edge = TEdge.Value == 1;
        // An edge panel's last vector of B is read under a mask: nothing past column n is touched.
        Vector512<float> bMask = edge ? Vector512.LessThan(Vector512<int>.Indices, Vector512.Create(cols - (two ? 16 : 0))).AsSingle() : default;
        Vector512<float> c0_0 = default, c0_1 = default;
        Vector512<float> c1_0 = default, c1_1 = default;
        Vector512<float> c2_0 = default, c2_1 = default;
        Vector512<float> c3_0 = default, c3_1 = default;
        Vector512<float> c4_0 = default, c4_1 = default;
        Vector512<float> c5_0 = default, c5_1 = default;
        Vector512<float> c6_0 = default, c6_1 = default;
        Vector512<float> c7_0 = default, c7_1 = default;
        Vector512<float> c8_0 = default, c8_1 = default;
        Vector512<float> c9_0 = default, c9_1 = default;
        Vector512<float> c10_0 = default, c10_1 = default;
        Vector512<float> c11_0 = default, c11_1 = default;
        // Rows are lda apart: a few base pointers plus 0, lda, 2 lda, 3 lda offsets keep every
        // address in x64 [base + index * 4] form instead of tying up one register per row.
        nint l1 = lda, l2 = 2 * lda, l3 = 3 * lda;
        float* a1 = a + 4 * lda;
        float* a2 = a + 8 * lda;
        for (int p = 0; p < kc; p++)
        {
            Vector512<float> b0 = edge && !two ? Avx512F.MaskLoad(b, bMask, default) : Vector512.Load(b);
            Vector512<float> b1 = !two ? default : edge ? Avx512F.MaskLoad(b + 16, bMask, default) : Vector512.Load(b + 16);
            { Vector512<float> ar = Vector512.Create(a[0]); c0_0 = Avx512F.FusedMultiplyAdd(ar, b0, c0_0); if (two) c0_1 = Avx512F.FusedMultiplyAdd(ar, b1, c0_1); }
            if (rows > 1) { Vector512<float> ar = Vector512.Create(a[l1]); c1_0 = Avx512F.FusedMultiplyAdd(ar, b0, c1_0); if (two) c1_1 = Avx512F.FusedMultiplyAdd(ar, b1, c1_1); }
            if (rows > 2) { Vector512<float> ar = Vector512.Create(a[l2]); c2_0 = Avx512F.FusedMultiplyAdd(ar, b0, c2_0); if (two) c2_1 = Avx512F.FusedMultiplyAdd(ar, b1, c2_1); }
            if (rows > 3) { Vector512<float> ar = Vector512.Create(a[l3]); c3_0 = Avx512F.FusedMultiplyAdd(ar, b0, c3_0); if (two) c3_1 = Avx512F.FusedMultiplyAdd(ar, b1, c3_1); }
            if (rows > 4) { Vector512<float> ar = Vector512.Create(a1[0]); c4_0 = Avx512F.FusedMultiplyAdd(ar, b0, c4_0); if (two) c4_1 = Avx512F.FusedMultiplyAdd(ar, b1, c4_1); }
            if (rows > 5) { Vector512<float> ar = Vector512.Create(a1[l1]); c5_0 = Avx512F.FusedMultiplyAdd(ar, b0, c5_0); if (two) c5_1 = Avx512F.FusedMultiplyAdd(ar, b1, c5_1); }
            if (rows > 6) { Vector512<float> ar = Vector512.Create(a1[l2]); c6_0 = Avx512F.FusedMultiplyAdd(ar, b0, c6_0); if (two) c6_1 = Avx512F.FusedMultiplyAdd(ar, b1, c6_1); }
            if (rows > 7) { Vector512<float> ar = Vector512.Create(a1[l3]); c7_0 = Avx512F.FusedMultiplyAdd(ar, b0, c7_0); if (two) c7_1 = Avx512F.FusedMultiplyAdd(ar, b1, c7_1); }
            if (rows > 8) { Vector512<float> ar = Vector512.Create(a2[0]); c8_0 = Avx512F.FusedMultiplyAdd(ar, b0, c8_0); if (two) c8_1 = Avx512F.FusedMultiplyAdd(ar, b1, c8_1); }
            if (rows > 9) { Vector512<float> ar = Vector512.Create(a2[l1]); c9_0 = Avx512F.FusedMultiplyAdd(ar, b0, c9_0); if (two) c9_1 = Avx512F.FusedMultiplyAdd(ar, b1, c9_1); }
            if (rows > 10) { Vector512<float> ar = Vector512.Create(a2[l2]); c10_0 = Avx512F.FusedMultiplyAdd(ar, b0, c10_0); if (two) c10_1 = Avx512F.FusedMultiplyAdd(ar, b1, c10_1); }
            if (rows > 11) { Vector512<float> ar = Vector512.Create(a2[l3]); c11_0 = Avx512F.FusedMultiplyAdd(ar, b0, c11_0); if (two) c11_1 = Avx512F.FusedMultiplyAdd(ar, b1, c11_1); }
            a++; a1++; a2++;
            b += bStep;
        }
        var e = new Epilogue(c, ldc, alpha, beta, cols - (two ? 16 : 0));
        e.Row(0, c0_0, c0_1, two);
        if (rows > 1) e.Row(1, c1_0, c1_1, two);
        if (rows > 2) e.Row(2, c2_0, c2_1, two);
        if (rows > 3) e.Row(3, c3_0, c3_1, two);
        if (rows > 4) e.Row(4, c4_0, c4_1, two);
        if (rows > 5) e.Row(5, c5_0, c5_1, two);
        if (rows > 6) e.Row(6, c6_0, c6_1, two);
        if (rows > 7) e.Row(7, c7_0, c7_1, two);
        if (rows > 8) e.Row(8, c8_0, c8_1, two);
        if (rows > 9) e.Row(9, c9_0, c9_1, two);
        if (rows > 10) e.Row(10, c10_0, c10_1, two);
        if (rows > 11) e.Row(11, c11_0, c11_1, two);
    }

    /// <summary>
    /// Writes accumulators back: C = alpha * acc + beta * C, or alpha * acc when beta == 0 (C not
    /// read). The last vector of a row may be partial (an edge tile): it is loaded and stored under
    /// a mask so nothing past column n is touched.
    /// </summary>
    private readonly struct Epilogue
    {
        private readonly float* _c;
        private readonly nint _ldc;
        private readonly Vector512<float> _alpha, _beta, _mask;
        private readonly bool _overwrite, _lastFull;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Epilogue(float* c, nint ldc, float alpha, float beta, int lastCols)
        {
            _c = c;
            _ldc = ldc;
            _alpha = Vector512.Create(alpha);
            _beta = Vector512.Create(beta);
            _overwrite = beta == 0;
            _lastFull = lastCols == 16;
            _mask = _lastFull ? default : Vector512.LessThan(Vector512<int>.Indices, Vector512.Create(lastCols)).AsSingle();
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Row(int r, Vector512<float> acc0, Vector512<float> acc1, bool two)
        {
            float* c = _c + r * _ldc;
            if (two)
            {
                Full(c, acc0);
                Last(c + 16, acc1);
            }
            else
            {
                Last(c, acc0);
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private void Full(float* c, Vector512<float> acc) =>
            Vector512.Store(_overwrite ? _alpha * acc : Avx512F.FusedMultiplyAdd(acc, _alpha, _beta * Vector512.Load(c)), c);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private void Last(float* c, Vector512<float> acc)
        {
            if (_lastFull)
            {
                Full(c, acc);
            }
            else
            {
                Vector512<float> x = _overwrite ? _alpha * acc : Avx512F.FusedMultiplyAdd(acc, _alpha, _beta * Avx512F.MaskLoad(c, _mask, default));
                Avx512F.MaskStore(c, _mask, x);
            }
        }
    }
}
