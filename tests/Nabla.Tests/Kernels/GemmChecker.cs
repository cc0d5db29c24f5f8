using Nabla.Kernels;

namespace Nabla.Tests.Kernels;

/// <summary>
/// Random GEMM operands with room around them, and the check of a result against the naive
/// reference computed in double. Every row of C is padded (ldc &gt; n) with a sentinel so that a
/// write outside the m x n view is caught as well as a wrong value inside it.
/// </summary>
internal sealed class GemmCase
{
    public const float Sentinel = -12345.5f;

    public readonly bool TransA, TransB;
    public readonly int M, N, K, Lda, Ldb, Ldc;
    public readonly float Alpha, Beta;
    public readonly float[] A, B, C0;

    public GemmCase(bool transA, bool transB, int m, int n, int k, float alpha, float beta, int pad, int seed)
    {
        (TransA, TransB, M, N, K, Alpha, Beta) = (transA, transB, m, n, k, alpha, beta);
        var rng = new Random(seed);
        int aRows = transA ? k : m, aCols = transA ? m : k;
        int bRows = transB ? n : k, bCols = transB ? k : n;
        Lda = Math.Max(1, aCols + pad);
        Ldb = Math.Max(1, bCols + pad);
        Ldc = Math.Max(1, n + pad);
        A = Fill(rng, aRows, aCols, Lda);
        B = Fill(rng, bRows, bCols, Ldb);
        C0 = Fill(rng, m, n, Ldc);
        if (beta == 0)
        {
            // BLAS: beta == 0 overwrites C, so NaNs there must not reach the result.
            for (int i = 0; i < m; i++)
            {
                Array.Fill(C0, float.NaN, i * Ldc, n);
            }
        }
    }

    /// <summary>Values in [-1, 1) inside the view, the sentinel in the padding.</summary>
    private static float[] Fill(Random rng, int rows, int cols, int ld)
    {
        var x = new float[rows == 0 ? 0 : (rows - 1) * ld + cols + 3];
        Array.Fill(x, Sentinel);
        for (int i = 0; i < rows; i++)
        {
            for (int j = 0; j < cols; j++)
            {
                x[i * ld + j] = (float)(rng.NextDouble() * 2 - 1);
            }
        }
        return x;
    }

    public float[] Run(Gemm.Path path, int threads)
    {
        var c = (float[])C0.Clone();
        Gemm.Sgemm(path, threads, TransA, TransB, M, N, K, Alpha, A, Lda, B, Ldb, Beta, c, Ldc);
        return c;
    }

    /// <summary>
    /// Null when <paramref name="c"/> matches the double-precision reference within a float
    /// rounding bound, else a description of the first mismatch. The bound is that of a
    /// length-k dot product summed in float: |error| &lt;= (k + 2) u (|alpha| sum |a||b| + |beta c|)
    /// with u = 2^-24 (here with the Cauchy-Schwarz bound on the sum, see <see cref="Reference"/>),
    /// doubled for headroom; far below the size of one wrong product term.
    /// </summary>
    public string? Check(float[] c)
    {
        var (exact, bound) = _reference ??= Reference();
        double u = Math.Pow(2, -24);
        for (int i = 0; i < c.Length; i++)
        {
            int row = i / Ldc, col = i % Ldc;
            bool inside = row < M && col < N;
            if (!inside)
            {
                if (!c[i].Equals(C0[i]))
                {
                    return $"element {i} (row {row}, column {col}) outside the {M} x {N} view was changed from {C0[i]} to {c[i]}";
                }
                continue;
            }
            double tol = 2 * (K + 2) * u * bound[i] + 1e-30;
            double err = Math.Abs(c[i] - exact[i]);
            if (!(err <= tol))
            {
                return $"C[{row}, {col}] = {c[i]:R}, expected {exact[i]:R} (error {err:E2} > tolerance {tol:E2})";
            }
        }
        return null;
    }

    private (double[] Exact, double[] Bound)? _reference;

    /// <summary>
    /// The exact result (the naive reference, in double) and a bound on the magnitude of each sum:
    /// |alpha| ||row i of op(A)|| ||column j of op(B)|| + |beta C|, which by Cauchy-Schwarz is at
    /// least |alpha| sum_p |a_ip b_pj| + |beta C| and costs O(mk + kn) rather than a second product.
    /// </summary>
    private (double[] Exact, double[] Bound) Reference()
    {
        double[] exact = Array.ConvertAll(C0, v => Beta == 0 ? 0.0 : v);
        double[] a = Array.ConvertAll(A, v => (double)v), b = Array.ConvertAll(B, v => (double)v);
        GemmReference.Dgemm(TransA, TransB, M, N, K, Alpha, a, Lda, b, Ldb, Beta, exact, Ldc);

        var rowNorm = new double[M];
        var colNorm = new double[N];
        for (int p = 0; p < K; p++)
        {
            for (int i = 0; i < M; i++)
            {
                double x = A[TransA ? p * Lda + i : i * Lda + p];
                rowNorm[i] += x * x;
            }
            for (int j = 0; j < N; j++)
            {
                double x = B[TransB ? j * Ldb + p : p * Ldb + j];
                colNorm[j] += x * x;
            }
        }
        var bound = new double[C0.Length];
        for (int i = 0; i < M; i++)
        {
            for (int j = 0; j < N; j++)
            {
                double old = Beta == 0 ? 0 : Math.Abs(Beta * (double)C0[i * Ldc + j]);
                bound[i * Ldc + j] = Math.Abs(Alpha) * Math.Sqrt(rowNorm[i] * colNorm[j]) + old;
            }
        }
        return (exact, bound);
    }

    public override string ToString() =>
        $"{(TransA ? "A^T" : "A")} {(TransB ? "B^T" : "B")} m={M} n={N} k={K} alpha={Alpha} beta={Beta} lda={Lda} ldb={Ldb} ldc={Ldc}";
}
