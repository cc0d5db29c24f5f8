using Nabla.Kernels;

namespace Nabla.Tests.Conv;

/// <summary>
/// The im2col + GEMM convolution kernels against the direct reference (Kernels/Conv2dReference.cs) in float32, on
/// random geometries with odd sizes, strides, padding, dilation and groups, on one thread and on several (both the
/// across-images split and the split inside each GEMM).
/// </summary>
public class ConvKernelTests
{
    /// <summary>Geometries chosen to reach every branch: pointwise, unit and larger strides, padding past the kernel, depthwise.</summary>
    public static IEnumerable<object[]> Geometries()
    {
        //                      N  C   H   W   O  KH KW SH SW PH PW DH DW groups
        yield return G(new(1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 1, 1, 1));     // 1x1 everything
        yield return G(new(2, 3, 7, 5, 4, 3, 3, 1, 1, 1, 1, 1, 1, 1));     // 3x3 same padding, odd sizes
        yield return G(new(3, 4, 9, 11, 6, 1, 1, 1, 1, 0, 0, 1, 1, 2));    // pointwise, grouped
        yield return G(new(2, 5, 10, 9, 7, 2, 3, 2, 1, 0, 2, 1, 1, 1));    // non-square kernel, mixed stride and padding
        yield return G(new(2, 4, 12, 13, 4, 3, 3, 2, 2, 2, 2, 2, 2, 4));   // depthwise, dilated, strided
        yield return G(new(1, 6, 8, 8, 12, 3, 1, 1, 3, 1, 0, 1, 2, 3));    // 3 groups, dilation along the width
        yield return G(new(4, 2, 5, 5, 3, 5, 5, 1, 1, 0, 0, 1, 1, 1));     // kernel as large as the input
        yield return G(new(2, 3, 6, 17, 5, 1, 4, 3, 4, 0, 3, 1, 1, 1));    // stride larger than the kernel
        yield return G(new(1, 2, 1, 21, 3, 1, 3, 1, 1, 0, 1, 1, 1, 1));    // height 1, as Conv1d runs
        yield return G(new(9, 8, 14, 14, 16, 3, 3, 1, 1, 1, 1, 1, 1, 1));  // big enough to run on threads
        yield return G(new(2, 8, 15, 15, 8, 3, 3, 2, 2, 1, 1, 1, 1, 8));   // depthwise with stride 2
    }

    private static object[] G(Conv2dGeometry g) => [g.N, g.C, g.H, g.W, g.O, g.KH, g.KW, g.SH, g.SW, g.PH, g.PW, g.DH, g.DW, g.Groups];

    [Theory]
    [MemberData(nameof(Geometries))]
    public void FastMatchesReference(int n, int c, int h, int w, int o, int kh, int kw, int sh, int sw, int ph, int pw, int dh, int dw, int groups)
    {
        var g = new Conv2dGeometry(n, c, h, w, o, kh, kw, sh, sw, ph, pw, dh, dw, groups);
        foreach (int threads in new[] { 1, 2, 3 })
            foreach (bool bias in new[] { true, false })
                Check(g, threads, bias, seed: n * 31 + c + threads);
    }

    [Fact]
    public void RandomGeometries()
    {
        var rng = new Random(5);
        for (int t = 0; t < 40; t++)
        {
            int groups = rng.Next(1, 4);
            int c = groups * rng.Next(1, 4), o = groups * rng.Next(1, 4);
            int kh = rng.Next(1, 5), kw = rng.Next(1, 5), dh = rng.Next(1, 3), dw = rng.Next(1, 3);
            int ph = rng.Next(0, 3), pw = rng.Next(0, 3), sh = rng.Next(1, 4), sw = rng.Next(1, 4);
            int h = Math.Max(1, dh * (kh - 1) + 1 - 2 * ph) + rng.Next(0, 9);
            int w = Math.Max(1, dw * (kw - 1) + 1 - 2 * pw) + rng.Next(0, 9);
            var g = new Conv2dGeometry(rng.Next(1, 5), c, h, w, o, kh, kw, sh, sw, ph, pw, dh, dw, groups);
            Check(g, threads: 1 + t % 3, bias: t % 2 == 0, seed: t);
        }
    }

