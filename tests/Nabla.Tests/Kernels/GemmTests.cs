using Nabla.Kernels;

namespace Nabla.Tests.Kernels;

public class GemmTests
{
    /// <summary>Every kernel family this machine can run: the portable one always, AVX2 and AVX-512 where present.</summary>
    internal static IEnumerable<Gemm.Path> Paths()
    {
        if (GemmKernelAvx512.IsSupported)
        {
            yield return Gemm.Path.Avx512;
        }
        if (GemmKernelAvx2.IsSupported)
        {
            yield return Gemm.Path.Avx2;
        }
        yield return Gemm.Path.Vector;
    }

    private static readonly (bool TransA, bool TransB)[] Transposes = [(false, false), (false, true), (true, false), (true, true)];

    public static TheoryData<bool, bool> AllTransposes()
    {
        var data = new TheoryData<bool, bool>();
        foreach (var (ta, tb) in Transposes)
        {
            data.Add(ta, tb);
        }
        return data;
    }

    private static void AssertMatches(GemmCase g, Gemm.Path path, int threads)
    {
        string? error = g.Check(g.Run(path, threads));
        Assert.True(error is null, $"{path}, {threads} thread(s), {g}: {error}");
    }

    /// <summary>Every path on 1 and 2 threads against one reference (computed once per case).</summary>
    private static void AssertAllPathsMatch(GemmCase g)
    {
        foreach (var path in Paths())
        {
            AssertMatches(g, path, 1);
            AssertMatches(g, path, 2);
        }
    }

    [Fact]
    public void Reference_matches_a_product_worked_by_hand()
    {
        // A = [1 2 3; 4 5 6] (2 x 3), B = [7 8; 9 10; 11 12] (3 x 2), A B = [58 64; 139 154].
        float[] a = [1, 2, 3, 4, 5, 6], at = [1, 4, 2, 5, 3, 6];
        float[] b = [7, 8, 9, 10, 11, 12], bt = [7, 9, 11, 8, 10, 12];
        float[] expected = [58, 64, 139, 154];
        foreach (var (ta, tb) in Transposes)
        {
            var c = new float[4];
            GemmReference.Sgemm(ta, tb, 2, 2, 3, 1f, ta ? at : a, ta ? 2 : 3, tb ? bt : b, tb ? 3 : 2, 0f, c, 2);
            Assert.Equal(expected, c);
            foreach (var path in Paths())
            {
                var fast = new float[] { 1, 1, 1, 1 };
                Gemm.Sgemm(path, 1, ta, tb, 2, 2, 3, 2f, ta ? at : a, ta ? 2 : 3, tb ? bt : b, tb ? 3 : 2, 0.5f, fast, 2);
                Assert.Equal(expected.Select(v => 2 * v + 0.5f), fast);
            }
        }
    }

    [Theory]
    [MemberData(nameof(AllTransposes))]
    public void Every_m_and_n_up_to_33_covers_every_edge_tile(bool transA, bool transB)
    {
        // 33 > 32 = the widest NR and > 2 * 12 = two MR panels: every partial-tile shape occurs.
        foreach (int k in new[] { 1, 9 })
        {
            for (int m = 1; m <= 33; m++)
            {
                for (int n = 1; n <= 33; n++)
                {
                    var g = new GemmCase(transA, transB, m, n, k, 1f, 0.5f, pad: (m + n) % 3, seed: m * 100 + n);
                    foreach (var path in Paths())
                    {
                        AssertMatches(g, path, 1);
                    }
                }
            }
        }
    }

    [Theory]
    [MemberData(nameof(AllTransposes))]
    public void Odd_and_block_crossing_shapes_match_on_one_and_two_threads(bool transA, bool transB)
    {
        // 97x131x61: primes, nothing divides. 300x530x270: more than MC rows, so A is packed in
        // several blocks that the threads share out. 13x4100x3: wider than NC, so B is packed in
        // two column blocks. 30x40x1100: deeper than KC, so C accumulates over two slices of k.
        (int M, int N, int K, float Alpha, float Beta, int Pad)[] cases =
        [
            (97, 131, 61, 1f, 0f, 0), (97, 131, 61, -0.75f, 1f, 5),
            (300, 530, 270, 1.5f, 0.5f, 3),
            (13, 4100, 3, 1f, 1f, 1), (4, 3, 700, 1f, 0f, 2), (30, 40, 1100, 1f, 0.5f, 2),
            // Few rows, enough work for two threads: the columns are split between them too.
            (5, 2000, 200, 1f, 0.5f, 1),
            // m and n both >= 512: A and B are both packed.
            (513, 515, 16, -1f, 0f, 0),
        ];
        foreach (var (m, n, k, alpha, beta, pad) in cases)
        {
            AssertAllPathsMatch(new GemmCase(transA, transB, m, n, k, alpha, beta, pad, seed: m + n + k));
        }
    }

