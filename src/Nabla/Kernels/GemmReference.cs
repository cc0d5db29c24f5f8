namespace Nabla.Kernels;

/// <summary>
/// The naive triple loop for <see cref="Gemm"/>, kept beside the fast kernels as the reference
/// their tests compare against. Same signatures and contract (beta == 0 overwrites C).
/// </summary>
internal static class GemmReference
{
    /// <summary>C = alpha * op(A) op(B) + beta * C; the dot products are summed in double.</summary>
    public static void Sgemm(
        bool transA, bool transB, int m, int n, int k,
        float alpha, ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb,
        float beta, Span<float> c, int ldc)
    {
        Gemm.Validate("Sgemm", transA, transB, m, n, k, a.Length, lda, b.Length, ldb, c.Length, ldc);
        // op(A)[i, p] = a[i * aRow + p * aCol], op(B)[p, j] = b[p * bRow + j * bCol].
        int aRow = transA ? 1 : lda, aCol = transA ? lda : 1;
        int bRow = transB ? 1 : ldb, bCol = transB ? ldb : 1;
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                double sum = 0;
                for (int p = 0, ia = i * aRow, ib = j * bCol; p < k; p++, ia += aCol, ib += bRow)
                {
                    sum += (double)a[ia] * b[ib];
                }
                ref float cij = ref c[i * ldc + j];
                cij = (float)(alpha * sum + (beta == 0 ? 0 : beta * (double)cij));
            }
        }
    }

    /// <summary>C = alpha * op(A) op(B) + beta * C in double.</summary>
    public static void Dgemm(
        bool transA, bool transB, int m, int n, int k,
        double alpha, ReadOnlySpan<double> a, int lda, ReadOnlySpan<double> b, int ldb,
        double beta, Span<double> c, int ldc)
    {
        Gemm.Validate("Dgemm", transA, transB, m, n, k, a.Length, lda, b.Length, ldb, c.Length, ldc);
        int aRow = transA ? 1 : lda, aCol = transA ? lda : 1;
        int bRow = transB ? 1 : ldb, bCol = transB ? ldb : 1;
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                double sum = 0;
                for (int p = 0, ia = i * aRow, ib = j * bCol; p < k; p++, ia += aCol, ib += bRow)
                {
                    sum += a[ia] * b[ib];
                }
                ref double cij = ref c[i * ldc + j];
                cij = alpha * sum + (beta == 0 ? 0 : beta * cij);
            }
        }
    }
}
