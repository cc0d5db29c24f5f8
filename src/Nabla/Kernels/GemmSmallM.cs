using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Nabla.Kernels;

/// <summary>
/// SGEMM for a few rows of C (m &lt;= <see cref="MaxM"/>): a batch of one to four samples through a layer.
/// Packing panels for the blocked GEMM costs more than the product itself here, and the micro-kernel's
/// 12 or 6 rows would be mostly empty; these loops read op(B) in place, once from memory, and keep what
/// they reuse in L1.
/// </summary>
/// <remarks>
/// Two shapes of loop, by how op(B) is stored:
/// <list type="bullet">
/// <item>B^T (n x k, a Linear layer's weight as (out, in)): each output is a dot product of a row of op(A)
/// with a row of B. Four rows of B (4 k floats, 12.5 KB for k = 784) are swept together against one row of
/// op(A), then against the next while they are still in L1 (GEMV with the weight rows contiguous).</item>
/// <item>B (k x n): a row of C is a sum of rows of B scaled by the row of op(A) (axpy), vectorized over the
/// output features, 32 columns at a time with the ragged last columns under a mask.</item>
/// </list>
/// Above <see cref="ParallelMinWork"/> multiply-adds the columns of C are split across threads.
/// </remarks>
internal static unsafe class GemmSmallM
{
    /// <summary>The most rows of C this path takes.</summary>
    public const int MaxM = 4;

    /// <summary>
    /// Below this many multiply-adds the call stays on one thread: a 784 x 256 layer at batch 1 (200k)
    /// takes about 10 us alone, where a second thread still gains after its wake-up cost.
    /// </summary>
    internal static long ParallelMinWork = 1L << 17;

    /// <summary>Whether this machine runs the path (AVX2 and FMA).</summary>
    public static bool IsSupported => Avx2.IsSupported && Fma.IsSupported;

    /// <summary>
    /// Whether the call is better served here than by the packed GEMM: few rows of C, and for B^T a shared
    /// dimension of at least one vector (shorter dot products are all tail).
    /// </summary>
    public static bool Suits(int m, int n, int k, bool transB) => m <= MaxM && (!transB || k >= Vector256<float>.Count);

    /// <summary>C = alpha * op(A) op(B) + beta * C for m &lt;= <see cref="MaxM"/>; arguments already validated, m, n, k &gt; 0.</summary>
    public static void Run(in GemmProblem p, int threads)
    {
        // Rows of op(A) must be contiguous for the dot products: a transposed A (k x m) is gathered, m k floats.
        float[]? gathered = null;
        try
        {
            var work = p;
            if (p.TransA && p.TransB)
            {
                gathered = ArrayPool<float>.Shared.Rent(p.M * p.K);
                fixed (float* g = gathered)
                {
                    for (int pp = 0; pp < p.K; pp++)
                        for (int i = 0; i < p.M; i++) g[(nint)i * p.K + pp] = p.A[pp * p.Lda + i];
                    work = new GemmProblem(false, true, p.M, p.N, p.K, p.Alpha, g, p.K, p.B, (int)p.Ldb, p.Beta, p.C, (int)p.Ldc);
                    Split(work, threads);
                }
            }
            else
            {
                Split(work, threads);
            }
        }
        finally
        {
            if (gathered is not null) ArrayPool<float>.Shared.Return(gathered);
        }
    }

    /// <summary>Runs the columns of C in one piece, or in one chunk per thread.</summary>
    private static void Split(in GemmProblem p, int threads)
    {
        // Chunks of whole column blocks (4 dot products or 32 axpy columns), so only the last one is ragged.
        int block = p.TransB ? 4 : 32;
        int blocks = (p.N + block - 1) / block;
        int chunks = (long)p.M * p.N * p.K < ParallelMinWork ? 1 : Math.Min(threads, blocks);
        if (chunks <= 1)
        {
            Columns(p, 0, p.N);
            return;
        }
        Threads.For(chunks, threads, new ColumnChunks(p, blocks, block, chunks));
    }