    [Fact]
    public void TheComparisonCatchesASmallError()
    {
        var g = new Conv2dGeometry(2, 3, 6, 6, 4, 3, 3, 1, 1, 1, 1, 1, 1, 1);
        var x = Random(g.N * g.ImageSize, 1);
        var w = Random(g.WeightSize, 2);
        var y = new float[g.N * g.OutputImageSize];
        Conv2dKernels.Forward<float>(g, x, w, default, y, 1);
        y[17] += 1e-3f;
        var expected = new float[y.Length];
        Conv2dReference.Forward<float>(g, x, w, default, expected);
        Assert.ThrowsAny<Xunit.Sdk.XunitException>(() => AssertClose(expected, y, g.Kg, "perturbed"));
    }

    private static void Check(Conv2dGeometry g, int threads, bool bias, int seed)
    {
        string at = $"{g} threads {threads} bias {bias}";
        var x = Random(g.N * g.ImageSize, seed);
        var w = Random(g.WeightSize, seed + 1);
        var b = bias ? Random(g.O, seed + 2) : [];
        var dy = Random(g.N * g.OutputImageSize, seed + 3);

        var y = new float[g.N * g.OutputImageSize];
        var yRef = new float[y.Length];
        // The outputs are overwritten: start them dirty so that a missed element shows.
        Array.Fill(y, float.NaN);
        Conv2dKernels.Forward<float>(g, x, w, b, y, threads);
        Conv2dReference.Forward<float>(g, x, w, b, yRef);
        AssertClose(yRef, y, g.Kg, $"{at}: output");

        float[] dx = new float[x.Length], dw = new float[w.Length], db = new float[g.O];
        float[] dxRef = new float[x.Length], dwRef = new float[w.Length], dbRef = new float[g.O];
        Conv2dKernels.Backward<float>(g, x, w, dy, dx, dw, db, threads);
        Conv2dReference.Backward<float>(g, x, w, dy, dxRef, dwRef, dbRef);
        AssertClose(dxRef, dx, g.Og * g.KH * g.KW, $"{at}: input gradient");
        AssertClose(dwRef, dw, g.N * g.P, $"{at}: weight gradient");
        AssertClose(dbRef, db, g.N * g.P, $"{at}: bias gradient");

        // Each gradient alone (the others not asked for) gives the same values.
        float[] dwOnly = new float[w.Length];
        Conv2dKernels.Backward<float>(g, x, w, dy, default, dwOnly, default, threads);
        AssertClose(dwRef, dwOnly, g.N * g.P, $"{at}: weight gradient alone");
        float[] dxOnly = new float[x.Length];
        Conv2dKernels.Backward<float>(g, x, w, dy, dxOnly, default, default, threads);
        AssertClose(dxRef, dxOnly, g.Og * g.KH * g.KW, $"{at}: input gradient alone");
    }

    /// <summary>Float32 sums of <paramref name="terms"/> products of N(0, 1) values: error grows like sqrt(terms) ulps of the sum's spread.</summary>
    private static void AssertClose(float[] expected, float[] actual, int terms, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        double tol = 2e-6 * Math.Sqrt(Math.Max(1, terms)) * 4;
        for (int i = 0; i < expected.Length; i++)
        {
            double e = expected[i], a = actual[i];
            Assert.True(Math.Abs(a - e) <= tol * (1 + Math.Abs(e)) , $"{what}: element {i} is {a:R}, reference {e:R}");
        }
    }

    private static float[] Random(int length, int seed)
    {
        var rng = new Generator(seed);
        var a = new float[length];
        for (int i = 0; i < a.Length; i++) a[i] = (float)rng.NextNormal();
        return a;
    }
}
