using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Nabla.Kernels;

/// <summary>
/// Copies blocks of op(A) and op(B) into the layouts the micro-kernel streams through: A as
/// MR-row panels stored column by column (MR floats per step of k), B as NR-column panels stored
/// row by row (NR floats per step of k). Rows or columns past the edge of the matrix are filled
/// with zeros up to a whole panel (A) or a whole vector (B); the kernel skips absent rows and writes
/// partial vectors under a mask.
/// </summary>
internal static unsafe class GemmPacking
{
    /// <summary>
    /// Packs rows [i0, i0 + rows) and columns [p0, p0 + kc) of op(A) into ceil(rows / MR) panels of
    /// MR x kc floats each, the panel of rows q..q+MR at <c>dst + q * kc</c>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void PackA<TKernel>(float* a, nint lda, bool transA, int i0, int rows, int p0, int kc, float* dst)
        where TKernel : IGemmMicroKernel
    {
        int mr = TKernel.MR;
        for (int q = 0; q < rows; q += mr)
        {
            int valid = Math.Min(mr, rows - q);
            float* d = dst + (nint)q * kc;
            if (transA)
            {
                // A is stored k x m: column p of the panel is already contiguous in row p of A.
                float* s = a + p0 * lda + i0 + q;
                for (int p = 0; p < kc; p++, s += lda, d += mr)
                {
                    CopyPadded(s, d, valid, mr);
                }
            }
            else
            {
                // A is stored m x k: each panel is the transpose of an MR x kc block.
                GemmTranspose.Transpose(a + (i0 + q) * lda + p0, lda, valid, kc, d, mr);
                for (int r = valid; r < mr; r++)
                {
                    for (int p = 0; p < kc; p++)
                    {
                        d[p * mr + r] = 0;
                    }
                }
            }
        }
    }

    /// <summary>
    /// Packs rows [p0, p0 + kc) and columns [j0, j0 + cols) of op(B) into panels of kc rows: NR
    /// columns wide, except the last, which is <c>PanelWidth</c> of what is left. The panel of columns
    /// q.. starts at <c>dst + q * kc</c>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void PackB<TKernel>(float* b, nint ldb, bool transB, int p0, int kc, int j0, int cols, float* dst)
        where TKernel : IGemmMicroKernel
    {
        int nr = TKernel.NR;
        for (int q = 0; q < cols; q += nr)
        {
            int valid = Math.Min(nr, cols - q);
            int width = valid == nr ? nr : TKernel.PanelWidth(valid);
            float* d = dst + (nint)q * kc;
            if (!transB)
            {
                // B is stored k x n: row p of the panel is contiguous in row p of B.
                float* s = b + p0 * ldb + j0 + q;
                for (int p = 0; p < kc; p++, s += ldb, d += width)
                {
                    CopyPadded(s, d, valid, width);
                }
            }
            else
            {
                // B is stored n x k: each panel is the transpose of a width x kc block.
                GemmTranspose.Transpose(b + (j0 + q) * ldb + p0, ldb, valid, kc, d, width);
                for (int c = valid; c < width; c++)
                {
                    for (int p = 0; p < kc; p++)
                    {
                        d[p * width + c] = 0;
                    }
                }
            }
        }
    }

    /// <summary>Copies <paramref name="count"/> floats and zeros the rest up to <paramref name="width"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void CopyPadded(float* s, float* d, int count, int width)
    {
        int i = 0;
        if (Avx.IsSupported)
        {
            for (; i + 8 <= width; i += 8)
            {
                int left = count - i;
                // A masked load never touches (or faults on) the floats past the edge of the matrix.
                Vector256<float> v = left >= 8 ? Vector256.Load(s + i)
                    : left <= 0 ? Vector256<float>.Zero
                    : MaskedVector.Load(s + i, MaskedVector.FirstLanes(left));
                Vector256.Store(v, d + i);
            }
        }
        for (; i < width; i++)
        {
            d[i] = i < count ? s[i] : 0;
        }
    }
}
