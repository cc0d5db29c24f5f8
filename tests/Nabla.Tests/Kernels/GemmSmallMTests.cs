using Nabla.Kernels;

namespace Nabla.Tests.Kernels;

/// <summary>
/// The few-rows path (batch 1 to 4 through a layer) against the double-precision reference: every m it takes,
/// every k tail of the dot products (k mod 16 and k mod 8), every column tail of the 4-row and 32-column
/// blocks, each transpose, alpha and beta, padded rows, and the columns split across threads.
/// </summary>
public class GemmSmallMTests
{
    public static TheoryData<bool, bool> AllTransposes() => GemmTests.AllTransposes();

    private static void AssertMatches(GemmCase g, int threads)
    {
        Assert.True(GemmSmallM.Suits(g.M, g.N, g.K, g.TransB), $"{g} does not take the small-m path");
        string? error = g.Check(g.Run(Gemm.DefaultPath, threads));
        Assert.True(error is null, $"{threads} thread(s), {g}: {error}");
    }

    [Theory]
    [MemberData(nameof(AllTransposes))]
    public void Every_tail_matches_the_reference(bool transA, bool transB)
    {
        if (!GemmSmallM.IsSupported) return;
        int[] ks = transB ? [8, 9, 15, 16, 17, 23, 24, 31, 33, 40, 47, 64, 100] : [1, 2, 3, 7, 8, 17, 33];
        for (int m = 1; m <= GemmSmallM.MaxM; m++)
            foreach (int k in ks)
                for (int n = 1; n <= 70; n += n < 12 ? 1 : 5)
                    AssertMatches(new GemmCase(transA, transB, m, n, k, 1f, 0f, pad: (m + n + k) % 3, seed: m * 1000 + n * 10 + k), 1);
    }

    [Theory]
    [MemberData(nameof(AllTransposes))]
    public void Alpha_and_beta_scale_and_accumulate(bool transA, bool transB)
    {
        if (!GemmSmallM.IsSupported) return;
        foreach (var (alpha, beta) in new[] { (1f, 1f), (-0.5f, 0.25f), (2f, 0f) })
            for (int m = 1; m <= GemmSmallM.MaxM; m++)
                AssertMatches(new GemmCase(transA, transB, m, 37, 29, alpha, beta, pad: 2, seed: m), 1);
    }

    [Theory]
    [MemberData(nameof(AllTransposes))]
    public void Layer_sized_products_split_across_threads_match(bool transA, bool transB)
    {
        if (!GemmSmallM.IsSupported) return;
        long saved = GemmSmallM.ParallelMinWork;
        GemmSmallM.ParallelMinWork = 1; // split even these sizes, so both threads get columns with tails
        try
        {
            foreach (var (m, n, k) in new[] { (1, 256, 784), (3, 131, 57), (4, 10, 128), (2, 33, 9) })
                AssertMatches(new GemmCase(transA, transB, m, n, k, 1f, 0.5f, pad: 1, seed: n), 2);
        }
        finally
        {
            GemmSmallM.ParallelMinWork = saved;
        }
    }

    [Fact]
    public void Short_dot_products_and_larger_m_stay_on_the_packed_path()
    {
        Assert.False(GemmSmallM.Suits(1, 100, 7, transB: true));
        Assert.False(GemmSmallM.Suits(GemmSmallM.MaxM + 1, 100, 100, transB: false));
        Assert.True(GemmSmallM.Suits(1, 100, 1, transB: false));
    }
}