    [Theory]
    [MemberData(nameof(AllTransposes))]
    public void Seed_shapes_match(bool transA, bool transB)
    {
        // The shapes of an MLP training step: these take the small-problem path (A read in place).
        foreach (var (m, n, k) in new[] { (64, 100, 1000), (64, 10, 100), (1000, 100, 64) })
        {
            AssertAllPathsMatch(new GemmCase(transA, transB, m, n, k, 1f, 0f, pad: 1, seed: n));
        }
    }

    [Theory]
    [InlineData(0f)]
    [InlineData(1f)]
    [InlineData(0.5f)]
    [InlineData(-2f)]
    public void Beta_scales_the_old_C_and_zero_ignores_its_NaNs(float beta)
    {
        foreach (var path in Paths())
        {
            foreach (float alpha in new[] { 1f, -0.5f, 3f })
            {
                var g = new GemmCase(false, false, 37, 45, 29, alpha, beta, pad: 2, seed: 7);
                AssertMatches(g, path, 1);
            }
        }
    }

    [Fact]
    public void Zero_sized_problems_touch_only_what_they_should()
    {
        foreach (var path in Paths())
        {
            // m = 0 or n = 0: nothing to do, C untouched.
            var c = new float[] { 1, 2, 3 };
            Gemm.Sgemm(path, 2, false, false, 0, 3, 4, 1f, [], 4, new float[12], 3, 0f, c, 3);
            Gemm.Sgemm(path, 2, false, false, 1, 0, 4, 1f, new float[4], 4, [], 1, 0f, c, 1);
            Assert.Equal(new float[] { 1, 2, 3 }, c);

            // k = 0: the product is empty, C = beta * C (beta = 0 clears even NaNs).
            c = [1, float.NaN, 3, 4];
            Gemm.Sgemm(path, 1, false, false, 2, 2, 0, 1f, [], 1, [], 2, 0f, c, 2);
            Assert.Equal(new float[] { 0, 0, 0, 0 }, c);
            c = [1, 2, 3, 4];
            Gemm.Sgemm(path, 1, false, false, 2, 2, 0, 1f, [], 1, [], 2, 2f, c, 2);
            Assert.Equal(new float[] { 2, 4, 6, 8 }, c);

            // alpha = 0: A and B are not read (their NaNs do not matter), C = beta * C.
            c = [1, 2, 3, 4];
            float[] nan = [float.NaN, float.NaN, float.NaN, float.NaN];
            Gemm.Sgemm(path, 1, false, false, 2, 2, 2, 0f, nan, 2, nan, 2, 0.5f, c, 2);
            Assert.Equal(new float[] { 0.5f, 1, 1.5f, 2 }, c);
        }
    }

    [Fact]
    public void Public_entry_uses_the_default_path_and_Threads_Count()
    {
        var g = new GemmCase(true, false, 70, 90, 50, 1f, 0.25f, pad: 1, seed: 3);
        var c = (float[])g.C0.Clone();
        Gemm.Sgemm(g.TransA, g.TransB, g.M, g.N, g.K, g.Alpha, g.A, g.Lda, g.B, g.Ldb, g.Beta, c, g.Ldc);
        Assert.Null(g.Check(c));
    }

    [Fact]
    public void Checker_reports_a_wrong_kernel()
    {
        // A test that could not fail would prove nothing: perturb a correct result the way a buggy
        // kernel would and make sure the checker says so each time.
        var g = new GemmCase(false, true, 40, 50, 300, 1f, 0.5f, pad: 2, seed: 11);
        float[] good = g.Run(Gemm.DefaultPath, 1);
        Assert.Null(g.Check(good));

        // One product term counted twice (a k-loop off by one).
        var bad = (float[])good.Clone();
        bad[17 * g.Ldc + 33] += g.A[17 * g.Lda + 299] * g.B[33 * g.Ldb + 299];
        Assert.Contains("C[17, 33]", g.Check(bad));

        // beta applied twice to one element.
        bad = (float[])good.Clone();
        bad[5 * g.Ldc + 7] += 0.5f * g.C0[5 * g.Ldc + 7] * 0.5f;
        Assert.Contains("C[5, 7]", g.Check(bad));

        // An edge tile written one column too wide, into the padding of C.
        bad = (float[])good.Clone();
        bad[39 * g.Ldc + 50] = 0;
        Assert.Contains("outside the 40 x 50 view", g.Check(bad));

        // With k = 1 the bound is a few units in the last place: a relative error of 1e-6 is caught.
        var tiny = new GemmCase(false, false, 3, 3, 1, 1f, 0f, pad: 0, seed: 1);
        bad = tiny.Run(Gemm.DefaultPath, 1);
        Assert.Null(tiny.Check(bad));
        bad[4] *= 1 + 1e-6f;
        Assert.Contains("C[1, 1]", tiny.Check(bad));
    }

