// Generated-style code: the 12 accumulators are written out so that the JIT keeps every one in
// a register. Do not fold them into an array or a loop; that spills them to the stack.
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Nabla.Kernels;

/// <summary>
/// AVX2 + FMA micro-kernel: a 6 x 16 tile of C in 12 ymm registers, updated per step of k by 2
/// loads of B, 6 broadcasts of A and 12 FMAs. The classic BLIS Haswell/Zen shape: with only 16
/// ymm registers, 12 accumulators + 2 of B + 1 broadcast is the largest tile that does not spill.
/// </summary>
internal readonly unsafe struct GemmKernelAvx2 : IGemmMicroKernel
{
    public static int MR => 6;
    public static int NR => 16;
    public static int KC => 256;
    public static int MC => 144;
    public static int NC => 4080;
    public static bool IsSupported => Avx2.IsSupported && Fma.IsSupported;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run(int kc, float* a, nint aStep, float* b, float* c, nint ldc, float alpha, float beta)
    {
        Vector256<float> c0_0 = default; Vector256<float> c0_1 = default;
        Vector256<float> c1_0 = default; Vector256<float> c1_1 = default;
        Vector256<float> c2_0 = default; Vector256<float> c2_1 = default;
        Vector256<float> c3_0 = default; Vector256<float> c3_1 = default;
        Vector256<float> c4_0 = default; Vector256<float> c4_1 = default;
        Vector256<float> c5_0 = default; Vector256<float> c5_1 = default;
        Vector256<float> ar;
        for (int p = 0; p < kc; p++)
        {
            Vector256<float> b0 = Vector256.Load(b);
            Vector256<float> b1 = Vector256.Load(b + 8);
            ar = Vector256.Create(a[0]);
            c0_0 = Fma.MultiplyAdd(ar, b0, c0_0); c0_1 = Fma.MultiplyAdd(ar, b1, c0_1);
            ar = Vector256.Create(a[1]);
            c1_0 = Fma.MultiplyAdd(ar, b0, c1_0); c1_1 = Fma.MultiplyAdd(ar, b1, c1_1);
            ar = Vector256.Create(a[2]);
            c2_0 = Fma.MultiplyAdd(ar, b0, c2_0); c2_1 = Fma.MultiplyAdd(ar, b1, c2_1);
            ar = Vector256.Create(a[3]);
            c3_0 = Fma.MultiplyAdd(ar, b0, c3_0); c3_1 = Fma.MultiplyAdd(ar, b1, c3_1);
            ar = Vector256.Create(a[4]);
            c4_0 = Fma.MultiplyAdd(ar, b0, c4_0); c4_1 = Fma.MultiplyAdd(ar, b1, c4_1);
            ar = Vector256.Create(a[5]);
            c5_0 = Fma.MultiplyAdd(ar, b0, c5_0); c5_1 = Fma.MultiplyAdd(ar, b1, c5_1);
            a += aStep;
            b += 16;
        }
        Vector256<float> va = Vector256.Create(alpha);
        if (beta == 0)
        {
            // BLAS semantics: C is overwritten, never read, so NaNs in it do not leak through.
            Vector256.Store(va * c0_0, c); Vector256.Store(va * c0_1, c + 8);
            Vector256.Store(va * c1_0, c + 1 * ldc); Vector256.Store(va * c1_1, c + 1 * ldc + 8);
            Vector256.Store(va * c2_0, c + 2 * ldc); Vector256.Store(va * c2_1, c + 2 * ldc + 8);
            Vector256.Store(va * c3_0, c + 3 * ldc); Vector256.Store(va * c3_1, c + 3 * ldc + 8);
            Vector256.Store(va * c4_0, c + 4 * ldc); Vector256.Store(va * c4_1, c + 4 * ldc + 8);
            Vector256.Store(va * c5_0, c + 5 * ldc); Vector256.Store(va * c5_1, c + 5 * ldc + 8);
        }
        else
        {
            Vector256<float> vb = Vector256.Create(beta);
            Vector256.Store(Fma.MultiplyAdd(c0_0, va, vb * Vector256.Load(c)), c);
            Vector256.Store(Fma.MultiplyAdd(c0_1, va, vb * Vector256.Load(c + 8)), c + 8);
            Vector256.Store(Fma.MultiplyAdd(c1_0, va, vb * Vector256.Load(c + 1 * ldc)), c + 1 * ldc);
            Vector256.Store(Fma.MultiplyAdd(c1_1, va, vb * Vector256.Load(c + 1 * ldc + 8)), c + 1 * ldc + 8);
            Vector256.Store(Fma.MultiplyAdd(c2_0, va, vb * Vector256.Load(c + 2 * ldc)), c + 2 * ldc);
            Vector256.Store(Fma.MultiplyAdd(c2_1, va, vb * Vector256.Load(c + 2 * ldc + 8)), c + 2 * ldc + 8);
            Vector256.Store(Fma.MultiplyAdd(c3_0, va, vb * Vector256.Load(c + 3 * ldc)), c + 3 * ldc);
            Vector256.Store(Fma.MultiplyAdd(c3_1, va, vb * Vector256.Load(c + 3 * ldc + 8)), c + 3 * ldc + 8);
            Vector256.Store(Fma.MultiplyAdd(c4_0, va, vb * Vector256.Load(c + 4 * ldc)), c + 4 * ldc);
            Vector256.Store(Fma.MultiplyAdd(c4_1, va, vb * Vector256.Load(c + 4 * ldc + 8)), c + 4 * ldc + 8);
            Vector256.Store(Fma.MultiplyAdd(c5_0, va, vb * Vector256.Load(c + 5 * ldc)), c + 5 * ldc);
            Vector256.Store(Fma.MultiplyAdd(c5_1, va, vb * Vector256.Load(c + 5 * ldc + 8)), c + 5 * ldc + 8);
        }
    }

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void RunRows(int kc, float* a, nint lda, float* b, float* c, nint ldc, float alpha, float beta)
    {
        Vector256<float> c0_0 = default; Vector256<float> c0_1 = default;
        Vector256<float> c1_0 = default; Vector256<float> c1_1 = default;
        Vector256<float> c2_0 = default; Vector256<float> c2_1 = default;
        Vector256<float> c3_0 = default; Vector256<float> c3_1 = default;
        Vector256<float> c4_0 = default; Vector256<float> c4_1 = default;
        Vector256<float> c5_0 = default; Vector256<float> c5_1 = default;
        Vector256<float> ar;
        // Rows are lda apart: a few base pointers plus 0, lda, 2*lda, 3*lda offsets keep the
        // addresses in x64 [base + index*4] form without one register per row.
        nint l1 = lda, l2 = 2 * lda;
        float* a1 = a + 3 * lda;
        for (int p = 0; p < kc; p++)
        {
            Vector256<float> b0 = Vector256.Load(b);
            Vector256<float> b1 = Vector256.Load(b + 8);
            ar = Vector256.Create(a[0]);
            c0_0 = Fma.MultiplyAdd(ar, b0, c0_0); c0_1 = Fma.MultiplyAdd(ar, b1, c0_1);
            ar = Vector256.Create(a[l1]);
            c1_0 = Fma.MultiplyAdd(ar, b0, c1_0); c1_1 = Fma.MultiplyAdd(ar, b1, c1_1);
            ar = Vector256.Create(a[l2]);
            c2_0 = Fma.MultiplyAdd(ar, b0, c2_0); c2_1 = Fma.MultiplyAdd(ar, b1, c2_1);
            ar = Vector256.Create(a1[0]);
            c3_0 = Fma.MultiplyAdd(ar, b0, c3_0); c3_1 = Fma.MultiplyAdd(ar, b1, c3_1);
            ar = Vector256.Create(a1[l1]);
            c4_0 = Fma.MultiplyAdd(ar, b0, c4_0); c4_1 = Fma.MultiplyAdd(ar, b1, c4_1);
            ar = Vector256.Create(a1[l2]);
            c5_0 = Fma.MultiplyAdd(ar, b0, c5_0); c5_1 = Fma.MultiplyAdd(ar, b1, c5_1);
            a++; a1++;
            b += 16;
        }
        Vector256<float> va = Vector256.Create(alpha);
        if (beta == 0)
        {
            // BLAS semantics: C is overwritten, never read, so NaNs in it do not leak through.
            Vector256.Store(va * c0_0, c); Vector256.Store(va * c0_1, c + 8);
            Vector256.Store(va * c1_0, c + 1 * ldc); Vector256.Store(va * c1_1, c + 1 * ldc + 8);
            Vector256.Store(va * c2_0, c + 2 * ldc); Vector256.Store(va * c2_1, c + 2 * ldc + 8);
            Vector256.Store(va * c3_0, c + 3 * ldc); Vector256.Store(va * c3_1, c + 3 * ldc + 8);
            Vector256.Store(va * c4_0, c + 4 * ldc); Vector256.Store(va * c4_1, c + 4 * ldc + 8);
            Vector256.Store(va * c5_0, c + 5 * ldc); Vector256.Store(va * c5_1, c + 5 * ldc + 8);
        }
        else
        {
            Vector256<float> vb = Vector256.Create(beta);
            Vector256.Store(Fma.MultiplyAdd(c0_0, va, vb * Vector256.Load(c)), c);
            Vector256.Store(Fma.MultiplyAdd(c0_1, va, vb * Vector256.Load(c + 8)), c + 8);
            Vector256.Store(Fma.MultiplyAdd(c1_0, va, vb * Vector256.Load(c + 1 * ldc)), c + 1 * ldc);
            Vector256.Store(Fma.MultiplyAdd(c1_1, va, vb * Vector256.Load(c + 1 * ldc + 8)), c + 1 * ldc + 8);
            Vector256.Store(Fma.MultiplyAdd(c2_0, va, vb * Vector256.Load(c + 2 * ldc)), c + 2 * ldc);
            Vector256.Store(Fma.MultiplyAdd(c2_1, va, vb * Vector256.Load(c + 2 * ldc + 8)), c + 2 * ldc + 8);
            Vector256.Store(Fma.MultiplyAdd(c3_0, va, vb * Vector256.Load(c + 3 * ldc)), c + 3 * ldc);
            Vector256.Store(Fma.MultiplyAdd(c3_1, va, vb * Vector256.Load(c + 3 * ldc + 8)), c + 3 * ldc + 8);
            Vector256.Store(Fma.MultiplyAdd(c4_0, va, vb * Vector256.Load(c + 4 * ldc)), c + 4 * ldc);
            Vector256.Store(Fma.MultiplyAdd(c4_1, va, vb * Vector256.Load(c + 4 * ldc + 8)), c + 4 * ldc + 8);
            Vector256.Store(Fma.MultiplyAdd(c5_0, va, vb * Vector256.Load(c + 5 * ldc)), c + 5 * ldc);
            Vector256.Store(Fma.MultiplyAdd(c5_1, va, vb * Vector256.Load(c + 5 * ldc + 8)), c + 5 * ldc + 8);
        }
    }
}
