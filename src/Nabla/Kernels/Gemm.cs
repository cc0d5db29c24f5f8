using System.Numerics;
using System.Numerics.Tensors;

namespace Nabla.Kernels;

/// <summary>
/// General matrix multiply on row-major matrices, as BLAS <c>?gemm</c>:
/// <c>C = alpha * op(A) op(B) + beta * C</c>, where op(A) is m x k, op(B) is k x n and C is m x n.
/// </summary>
/// <remarks>
/// Row-major with leading dimensions: element (i, j) of C is <c>c[i * ldc + j]</c>. When
/// <c>transA</c> is true, A is stored k x m (lda &gt;= m) and op(A) = A^T; otherwise A is stored
/// m x k (lda &gt;= k). Likewise B is stored k x n (ldb &gt;= n), or n x k (ldb &gt;= k) when
/// <c>transB</c>. When beta is 0, C is overwritten and never read, so NaNs in it do not propagate;
/// when alpha is 0 or k is 0, A and B are not read. C must not overlap A or B.
/// Large products are split across up to <see cref="Threads.Count"/> threads.
/// </remarks>
public static class Gemm
{
    /// <summary>Single-precision <c>C = alpha * op(A) op(B) + beta * C</c> (see <see cref="Gemm"/>).</summary>
    /// <param name="transA">Use A^T: A is stored k x m.</param>
    /// <param name="transB">Use B^T: B is stored n x k.</param>
    /// <param name="m">Rows of op(A) and of C.</param>
    /// <param name="n">Columns of op(B) and of C.</param>
    /// <param name="k">Columns of op(A), rows of op(B).</param>
    /// <param name="alpha">Scale of the product.</param>
    /// <param name="a">A, row-major.</param>
    /// <param name="lda">Distance between rows of A as stored.</param>
    /// <param name="b">B, row-major.</param>
    /// <param name="ldb">Distance between rows of B as stored.</param>
    /// <param name="beta">Scale of the old C; 0 overwrites C.</param>
    /// <param name="c">C, row-major, updated in place.</param>
    /// <param name="ldc">Distance between rows of C.</param>
    /// <exception cref="ArgumentOutOfRangeException">A size is negative or a leading dimension is too small.</exception>
    /// <exception cref="ArgumentException">A span is too short for the sizes and leading dimension given.</exception>
    public static void Sgemm(
        bool transA, bool transB, int m, int n, int k,
        float alpha, ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb,
        float beta, Span<float> c, int ldc)
        => Sgemm(DefaultPath, Threads.Count, transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);

