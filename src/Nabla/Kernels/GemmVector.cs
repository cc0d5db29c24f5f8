using System.Buffers;
using System.Numerics;

namespace Nabla.Kernels;

/// <summary>
/// A portable GEMM with <see cref="Vector{T}"/>: Dgemm everywhere, Sgemm on machines without
/// AVX2 + FMA. Each row of C is built as a sum of scaled rows of op(B) (axpy), over blocks of
/// KB x NB of op(B) that stay in L2 while every row of A passes over them. Simple and exact to
/// the BLAS contract rather than fast: about a third of what the packed kernels reach.
/// </summary>
internal static unsafe class GemmVector
{
    // 128 x 256 doubles = 256 KB: a quarter of a 1 MB L2, leaving room for the rows of A and C.
    private const int KB = 128;
    private const int NB = 256;

    /// <summary>C = alpha * op(A) op(B) + beta * C; arguments already validated, m, n, k &gt; 0.</summary>
    public static void Gemm<T>(
        bool transA, bool transB, int m, int n, int k,
        T alpha, ReadOnlySpan<T> a, int lda, ReadOnlySpan<T> b, int ldb,
        T beta, Span<T> c, int ldc) where T : unmanaged, INumber<T>
    {
        // op(B) rows must be contiguous for axpy; a transposed B is copied block by block.
        T[]? scratch = transB ? ArrayPool<T>.Shared.Rent(KB * NB) : null;
        try
        {
            fixed (T* pa = a, pb = b, pc = c, ps = scratch)
            {
                for (int i = 0; i < m; i++)
                {
                    ScaleRow(pc + (nint)i * ldc, n, beta);
                }
                for (int jb = 0; jb < n; jb += NB)
                {
                    int nb = Math.Min(NB, n - jb);
                    for (int pb0 = 0; pb0 < k; pb0 += KB)
                    {
                        int kb = Math.Min(KB, k - pb0);
                        T* block;
                        nint ldBlock;
                        if (transB)
                        {
                            for (int j = 0; j < nb; j++)
                            {
                                T* src = pb + (nint)(jb + j) * ldb + pb0;
                                for (int p = 0; p < kb; p++)
                                {
                                    ps[p * nb + j] = src[p];
                                }
                            }
                            block = ps;
                            ldBlock = nb;
                        }
                        else
                        {
                            block = pb + (nint)pb0 * ldb + jb;
                            ldBlock = ldb;
                        }

                        for (int i = 0; i < m; i++)
                        {
                            T* ci = pc + (nint)i * ldc + jb;
                            for (int p = 0; p < kb; p++)
                            {
                                T aip = transA ? pa[(nint)(pb0 + p) * lda + i] : pa[(nint)i * lda + pb0 + p];
                                Axpy(alpha * aip, block + p * ldBlock, ci, nb);
                            }
                        }
                    }
                }
            }
        }
        finally
        {
            if (scratch is not null)
            {
                ArrayPool<T>.Shared.Return(scratch);
            }
        }
    }

    /// <summary>y = beta * y, with beta == 0 clearing y (NaNs in it do not survive).</summary>
    private static void ScaleRow<T>(T* y, int n, T beta) where T : unmanaged, INumber<T>
    {
        if (beta == T.Zero)
        {
            new Span<T>(y, n).Clear();
        }
        else if (beta != T.One)
        {
            for (int j = 0; j < n; j++)
            {
                y[j] *= beta;
            }
        }
    }

    /// <summary>y += s * x over n elements.</summary>
    private static void Axpy<T>(T s, T* x, T* y, int n) where T : unmanaged, INumber<T>
    {
        int j = 0;
        if (Vector.IsHardwareAccelerated && n >= Vector<T>.Count)
        {
            var vs = new Vector<T>(s);
            for (; j <= n - Vector<T>.Count; j += Vector<T>.Count)
            {
                Vector.Store(Vector.Load(y + j) + vs * Vector.Load(x + j), y + j);
            }
        }
        for (; j < n; j++)
        {
            y[j] += s * x[j];
        }
    }
}
