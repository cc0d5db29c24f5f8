// The accumulators are written out one by one so that the JIT keeps every one in a register;
// an array or a loop over them would spill them to the stack.
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Nabla.Kernels;

/// <summary>
/// AVX2 + FMA micro-kernel: a 6 x 16 tile of C in 12 ymm registers, updated per step of k by 2
/// loads of B, 6 broadcasts of A and 12 FMAs. The classic BLIS Haswell/Zen shape: with only 16
/// ymm registers, 12 accumulators + 2 of B + 1 broadcast is the largest tile that does not spill.
/// The same code, specialised for up to 12 rows, serves as the narrow (at most 16 columns) edge
/// of <see cref="GemmKernelAvx512"/>, where AVX-512 provides 32 registers.
/// </summary>
/// <remarks>
/// Blocking as for the AVX-512 kernel (see there): KC = 1024 beat 256 by ~25% at 1024^3 on Zen 4
/// (89 vs 71 GFLOP/s, same run); MC = 48 is a multiple of 6.
/// </remarks>
internal readonly unsafe struct GemmKernelAvx2 : IGemmMicroKernel
{
    /// <inheritdoc/>
    public static int MR => 6;

    /// <inheritdoc/>
    public static int NR => 16;

    /// <inheritdoc/>
    public static int KC => 1024;

    /// <inheritdoc/>
    public static int MC => 48;

    /// <inheritdoc/>
    public static int NC => 4096;

    /// <inheritdoc/>
    public static bool IsSupported => Avx2.IsSupported && Fma.IsSupported;

    /// <inheritdoc/>
    public static int PanelWidth(int cols) => cols > 8 ? 16 : 8;

    /// <inheritdoc/>
    public static void Run(int rows, int cols, int kc, float* a, nint aStep, float* b, nint bStep, float* c, nint ldc, float alpha, float beta)
    {
        switch (cols)
        {
            case 16: RunDispatch<C2, C0>(rows, kc, a, aStep, b, bStep, c, ldc, cols, alpha, beta); break;
            case > 8: RunDispatch<C2, C1>(rows, kc, a, aStep, b, bStep, c, ldc, cols, alpha, beta); break;
            case 8: RunDispatch<C1, C0>(rows, kc, a, aStep, b, bStep, c, ldc, cols, alpha, beta); break;
            default: RunDispatch<C1, C1>(rows, kc, a, aStep, b, bStep, c, ldc, cols, alpha, beta); break;
        }
    }

    /// <inheritdoc/>
    public static void RunRows(int rows, int cols, int kc, float* a, nint lda, float* b, nint bStep, float* c, nint ldc, float alpha, float beta)
    {
        switch (cols)
        {
            case 16: RunRowsDispatch<C2, C0>(rows, kc, a, lda, b, bStep, c, ldc, cols, alpha, beta); break;
            case > 8: RunRowsDispatch<C2, C1>(rows, kc, a, lda, b, bStep, c, ldc, cols, alpha, beta); break;
            case 8: RunRowsDispatch<C1, C0>(rows, kc, a, lda, b, bStep, c, ldc, cols, alpha, beta); break;
            default: RunRowsDispatch<C1, C1>(rows, kc, a, lda, b, bStep, c, ldc, cols, alpha, beta); break;
        }
    }

    /// <summary>
    /// Up to 12 rows by at most 16 columns: the narrow edge of the AVX-512 kernel, which has the 32
    /// registers that 12 rows of accumulators need (AVX2 alone has 16, hence MR = 6 here).
    /// </summary>
    internal static void RunNarrow(int rows, int cols, int kc, float* a, nint aStep, float* b, nint bStep, float* c, nint ldc, float alpha, float beta)
        => Run(rows, cols, kc, a, aStep, b, bStep, c, ldc, alpha, beta);

    /// <summary>As <see cref="RunNarrow"/>, reading A in place (see <see cref="RunRows"/>).</summary>
    internal static void RunRowsNarrow(int rows, int cols, int kc, float* a, nint lda, float* b, nint bStep, float* c, nint ldc, float alpha, float beta)
        => RunRows(rows, cols, kc, a, lda, b, bStep, c, ldc, alpha, beta);

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
        Vector256<float> bMask = edge ? Vector256.LessThan(Vector256<int>.Indices, Vector256.Create(cols - (two ? 8 : 0))).AsSingle() : default;
        Vector256<float> c0_0 = default, c0_1 = default;
        Vector256<float> c1_0 = default, c1_1 = default;
        Vector256<float> c2_0 = default, c2_1 = default;
        Vector256<float> c3_0 = default, c3_1 = default;
        Vector256<float> c4_0 = default, c4_1 = default;
        Vector256<float> c5_0 = default, c5_1 = default;
        Vector256<float> c6_0 = default, c6_1 = default;
        Vector256<float> c7_0 = default, c7_1 = default;
        Vector256<float> c8_0 = default, c8_1 = default;
        Vector256<float> c9_0 = default, c9_1 = default;
        Vector256<float> c10_0 = default, c10_1 = default;
        Vector256<float> c11_0 = default, c11_1 = default;
        for (int p = 0; p < kc; p++)
        {
            Vector256<float> b0 = edge && !two ? MaskedVector.Load(b, bMask) : Vector256.Load(b);
            Vector256<float> b1 = !two ? default : edge ? MaskedVector.Load(b + 8, bMask) : Vector256.Load(b + 8);
            { Vector256<float> ar = Vector256.Create(a[0]); c0_0 = Fma.MultiplyAdd(ar, b0, c0_0); if (two) c0_1 = Fma.MultiplyAdd(ar, b1, c0_1); }
            if (rows > 1) { Vector256<float> ar = Vector256.Create(a[1]); c1_0 = Fma.MultiplyAdd(ar, b0, c1_0); if (two) c1_1 = Fma.MultiplyAdd(ar, b1, c1_1); }
            if (rows > 2) { Vector256<float> ar = Vector256.Create(a[2]); c2_0 = Fma.MultiplyAdd(ar, b0, c2_0); if (two) c2_1 = Fma.MultiplyAdd(ar, b1, c2_1); }
            if (rows > 3) { Vector256<float> ar = Vector256.Create(a[3]); c3_0 = Fma.MultiplyAdd(ar, b0, c3_0); if (two) c3_1 = Fma.MultiplyAdd(ar, b1, c3_1); }
            if (rows > 4) { Vector256<float> ar = Vector256.Create(a[4]); c4_0 = Fma.MultiplyAdd(ar, b0, c4_0); if (two) c4_1 = Fma.MultiplyAdd(ar, b1, c4_1); }
            if (rows > 5) { Vector256<float> ar = Vector256.Create(a[5]); c5_0 = Fma.MultiplyAdd(ar, b0, c5_0); if (two) c5_1 = Fma.MultiplyAdd(ar, b1, c5_1); }
            if (rows > 6) { Vector256<float> ar = Vector256.Create(a[6]); c6_0 = Fma.MultiplyAdd(ar, b0, c6_0); if (two) c6_1 = Fma.MultiplyAdd(ar, b1, c6_1); }
            if (rows > 7) { Vector256<float> ar = Vector256.Create(a[7]); c7_0 = Fma.MultiplyAdd(ar, b0, c7_0); if (two) c7_1 = Fma.MultiplyAdd(ar, b1, c7_1); }
            if (rows > 8) { Vector256<float> ar = Vector256.Create(a[8]); c8_0 = Fma.MultiplyAdd(ar, b0, c8_0); if (two) c8_1 = Fma.MultiplyAdd(ar, b1, c8_1); }
            if (rows > 9) { Vector256<float> ar = Vector256.Create(a[9]); c9_0 = Fma.MultiplyAdd(ar, b0, c9_0); if (two) c9_1 = Fma.MultiplyAdd(ar, b1, c9_1); }
            if (rows > 10) { Vector256<float> ar = Vector256.Create(a[10]); c10_0 = Fma.MultiplyAdd(ar, b0, c10_0); if (two) c10_1 = Fma.MultiplyAdd(ar, b1, c10_1); }
            if (rows > 11) { Vector256<float> ar = Vector256.Create(a[11]); c11_0 = Fma.MultiplyAdd(ar, b0, c11_0); if (two) c11_1 = Fma.MultiplyAdd(ar, b1, c11_1); }
            a += aStep;
            b += bStep;
        }
        var e = new Epilogue(c, ldc, alpha, beta, cols - (two ? 8 : 0));
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
        Vector256<float> bMask = edge ? Vector256.LessThan(Vector256<int>.Indices, Vector256.Create(cols - (two ? 8 : 0))).AsSingle() : default;
        Vector256<float> c0_0 = default, c0_1 = default;
        Vector256<float> c1_0 = default, c1_1 = default;
        Vector256<float> c2_0 = default, c2_1 = default;
        Vector256<float> c3_0 = default, c3_1 = default;
        Vector256<float> c4_0 = default, c4_1 = default;
        Vector256<float> c5_0 = default, c5_1 = default;
        Vector256<float> c6_0 = default, c6_1 = default;
        Vector256<float> c7_0 = default, c7_1 = default;
        Vector256<float> c8_0 = default, c8_1 = default;
        Vector256<float> c9_0 = default, c9_1 = default;
        Vector256<float> c10_0 = default, c10_1 = default;
        Vector256<float> c11_0 = default, c11_1 = default;
        // Rows are lda apart: a few base pointers plus 0, lda, 2 lda, 3 lda offsets keep every
        // address in x64 [base + index * 4] form instead of tying up one register per row.
        nint l1 = lda, l2 = 2 * lda, l3 = 3 * lda;
        float* a1 = a + 4 * lda;
        float* a2 = a + 8 * lda;
        for (int p = 0; p < kc; p++)
        {
            Vector256<float> b0 = edge && !two ? MaskedVector.Load(b, bMask) : Vector256.Load(b);
            Vector256<float> b1 = !two ? default : edge ? MaskedVector.Load(b + 8, bMask) : Vector256.Load(b + 8);
            { Vector256<float> ar = Vector256.Create(a[0]); c0_0 = Fma.MultiplyAdd(ar, b0, c0_0); if (two) c0_1 = Fma.MultiplyAdd(ar, b1, c0_1); }
            if (rows > 1) { Vector256<float> ar = Vector256.Create(a[l1]); c1_0 = Fma.MultiplyAdd(ar, b0, c1_0); if (two) c1_1 = Fma.MultiplyAdd(ar, b1, c1_1); }
            if (rows > 2) { Vector256<float> ar = Vector256.Create(a[l2]); c2_0 = Fma.MultiplyAdd(ar, b0, c2_0); if (two) c2_1 = Fma.MultiplyAdd(ar, b1, c2_1); }
            if (rows > 3) { Vector256<float> ar = Vector256.Create(a[l3]); c3_0 = Fma.MultiplyAdd(ar, b0, c3_0); if (two) c3_1 = Fma.MultiplyAdd(ar, b1, c3_1); }
            if (rows > 4) { Vector256<float> ar = Vector256.Create(a1[0]); c4_0 = Fma.MultiplyAdd(ar, b0, c4_0); if (two) c4_1 = Fma.MultiplyAdd(ar, b1, c4_1); }
            if (rows > 5) { Vector256<float> ar = Vector256.Create(a1[l1]); c5_0 = Fma.MultiplyAdd(ar, b0, c5_0); if (two) c5_1 = Fma.MultiplyAdd(ar, b1, c5_1); }
            if (rows > 6) { Vector256<float> ar = Vector256.Create(a1[l2]); c6_0 = Fma.MultiplyAdd(ar, b0, c6_0); if (two) c6_1 = Fma.MultiplyAdd(ar, b1, c6_1); }
            if (rows > 7) { Vector256<float> ar = Vector256.Create(a1[l3]); c7_0 = Fma.MultiplyAdd(ar, b0, c7_0); if (two) c7_1 = Fma.MultiplyAdd(ar, b1, c7_1); }
            if (rows > 8) { Vector256<float> ar = Vector256.Create(a2[0]); c8_0 = Fma.MultiplyAdd(ar, b0, c8_0); if (two) c8_1 = Fma.MultiplyAdd(ar, b1, c8_1); }
            if (rows > 9) { Vector256<float> ar = Vector256.Create(a2[l1]); c9_0 = Fma.MultiplyAdd(ar, b0, c9_0); if (two) c9_1 = Fma.MultiplyAdd(ar, b1, c9_1); }
            if (rows > 10) { Vector256<float> ar = Vector256.Create(a2[l2]); c10_0 = Fma.MultiplyAdd(ar, b0, c10_0); if (two) c10_1 = Fma.MultiplyAdd(ar, b1, c10_1); }
            if (rows > 11) { Vector256<float> ar = Vector256.Create(a2[l3]); c11_0 = Fma.MultiplyAdd(ar, b0, c11_0); if (two) c11_1 = Fma.MultiplyAdd(ar, b1, c11_1); }
            a++; a1++; a2++;
            b += bStep;
        }
        var e = new Epilogue(c, ldc, alpha, beta, cols - (two ? 8 : 0));
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
        private readonly Vector256<float> _alpha, _beta, _mask;
        private readonly bool _overwrite, _lastFull;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Epilogue(float* c, nint ldc, float alpha, float beta, int lastCols)
        {
            _c = c;
            _ldc = ldc;
            _alpha = Vector256.Create(alpha);
            _beta = Vector256.Create(beta);
            _overwrite = beta == 0;
            _lastFull = lastCols == 8;
            _mask = _lastFull ? default : Vector256.LessThan(Vector256<int>.Indices, Vector256.Create(lastCols)).AsSingle();
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Row(int r, Vector256<float> acc0, Vector256<float> acc1, bool two)
        {
            float* c = _c + r * _ldc;
            if (two)
            {
                Full(c, acc0);
                Last(c + 8, acc1);
            }
            else
            {
                Last(c, acc0);
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private void Full(float* c, Vector256<float> acc) =>
            Vector256.Store(_overwrite ? _alpha * acc : Fma.MultiplyAdd(acc, _alpha, _beta * Vector256.Load(c)), c);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private void Last(float* c, Vector256<float> acc)
        {
            if (_lastFull)
            {
                Full(c, acc);
            }
            else
            {
                Vector256<float> x = _overwrite ? _alpha * acc : Fma.MultiplyAdd(acc, _alpha, _beta * MaskedVector.Load(c, _mask));
                MaskedVector.Store(c, _mask, x);
            }
        }
    }
}