    /// <summary>Double-precision <c>C = alpha * op(A) op(B) + beta * C</c> (see <see cref="Gemm"/>).</summary>
    /// <remarks>
    /// A plain cache-blocked SIMD loop: it serves the float64 gradient checks, on small sizes, and
    /// is single-threaded. Use <see cref="Sgemm(bool, bool, int, int, int, float, ReadOnlySpan{float}, int, ReadOnlySpan{float}, int, float, Span{float}, int)"/> where speed matters.
    /// </remarks>
    /// <inheritdoc cref="Sgemm(bool, bool, int, int, int, float, ReadOnlySpan{float}, int, ReadOnlySpan{float}, int, float, Span{float}, int)"/>
    public static void Dgemm(
        bool transA, bool transB, int m, int n, int k,
        double alpha, ReadOnlySpan<double> a, int lda, ReadOnlySpan<double> b, int ldb,
        double beta, Span<double> c, int ldc)
    {
        Validate("Dgemm", transA, transB, m, n, k, a.Length, lda, b.Length, ldb, c.Length, ldc);
        if (m == 0 || n == 0)
        {
            return;
        }
        if (k == 0 || alpha == 0)
        {
            ScaleC(c, m, n, ldc, beta);
            return;
        }
        GemmVector.Gemm(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
    }

    /// <summary>The kernel family a call runs on; tests pick each one explicitly.</summary>
    internal enum Path
    {
        /// <summary>Packed panels, 12 x 32 AVX-512 micro-kernel.</summary>
        Avx512,

        /// <summary>Packed panels, 6 x 16 AVX2 + FMA micro-kernel.</summary>
        Avx2,

        /// <summary>Portable <see cref="Vector{T}"/> loop for machines without AVX2 and FMA.</summary>
        Vector,
    }

    /// <summary>The fastest path this machine supports.</summary>
    internal static readonly Path DefaultPath =
        GemmKernelAvx512.IsSupported ? Path.Avx512 : GemmKernelAvx2.IsSupported ? Path.Avx2 : Path.Vector;

    /// <summary><see cref="Sgemm(bool, bool, int, int, int, float, ReadOnlySpan{float}, int, ReadOnlySpan{float}, int, float, Span{float}, int)"/> on a chosen path and thread count.</summary>
    internal static unsafe void Sgemm(
        Path path, int threads, bool transA, bool transB, int m, int n, int k,
        float alpha, ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb,
        float beta, Span<float> c, int ldc)
    {
        Validate("Sgemm", transA, transB, m, n, k, a.Length, lda, b.Length, ldb, c.Length, ldc);
        if (m == 0 || n == 0)
        {
            return;
        }
        if (k == 0 || alpha == 0)
        {
            ScaleC(c, m, n, ldc, beta);
            return;
        }
        if (path == Path.Vector)
        {
            GemmVector.Gemm(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
            return;
        }

        fixed (float* pa = a, pb = b, pc = c)
        {
            var problem = new GemmProblem(transA, transB, m, n, k, alpha, pa, lda, pb, ldb, beta, pc, ldc);
            if (GemmSmallM.Suits(m, n, k, transB) && GemmSmallM.IsSupported)
            {
                // A batch of a few samples: a GEMV-like loop beats packing (see GemmSmallM).
                GemmSmallM.Run(problem, threads);
            }
            else if (path == Path.Avx512)
            {
                GemmDriver<GemmKernelAvx512>.Run(problem, threads);
            }
            else
            {
                GemmDriver<GemmKernelAvx2>.Run(problem, threads);
            }
        }
    }

    /// <summary>C = beta * C over the m x n view (beta == 0 clears, ignoring NaNs).</summary>
    private static void ScaleC<T>(Span<T> c, int m, int n, int ldc, T beta) where T : unmanaged, INumber<T>
    {
        if (beta == T.One)
        {
            return;
        }
        for (int i = 0; i < m; i++)
        {
            Span<T> row = c.Slice(i * ldc, n);
            if (beta == T.Zero)
            {
                row.Clear();
            }
            else
            {
                TensorPrimitives.Multiply(row, beta, row);
            }
        }
    }

    /// <summary>Checks sizes, leading dimensions and span lengths; messages name the sizes at fault.</summary>
    internal static void Validate(
        string op, bool transA, bool transB, int m, int n, int k,
        int aLength, int lda, int bLength, int ldb, int cLength, int ldc)
    {
        RequireNonNegative(op, m, nameof(m));
        RequireNonNegative(op, n, nameof(n));
        RequireNonNegative(op, k, nameof(k));
        // As stored: A is m x k, or k x m when transposed; B is k x n, or n x k when transposed.
        int aRows = transA ? k : m, aCols = transA ? m : k;
        int bRows = transB ? n : k, bCols = transB ? k : n;
        if (lda < Math.Max(1, aCols) || ldb < Math.Max(1, bCols) || ldc < Math.Max(1, n)
            || aLength < Needed(aRows, aCols, lda) || bLength < Needed(bRows, bCols, ldb) || cLength < Needed(m, n, ldc))
        {
            // Messages are only built here, off the hot path of small calls.
            string aShape = transA ? $"k x m = {k} x {m} (transA)" : $"m x k = {m} x {k}";
            string bShape = transB ? $"n x k = {n} x {k} (transB)" : $"k x n = {k} x {n}";
            string cShape = $"m x n = {m} x {n}";
            RequireLeading(op, "lda", lda, aCols, "A", aShape);
            RequireLeading(op, "ldb", ldb, bCols, "B", bShape);
            RequireLeading(op, "ldc", ldc, n, "C", cShape);
            RequireLength(op, "a", aLength, aRows, aCols, lda, "A", aShape, "lda");
            RequireLength(op, "b", bLength, bRows, bCols, ldb, "B", bShape, "ldb");
            RequireLength(op, "c", cLength, m, n, ldc, "C", cShape, "ldc");
        }
    }

    /// <summary>Elements a rows x cols matrix with leading dimension ld spans: the last row needs only cols.</summary>
    private static long Needed(int rows, int cols, int ld) => rows == 0 || cols == 0 ? 0 : (long)(rows - 1) * ld + cols;

    private static void RequireNonNegative(string op, int value, string name)
    {
        if (value < 0)
        {
            throw new ArgumentOutOfRangeException(name, value, $"{op}: {name} must be non-negative, got {value}.");
        }
    }

    private static void RequireLeading(string op, string name, int ld, int cols, string matrix, string shape)
    {
        if (ld < Math.Max(1, cols))
        {
            throw new ArgumentOutOfRangeException(
                name, ld,
                $"{op}: {name} = {ld} is less than the {cols} columns of {matrix} as stored ({shape}); it must be at least {Math.Max(1, cols)}.");
        }
    }

    private static void RequireLength(
        string op, string name, int length, int rows, int cols, int ld, string matrix, string shape, string ldName)
    {
        long needed = Needed(rows, cols, ld);
        if (length < needed)
        {
            throw new ArgumentException(
                $"{op}: {name} has {length} elements, but {matrix} stored as {shape} with {ldName} = {ld} needs at least {needed}.",
                name);
        }
    }
}