    [Fact]
    public void Dgemm_matches_the_reference_for_all_transposes_and_edges()
    {
        var rng = new Random(5);
        foreach (var (ta, tb) in Transposes)
        {
            foreach (var (m, n, k, beta) in new[] { (1, 1, 1, 0.0), (7, 9, 300, 1.0), (33, 17, 5, 0.5), (300, 270, 140, 0.0), (5, 1, 0, 2.0) })
            {
                int lda = (ta ? m : k) + 2, ldb = (tb ? k : n) + 1, ldc = n + 3;
                double[] a = Enumerable.Range(0, (ta ? k : m) * lda).Select(_ => rng.NextDouble() * 2 - 1).ToArray();
                double[] b = Enumerable.Range(0, (tb ? n : k) * ldb).Select(_ => rng.NextDouble() * 2 - 1).ToArray();
                double[] c0 = Enumerable.Range(0, m * ldc).Select(i => beta == 0 ? double.NaN : i * 0.01).ToArray();
                for (int i = 0; i < m; i++)
                {
                    // Padding of C: must survive untouched.
                    c0[i * ldc + n] = c0[i * ldc + n + 1] = c0[i * ldc + n + 2] = -7;
                }
                var expected = (double[])c0.Clone();
                var actual = (double[])c0.Clone();
                GemmReference.Dgemm(ta, tb, m, n, k, 1.25, a, lda, b, ldb, beta, expected, ldc);
                Gemm.Dgemm(ta, tb, m, n, k, 1.25, a, lda, b, ldb, beta, actual, ldc);
                for (int i = 0; i < expected.Length; i++)
                {
                    // |a|, |b| <= 1: the sum of |a||b| is at most k; bound as in GemmChecker, in double.
                    double magnitude = 1.25 * k + (beta == 0 ? 0 : Math.Abs(beta * c0[i]));
                    double tol = 2 * (k + 2) * Math.Pow(2, -53) * magnitude + 1e-300;
                    Assert.True(Math.Abs(expected[i] - actual[i]) <= tol,
                        $"Dgemm {(ta ? "A^T" : "A")} {(tb ? "B^T" : "B")} m={m} n={n} k={k}: element {i} is {actual[i]:R}, expected {expected[i]:R}");
                }
            }
        }
    }

    [Fact]
    public void Bad_arguments_are_rejected_with_the_sizes_in_the_message()
    {
        float[] a = new float[20], b = new float[20], c = new float[20];

        var e1 = Assert.Throws<ArgumentOutOfRangeException>(() => Gemm.Sgemm(false, false, -1, 2, 2, 1f, a, 2, b, 2, 0f, c, 2));
        Assert.Equal("m", e1.ParamName);
        Assert.Contains("m must be non-negative, got -1", e1.Message);

        var e2 = Assert.Throws<ArgumentOutOfRangeException>(() => Gemm.Sgemm(false, false, 4, 2, 5, 1f, a, 4, b, 2, 0f, c, 2));
        Assert.Equal("lda", e2.ParamName);
        Assert.Contains("lda = 4 is less than the 5 columns of A as stored (m x k = 4 x 5)", e2.Message);

        var e3 = Assert.Throws<ArgumentOutOfRangeException>(() => Gemm.Sgemm(true, false, 4, 2, 5, 1f, a, 3, b, 2, 0f, c, 2));
        Assert.Contains("less than the 4 columns of A as stored (k x m = 5 x 4 (transA))", e3.Message);

        var e4 = Assert.Throws<ArgumentException>(() => Gemm.Sgemm(false, false, 4, 2, 6, 1f, a, 6, b, 2, 0f, c, 2));
        Assert.Equal("a", e4.ParamName);
        Assert.Contains("a has 20 elements, but A stored as m x k = 4 x 6 with lda = 6 needs at least 24", e4.Message);

        var e5 = Assert.Throws<ArgumentException>(() => Gemm.Sgemm(false, true, 2, 3, 7, 1f, a, 7, b, 7, 0f, c, 3));
        Assert.Equal("b", e5.ParamName);
        Assert.Contains("B stored as n x k = 3 x 7 (transB) with ldb = 7 needs at least 21", e5.Message);

        var e6 = Assert.Throws<ArgumentException>(() => Gemm.Sgemm(false, false, 3, 4, 2, 1f, a, 2, b, 4, 0f, c, 9));
        Assert.Equal("c", e6.ParamName);
        Assert.Contains("c has 20 elements, but C stored as m x n = 3 x 4 with ldc = 9 needs at least 22", e6.Message);
        // The last row of C needs only n elements, not ldc: 2 * 8 + 4 = 20 fits exactly, 19 does not.
        Gemm.Sgemm(false, false, 3, 4, 2, 1f, a, 2, b, 4, 0f, c, 8);
        Assert.Throws<ArgumentException>(() => Gemm.Sgemm(false, false, 3, 4, 2, 1f, a, 2, b, 4, 0f, c.AsSpan(0, 19), 8));

        var e7 = Assert.Throws<ArgumentOutOfRangeException>(() => Gemm.Dgemm(false, false, 2, 3, 2, 1.0, new double[4], 2, new double[6], 3, 0.0, new double[6], 2));
        Assert.Equal("ldc", e7.ParamName);
        Assert.Contains("Dgemm: ldc = 2 is less than the 3 columns of C", e7.Message);
    }
}