    private readonly struct ColumnChunks(GemmProblem p, int blocks, int block, int chunks) : IParallelWork
    {
        public void Run(int index)
        {
            int from = (int)((long)blocks * index / chunks) * block;
            int to = Math.Min(p.N, (int)((long)blocks * (index + 1) / chunks) * block);
            Columns(p, from, to);
        }
    }

    /// <summary>Columns [from, to) of C.</summary>
    private static void Columns(in GemmProblem p, int from, int to)
    {
        if (p.TransB) DotColumns(p, from, to);
        else AxpyColumns(p, from, to);
    }

    /// <summary>C[i, j] = alpha * (row i of op(A)) . (row j of B) + beta * C[i, j]; op(A) rows contiguous.</summary>
    private static void DotColumns(in GemmProblem p, int from, int to)
    {
        int j = from;
        for (; j + 4 <= to; j += 4)
        {
            float* b0 = p.B + j * p.Ldb;
            for (int i = 0; i < p.M; i++)
            {
                var sums = Dot4(p.A + i * p.Lda, b0, p.Ldb, p.K);
                float* c = p.C + i * p.Ldc + j;
                Vector128.Store(Finish(sums, c, p.Alpha, p.Beta), c);
            }
        }
        for (; j < to; j++)
        {
            float* b = p.B + j * p.Ldb;
            for (int i = 0; i < p.M; i++)
            {
                float* c = p.C + i * p.Ldc + j;
                float dot = p.Alpha * Dot1(p.A + i * p.Lda, b, p.K);
                *c = p.Beta == 0 ? dot : dot + p.Beta * *c;
            }
        }
    }

    /// <summary>alpha * sums + beta * c (c not read when beta is 0, so NaNs there do not survive).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<float> Finish(Vector128<float> sums, float* c, float alpha, float beta)
    {
        var r = sums * alpha;
        return beta == 0 ? r : r + Vector128.Load(c) * beta;
    }

    /// <summary>The four dot products of x with rows b, b + ldb, b + 2 ldb, b + 3 ldb, over k elements.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static Vector128<float> Dot4(float* x, float* b, nint ldb, int k)
    {
        float* b1 = b + ldb, b2 = b1 + ldb, b3 = b2 + ldb;
        // Two accumulators per row: eight independent FMA chains cover the FMA latency.
        Vector256<float> s0 = default, s1 = default, s2 = default, s3 = default;
        Vector256<float> t0 = default, t1 = default, t2 = default, t3 = default;
        int p = 0;
        for (; p + 16 <= k; p += 16)
        {
            var xa = Avx.LoadVector256(x + p);
            var xb = Avx.LoadVector256(x + p + 8);
            s0 = Fma.MultiplyAdd(xa, Avx.LoadVector256(b + p), s0);
            s1 = Fma.MultiplyAdd(xa, Avx.LoadVector256(b1 + p), s1);
            s2 = Fma.MultiplyAdd(xa, Avx.LoadVector256(b2 + p), s2);
            s3 = Fma.MultiplyAdd(xa, Avx.LoadVector256(b3 + p), s3);
            t0 = Fma.MultiplyAdd(xb, Avx.LoadVector256(b + p + 8), t0);
            t1 = Fma.MultiplyAdd(xb, Avx.LoadVector256(b1 + p + 8), t1);
            t2 = Fma.MultiplyAdd(xb, Avx.LoadVector256(b2 + p + 8), t2);
            t3 = Fma.MultiplyAdd(xb, Avx.LoadVector256(b3 + p + 8), t3);
        }
        for (; p < k; p += 8)
        {
            // Up to two last vectors, the ragged one masked (lanes past k read as 0).
            var mask = MaskedVector.FirstLanes(k - p);
            var xa = MaskedVector.Load(x + p, mask);
            s0 = Fma.MultiplyAdd(xa, MaskedVector.Load(b + p, mask), s0);
            s1 = Fma.MultiplyAdd(xa, MaskedVector.Load(b1 + p, mask), s1);
            s2 = Fma.MultiplyAdd(xa, MaskedVector.Load(b2 + p, mask), s2);
            s3 = Fma.MultiplyAdd(xa, MaskedVector.Load(b3 + p, mask), s3);
        }
        return Vector128.Create(Vector256.Sum(s0 + t0), Vector256.Sum(s1 + t1), Vector256.Sum(s2 + t2), Vector256.Sum(s3 + t3));
    }

