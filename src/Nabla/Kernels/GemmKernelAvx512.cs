// Generated-style code: the 24 accumulators are written out so that the JIT keeps every one in
// a register. Do not fold them into an array or a loop; that spills them to the stack.
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Nabla.Kernels;

/// <summary>
/// AVX-512 micro-kernel: a 12 x 32 tile of C held in 24 zmm registers (of 32), updated per step of k
/// by 2 loads of B, 12 broadcasts of A and 24 FMAs.
/// </summary>
/// <remarks>
/// Why 12 x 32: on Zen 4 a 512-bit FMA issues at one per cycle with a latency of 4, so 24
/// independent accumulators hide the latency several times over, and 14 loads per 24 FMAs leave
/// the load ports idle half the time. Measured in L1 (same run), 12x32, 14x32, 8x48 and 6x64 all
/// reach the same ~115 GFLOP/s on one core; 12x32 fits the seed shapes (m = 64, n = 100) with
/// little padding and needs the smallest B panel, so KC can be larger for a given L1.
/// </remarks>
internal readonly unsafe struct GemmKernelAvx512 : IGemmMicroKernel
{
    public static int MR => 12;
    public static int NR => 32;
    public static int KC => 256;
    public static int MC => 192;
    public static int NC => 4096;
    public static bool IsSupported => Avx512F.IsSupported;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run(int kc, float* a, nint aStep, float* b, float* c, nint ldc, float alpha, float beta)
    {
        Vector512<float> c0_0 = default; Vector512<float> c0_1 = default;
        Vector512<float> c1_0 = default; Vector512<float> c1_1 = default;
        Vector512<float> c2_0 = default; Vector512<float> c2_1 = default;
        Vector512<float> c3_0 = default; Vector512<float> c3_1 = default;
        Vector512<float> c4_0 = default; Vector512<float> c4_1 = default;
        Vector512<float> c5_0 = default; Vector512<float> c5_1 = default;
        Vector512<float> c6_0 = default; Vector512<float> c6_1 = default;
        Vector512<float> c7_0 = default; Vector512<float> c7_1 = default;
        Vector512<float> c8_0 = default; Vector512<float> c8_1 = default;
        Vector512<float> c9_0 = default; Vector512<float> c9_1 = default;
        Vector512<float> c10_0 = default; Vector512<float> c10_1 = default;
        Vector512<float> c11_0 = default; Vector512<float> c11_1 = default;
        Vector512<float> ar;
        for (int p = 0; p < kc; p++)
        {
            Vector512<float> b0 = Vector512.Load(b);
            Vector512<float> b1 = Vector512.Load(b + 16);
            ar = Vector512.Create(a[0]);
            c0_0 = Avx512F.FusedMultiplyAdd(ar, b0, c0_0); c0_1 = Avx512F.FusedMultiplyAdd(ar, b1, c0_1);
            ar = Vector512.Create(a[1]);
            c1_0 = Avx512F.FusedMultiplyAdd(ar, b0, c1_0); c1_1 = Avx512F.FusedMultiplyAdd(ar, b1, c1_1);
            ar = Vector512.Create(a[2]);
            c2_0 = Avx512F.FusedMultiplyAdd(ar, b0, c2_0); c2_1 = Avx512F.FusedMultiplyAdd(ar, b1, c2_1);
            ar = Vector512.Create(a[3]);
            c3_0 = Avx512F.FusedMultiplyAdd(ar, b0, c3_0); c3_1 = Avx512F.FusedMultiplyAdd(ar, b1, c3_1);
            ar = Vector512.Create(a[4]);
            c4_0 = Avx512F.FusedMultiplyAdd(ar, b0, c4_0); c4_1 = Avx512F.FusedMultiplyAdd(ar, b1, c4_1);
            ar = Vector512.Create(a[5]);
            c5_0 = Avx512F.FusedMultiplyAdd(ar, b0, c5_0); c5_1 = Avx512F.FusedMultiplyAdd(ar, b1, c5_1);
            ar = Vector512.Create(a[6]);
            c6_0 = Avx512F.FusedMultiplyAdd(ar, b0, c6_0); c6_1 = Avx512F.FusedMultiplyAdd(ar, b1, c6_1);
            ar = Vector512.Create(a[7]);
            c7_0 = Avx512F.FusedMultiplyAdd(ar, b0, c7_0); c7_1 = Avx512F.FusedMultiplyAdd(ar, b1, c7_1);
            ar = Vector512.Create(a[8]);
            c8_0 = Avx512F.FusedMultiplyAdd(ar, b0, c8_0); c8_1 = Avx512F.FusedMultiplyAdd(ar, b1, c8_1);
            ar = Vector512.Create(a[9]);
            c9_0 = Avx512F.FusedMultiplyAdd(ar, b0, c9_0); c9_1 = Avx512F.FusedMultiplyAdd(ar, b1, c9_1);
            ar = Vector512.Create(a[10]);
            c10_0 = Avx512F.FusedMultiplyAdd(ar, b0, c10_0); c10_1 = Avx512F.FusedMultiplyAdd(ar, b1, c10_1);
            ar = Vector512.Create(a[11]);
            c11_0 = Avx512F.FusedMultiplyAdd(ar, b0, c11_0); c11_1 = Avx512F.FusedMultiplyAdd(ar, b1, c11_1);
            a += aStep;
            b += 32;
        }
        Vector512<float> va = Vector512.Create(alpha);
        if (beta == 0)
        {
            // BLAS semantics: C is overwritten, never read, so NaNs in it do not leak through.
            Vector512.Store(va * c0_0, c); Vector512.Store(va * c0_1, c + 16);
            Vector512.Store(va * c1_0, c + 1 * ldc); Vector512.Store(va * c1_1, c + 1 * ldc + 16);
            Vector512.Store(va * c2_0, c + 2 * ldc); Vector512.Store(va * c2_1, c + 2 * ldc + 16);
            Vector512.Store(va * c3_0, c + 3 * ldc); Vector512.Store(va * c3_1, c + 3 * ldc + 16);
            Vector512.Store(va * c4_0, c + 4 * ldc); Vector512.Store(va * c4_1, c + 4 * ldc + 16);
            Vector512.Store(va * c5_0, c + 5 * ldc); Vector512.Store(va * c5_1, c + 5 * ldc + 16);
            Vector512.Store(va * c6_0, c + 6 * ldc); Vector512.Store(va * c6_1, c + 6 * ldc + 16);
            Vector512.Store(va * c7_0, c + 7 * ldc); Vector512.Store(va * c7_1, c + 7 * ldc + 16);
            Vector512.Store(va * c8_0, c + 8 * ldc); Vector512.Store(va * c8_1, c + 8 * ldc + 16);
            Vector512.Store(va * c9_0, c + 9 * ldc); Vector512.Store(va * c9_1, c + 9 * ldc + 16);
            Vector512.Store(va * c10_0, c + 10 * ldc); Vector512.Store(va * c10_1, c + 10 * ldc + 16);
            Vector512.Store(va * c11_0, c + 11 * ldc); Vector512.Store(va * c11_1, c + 11 * ldc + 16);
        }
        else
        {
            Vector512<float> vb = Vector512.Create(beta);
            Vector512.Store(Avx512F.FusedMultiplyAdd(c0_0, va, vb * Vector512.Load(c)), c);
            Vector512.Store(Avx512F.FusedMultiplyAdd(c0_1, va, vb * Vector512.Load(c + 16)), c + 16);
            Vector512.Store(Avx512F.FusedMultiplyAdd(c1_0, va, vb * Vector512.Load(c + 1 * ldc)), c + 1 * ldc);
            Vector512.Store(Avx512F.FusedMultiplyAdd(c1_1, va, vb * Vector512.Load(c + 1 * ldc + 16)), c + 1 * ldc + 16);
            Vector512.Store(Avx512F.FusedMultiplyAdd(c2_0, va, vb * Vector512.Load(c + 2 * ldc)), c + 2 * ldc);
            Vector512.Store(Avx512F.FusedMultiplyAdd(c2_1, va, vb * Vector512.Load(c + 2 * ldc + 16)), c + 2 * ldc + 16);
            Vector512.Store(Avx512F.FusedMultiplyAdd(c3_0, va, vb * Vector512.Load(c + 3 * ldc)), c + 3 * ldc);
            Vector512.Store(Avx512F.FusedMultiplyAdd(c3_1, va, vb * Vector512.Load(c + 3 * ldc + 16)), c + 3 * ldc + 16);
            Vector512.Store(Avx512F.FusedMultiplyAdd(c4_0, va, vb * Vector512.Load(c + 4 * ldc)), c + 4 * ldc);
            Vector512.Store(Avx512F.FusedMultiplyAdd(c4_1, va, vb * Vector512.Load(c + 4 * ldc + 16)), c + 4 * ldc + 16);
            Vector512.Store(Avx512F.FusedMultiplyAdd(c5_0, va, vb * Vector512.Load(c + 5 * ldc)), c + 5 * ldc);
            Vector512.Store(Avx512F.FusedMultiplyAdd(c5_1, va, vb * Vector512.Load(c + 5 * ldc + 16)), c + 5 * ldc + 16);
            Vector512.Store(Avx512F.FusedMultiplyAdd(c6_0, va, vb * Vector512.Load(c + 6 * ldc)), c + 6 * ldc);
            Vector512.Store(Avx512F.FusedMultiplyAdd(c6_1, va, vb * Vector512.Load(c + 6 * ldc + 16)), c + 6 * ldc + 16);
            Vector512.Store(Avx512F.FusedMultiplyAdd(c7_0, va, vb * Vector512.Load(c + 7 * ldc)), c + 7 * ldc);
            Vector512.Store(Avx512F.FusedMultiplyAdd(c7_1, va, vb * Vector512.Load(c + 7 * ldc + 16)), c + 7 * ldc + 16);
            Vector512.Store(Avx512F.FusedMultiplyAdd(c8_0, va, vb * Vector512.Load(c + 8 * ldc)), c + 8 * ldc);
            Vector512.Store(Avx512F.FusedMultiplyAdd(c8_1, va, vb * Vector512.Load(c + 8 * ldc + 16)), c + 8 * ldc + 16);
            Vector512.Store(Avx512F.FusedMultiplyAdd(c9_0, va, vb * Vector512.Load(c + 9 * ldc)), c + 9 * ldc);
            Vector512.Store(Avx512F.FusedMultiplyAdd(c9_1, va, vb * Vector512.Load(c + 9 * ldc + 16)), c + 9 * ldc + 16);
            Vector512.Store(Avx512F.FusedMultiplyAdd(c10_0, va, vb * Vector512.Load(c + 10 * ldc)), c + 10 * ldc);
            Vector512.Store(Avx512F.FusedMultiplyAdd(c10_1, va, vb * Vector512.Load(c + 10 * ldc + 16)), c + 10 * ldc + 16);
            Vector512.Store(Avx512F.FusedMultiplyAdd(c11_0, va, vb * Vector512.Load(c + 11 * ldc)), c + 11 * ldc);
            Vector512.Store(Avx512F.FusedMultiplyAdd(c11_1, va, vb * Vector512.Load(c + 11 * ldc + 16)), c + 11 * ldc + 16);
        }
    }

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void RunRows(int kc, float* a, nint lda, float* b, float* c, nint ldc, float alpha, float beta)
    {
        Vector512<float> c0_0 = default; Vector512<float> c0_1 = default;
        Vector512<float> c1_0 = default; Vector512<float> c1_1 = default;
        Vector512<float> c2_0 = default; Vector512<float> c2_1 = default;
        Vector512<float> c3_0 = default; Vector512<float> c3_1 = default;
        Vector512<float> c4_0 = default; Vector512<float> c4_1 = default;
        Vector512<float> c5_0 = default; Vector512<float> c5_1 = default;
        Vector512<float> c6_0 = default; Vector512<float> c6_1 = default;
        Vector512<float> c7_0 = default; Vector512<float> c7_1 = default;
        Vector512<float> c8_0 = default; Vector512<float> c8_1 = default;
        Vector512<float> c9_0 = default; Vector512<float> c9_1 = default;
        Vector512<float> c10_0 = default; Vector512<float> c10_1 = default;
        Vector512<float> c11_0 = default; Vector512<float> c11_1 = default;
        Vector512<float> ar;
        // Rows are lda apart: a few base pointers plus 0, lda, 2*lda, 3*lda offsets keep the
        // addresses in x64 [base + index*4] form without one register per row.
        nint l1 = lda, l2 = 2 * lda, l3 = 3 * lda;
        float* a1 = a + 4 * lda;
        float* a2 = a + 8 * lda;
        for (int p = 0; p < kc; p++)
        {
            Vector512<float> b0 = Vector512.Load(b);
            Vector512<float> b1 = Vector512.Load(b + 16);
            ar = Vector512.Create(a[0]);
            c0_0 = Avx512F.FusedMultiplyAdd(ar, b0, c0_0); c0_1 = Avx512F.FusedMultiplyAdd(ar, b1, c0_1);
            ar = Vector512.Create(a[l1]);
            c1_0 = Avx512F.FusedMultiplyAdd(ar, b0, c1_0); c1_1 = Avx512F.FusedMultiplyAdd(ar, b1, c1_1);
            ar = Vector512.Create(a[l2]);
            c2_0 = Avx512F.FusedMultiplyAdd(ar, b0, c2_0); c2_1 = Avx512F.FusedMultiplyAdd(ar, b1, c2_1);
            ar = Vector512.Create(a[l3]);
            c3_0 = Avx512F.FusedMultiplyAdd(ar, b0, c3_0); c3_1 = Avx512F.FusedMultiplyAdd(ar, b1, c3_1);
            ar = Vector512.Create(a1[0]);
            c4_0 = Avx512F.FusedMultiplyAdd(ar, b0, c4_0); c4_1 = Avx512F.FusedMultiplyAdd(ar, b1, c4_1);
            ar = Vector512.Create(a1[l1]);
            c5_0 = Avx512F.FusedMultiplyAdd(ar, b0, c5_0); c5_1 = Avx512F.FusedMultiplyAdd(ar, b1, c5_1);
            ar = Vector512.Create(a1[l2]);
            c6_0 = Avx512F.FusedMultiplyAdd(ar, b0, c6_0); c6_1 = Avx512F.FusedMultiplyAdd(ar, b1, c6_1);
            ar = Vector512.Create(a1[l3]);
            c7_0 = Avx512F.FusedMultiplyAdd(ar, b0, c7_0); c7_1 = Avx512F.FusedMultiplyAdd(ar, b1, c7_1);
            ar = Vector512.Create(a2[0]);
            c8_0 = Avx512F.FusedMultiplyAdd(ar, b0, c8_0); c8_1 = Avx512F.FusedMultiplyAdd(ar, b1, c8_1);
            ar = Vector512.Create(a2[l1]);
            c9_0 = Avx512F.FusedMultiplyAdd(ar, b0, c9_0); c9_1 = Avx512F.FusedMultiplyAdd(ar, b1, c9_1);
            ar = Vector512.Create(a2[l2]);
            c10_0 = Avx512F.FusedMultiplyAdd(ar, b0, c10_0); c10_1 = Avx512F.FusedMultiplyAdd(ar, b1, c10_1);
            ar = Vector512.Create(a2[l3]);
            c11_0 = Avx512F.FusedMultiplyAdd(ar, b0, c11_0); c11_1 = Avx512F.FusedMultiplyAdd(ar, b1, c11_1);
            a++; a1++; a2++;
            b += 32;
        }
        Vector512<float> va = Vector512.Create(alpha);
        if (beta == 0)
        {
            // BLAS semantics: C is overwritten, never read, so NaNs in it do not leak through.
            Vector512.Store(va * c0_0, c); Vector512.Store(va * c0_1, c + 16);
            Vector512.Store(va * c1_0, c + 1 * ldc); Vector512.Store(va * c1_1, c + 1 * ldc + 16);
            Vector512.Store(va * c2_0, c + 2 * ldc); Vector512.Store(va * c2_1, c + 2 * ldc + 16);
            Vector512.Store(va * c3_0, c + 3 * ldc); Vector512.Store(va * c3_1, c + 3 * ldc + 16);
            Vector512.Store(va * c4_0, c + 4 * ldc); Vector512.Store(va * c4_1, c + 4 * ldc + 16);
            Vector512.Store(va * c5_0, c + 5 * ldc); Vector512.Store(va * c5_1, c + 5 * ldc + 16);
            Vector512.Store(va * c6_0, c + 6 * ldc); Vector512.Store(va * c6_1, c + 6 * ldc + 16);
            Vector512.Store(va * c7_0, c + 7 * ldc); Vector512.Store(va * c7_1, c + 7 * ldc + 16);
            Vector512.Store(va * c8_0, c + 8 * ldc); Vector512.Store(va * c8_1, c + 8 * ldc + 16);
            Vector512.Store(va * c9_0, c + 9 * ldc); Vector512.Store(va * c9_1, c + 9 * ldc + 16);
            Vector512.Store(va * c10_0, c + 10 * ldc); Vector512.Store(va * c10_1, c + 10 * ldc + 16);
            Vector512.Store(va * c11_0, c + 11 * ldc); Vector512.Store(va * c11_1, c + 11 * ldc + 16);
        }
        else
        {
            Vector512<float> vb = Vector512.Create(beta);
            Vector512.Store(Avx512F.FusedMultiplyAdd(c0_0, va, vb * Vector512.Load(c)), c);
            Vector512.Store(Avx512F.FusedMultiplyAdd(c0_1, va, vb * Vector512.Load(c + 16)), c + 16);
            Vector512.Store(Avx512F.FusedMultiplyAdd(c1_0, va, vb * Vector512.Load(c + 1 * ldc)), c + 1 * ldc);
            Vector512.Store(Avx512F.FusedMultiplyAdd(c1_1, va, vb * Vector512.Load(c + 1 * ldc + 16)), c + 1 * ldc + 16);
            Vector512.Store(Avx512F.FusedMultiplyAdd(c2_0, va, vb * Vector512.Load(c + 2 * ldc)), c + 2 * ldc);
            Vector512.Store(Avx512F.FusedMultiplyAdd(c2_1, va, vb * Vector512.Load(c + 2 * ldc + 16)), c + 2 * ldc + 16);
            Vector512.Store(Avx512F.FusedMultiplyAdd(c3_0, va, vb * Vector512.Load(c + 3 * ldc)), c + 3 * ldc);
            Vector512.Store(Avx512F.FusedMultiplyAdd(c3_1, va, vb * Vector512.Load(c + 3 * ldc + 16)), c + 3 * ldc + 16);
            Vector512.Store(Avx512F.FusedMultiplyAdd(c4_0, va, vb * Vector512.Load(c + 4 * ldc)), c + 4 * ldc);
            Vector512.Store(Avx512F.FusedMultiplyAdd(c4_1, va, vb * Vector512.Load(c + 4 * ldc + 16)), c + 4 * ldc + 16);
            Vector512.Store(Avx512F.FusedMultiplyAdd(c5_0, va, vb * Vector512.Load(c + 5 * ldc)), c + 5 * ldc);
            Vector512.Store(Avx512F.FusedMultiplyAdd(c5_1, va, vb * Vector512.Load(c + 5 * ldc + 16)), c + 5 * ldc + 16);
            Vector512.Store(Avx512F.FusedMultiplyAdd(c6_0, va, vb * Vector512.Load(c + 6 * ldc)), c + 6 * ldc);
            Vector512.Store(Avx512F.FusedMultiplyAdd(c6_1, va, vb * Vector512.Load(c + 6 * ldc + 16)), c + 6 * ldc + 16);
            Vector512.Store(Avx512F.FusedMultiplyAdd(c7_0, va, vb * Vector512.Load(c + 7 * ldc)), c + 7 * ldc);
            Vector512.Store(Avx512F.FusedMultiplyAdd(c7_1, va, vb * Vector512.Load(c + 7 * ldc + 16)), c + 7 * ldc + 16);
            Vector512.Store(Avx512F.FusedMultiplyAdd(c8_0, va, vb * Vector512.Load(c + 8 * ldc)), c + 8 * ldc);
            Vector512.Store(Avx512F.FusedMultiplyAdd(c8_1, va, vb * Vector512.Load(c + 8 * ldc + 16)), c + 8 * ldc + 16);
            Vector512.Store(Avx512F.FusedMultiplyAdd(c9_0, va, vb * Vector512.Load(c + 9 * ldc)), c + 9 * ldc);
            Vector512.Store(Avx512F.FusedMultiplyAdd(c9_1, va, vb * Vector512.Load(c + 9 * ldc + 16)), c + 9 * ldc + 16);
            Vector512.Store(Avx512F.FusedMultiplyAdd(c10_0, va, vb * Vector512.Load(c + 10 * ldc)), c + 10 * ldc);
            Vector512.Store(Avx512F.FusedMultiplyAdd(c10_1, va, vb * Vector512.Load(c + 10 * ldc + 16)), c + 10 * ldc + 16);
            Vector512.Store(Avx512F.FusedMultiplyAdd(c11_0, va, vb * Vector512.Load(c + 11 * ldc)), c + 11 * ldc);
            Vector512.Store(Avx512F.FusedMultiplyAdd(c11_1, va, vb * Vector512.Load(c + 11 * ldc + 16)), c + 11 * ldc + 16);
        }
    }
}
