using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Nabla.Kernels;

/// <summary>
/// Copies blocks of op(A) and op(B) into the layouts the micro-kernel streams through: A as
/// MR-row panels stored column by column (MR floats per step of k), B as NR-column panels stored
/// row by row (NR floats per step of k). Rows or columns past the edge of the matrix are filled
/// with zeros, so the kernel always computes a whole tile and only the write-back is partial.
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
                // A is stored m x k: walk each source row once (contiguous reads), scatter with stride MR.
                for (int r = 0; r < valid; r++)
                {
                    float* s = a + (i0 + q + r) * lda + p0;
                    float* dr = d + r;
                    for (int p = 0; p < kc; p++)
                    {
                        dr[p * mr] = s[p];
                    }
                }
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
    /// Packs rows [p0, p0 + kc) and columns [j0, j0 + cols) of op(B) into ceil(cols / NR) panels of
    /// kc x NR floats each, the panel of columns q..q+NR at <c>dst + q * kc</c>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void PackB<TKernel>(float* b, nint ldb, bool transB, int p0, int kc, int j0, int cols, float* dst)
        where TKernel : IGemmMicroKernel
    {
        int nr = TKernel.NR;
        for (int q = 0; q < cols; q += nr)
        {
            int valid = Math.Min(nr, cols - q);
            float* d = dst + (nint)q * kc;
            if (!transB)
            {
                // B is stored k x n: row p of the panel is NR contiguous floats of row p of B.
                float* s = b + p0 * ldb + j0 + q;
                for (int p = 0; p < kc; p++, s += ldb, d += nr)
                {
                    CopyPadded(s, d, valid, nr);
                }
            }
            else
            {
                // B is stored n x k: walk each source row (a column of op(B)) once, scatter with stride NR.
                for (int c = 0; c < valid; c++)
                {
                    float* s = b + (j0 + q + c) * ldb + p0;
                    float* dc = d + c;
                    for (int p = 0; p < kc; p++)
                    {
                        dc[p * nr] = s[p];
                    }
                }
                for (int c = valid; c < nr; c++)
                {
                    for (int p = 0; p < kc; p++)
                    {
                        d[p * nr + c] = 0;
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
        if (count == width)
        {
            for (; i + 8 <= width; i += 8)
            {
                Vector256.Store(Vector256.Load(s + i), d + i);
            }
        }
        for (; i < count; i++)
        {
            d[i] = s[i];
        }
        for (; i < width; i++)
        {
            d[i] = 0;
        }
    }
}