    /// <summary>The dot product of x and b over k elements.</summary>
    private static float Dot1(float* x, float* b, int k)
    {
        Vector256<float> s = default;
        for (int p = 0; p < k; p += 8)
        {
            var mask = MaskedVector.FirstLanes(k - p);
            s = Fma.MultiplyAdd(MaskedVector.Load(x + p, mask), MaskedVector.Load(b + p, mask), s);
        }
        return Vector256.Sum(s);
    }

    /// <summary>C[i, from..to) = alpha * sum over p of op(A)[i, p] B[p, from..to) + beta * C[i, from..to).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void AxpyColumns(in GemmProblem pr, int from, int to)
    {
        // op(A)[i, p] sits at a[i lda + p], or at a[p lda + i] when A is stored transposed.
        nint aRow = pr.TransA ? 1 : pr.Lda, aCol = pr.TransA ? pr.Lda : 1;
        for (int i = 0; i < pr.M; i++)
        {
            float* a = pr.A + i * aRow;
            float* c = pr.C + i * pr.Ldc;
            int j = from;
            for (; j + 32 <= to; j += 32)
            {
                Vector256<float> c0 = default, c1 = default, c2 = default, c3 = default;
                float* b = pr.B + j;
                for (int p = 0; p < pr.K; p++, b += pr.Ldb)
                {
                    var s = Vector256.Create(a[p * aCol]);
                    c0 = Fma.MultiplyAdd(s, Avx.LoadVector256(b), c0);
                    c1 = Fma.MultiplyAdd(s, Avx.LoadVector256(b + 8), c1);
                    c2 = Fma.MultiplyAdd(s, Avx.LoadVector256(b + 16), c2);
                    c3 = Fma.MultiplyAdd(s, Avx.LoadVector256(b + 24), c3);
                }
                Store(c + j, c0, pr.Alpha, pr.Beta, Vector256<float>.AllBitsSet);
                Store(c + j + 8, c1, pr.Alpha, pr.Beta, Vector256<float>.AllBitsSet);
                Store(c + j + 16, c2, pr.Alpha, pr.Beta, Vector256<float>.AllBitsSet);
                Store(c + j + 24, c3, pr.Alpha, pr.Beta, Vector256<float>.AllBitsSet);
            }
            for (; j < to; j += 8)
            {
                // One vector of columns at a time, the ragged last one masked.
                var mask = MaskedVector.FirstLanes(to - j);
                Vector256<float> acc = default;
                float* b = pr.B + j;
                for (int p = 0; p < pr.K; p++, b += pr.Ldb)
                    acc = Fma.MultiplyAdd(Vector256.Create(a[p * aCol]), MaskedVector.Load(b, mask), acc);
                Store(c + j, acc, pr.Alpha, pr.Beta, mask);
            }
        }
    }

    /// <summary>c = alpha * acc + beta * c under the mask (c not read when beta is 0).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store(float* c, Vector256<float> acc, float alpha, float beta, Vector256<float> mask)
    {
        var r = acc * alpha;
        if (beta != 0) r += MaskedVector.Load(c, mask) * beta;
        if (mask == Vector256<float>.AllBitsSet) Avx.Store(c, r);
        else MaskedVector.Store(c, mask, r);
    }
}
