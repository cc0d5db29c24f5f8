using Nabla.Kernels;

namespace Nabla.Tests.Conv;

/// <summary>
/// Max and average pooling kernels against PyTorch's CPU loops written out literally (scan each window row by row,
/// keep the first value greater than all before it or any NaN), on random geometries with padding, dilation and
/// ceil mode, inputs full of ties, NaNs and infinities, in float32 and float64, on one thread and on several.
/// </summary>
public class PoolKernelTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void MaxPoolMatchesTheScan(int threads)
    {
        var rng = new Random(11 + threads);
        for (int t = 0; t < 60; t++)
        {
            var g = RandomGeometry(rng, out _);
            var x = RandomInput(rng, g.Planes * g.InSize, special: t % 3);
            var (y, index, expectedIndex) = ForwardMatchesScan(g, x, threads);

            var yd = new double[y.Length];
            var indexD = new int[y.Length];
            MaxPool2dKernels.Forward<double>(g, x.Select(v => (double)v).ToArray(), yd, indexD, threads);
            Assert.Equal(expectedIndex, indexD);

            // The backward adds dy at each argmax: check against a scatter of the expected indices.
            var dy = RandomInput(rng, y.Length, special: 0);
            var dx = new float[x.Length];
            var dxExpected = new double[x.Length];
            MaxPool2dKernels.Backward<float>(g, dy, index, dx, threads);
            for (int p = 0; p < g.Planes; p++)
                for (int j = 0; j < g.OutSize; j++)
                    if (expectedIndex[p * g.OutSize + j] >= 0) dxExpected[p * g.InSize + expectedIndex[p * g.OutSize + j]] += dy[p * g.OutSize + j];
            for (int i = 0; i < dx.Length; i++)
                Assert.True(Math.Abs(dx[i] - dxExpected[i]) <= 1e-5 * (1 + Math.Abs(dxExpected[i])), $"{g}: dx {i} is {dx[i]}, expected {dxExpected[i]}");
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void MaxPool2x2PathMatchesTheScan(int threads)
    {
        // The CNN pooling (2x2, stride 2) takes its own path: every row length from 4 windows up (overlapping last
        // vector), odd input sizes that leave a row or column out, ties, infinities and NaNs, sizes that split into chunks.
        var rng = new Random(31 + threads);
        foreach (var (planes, h, w) in new[] { (3, 2, 8), (2, 3, 9), (5, 14, 14), (4, 7, 15), (2, 5, 22), (64, 28, 28), (1, 2, 30) })
        {
            var g = new Pool2dGeometry(planes, h, w, h / 2, w / 2, 2, 2, 2, 2, 0, 0, 1, 1);
            Assert.True(MaxPool2x2Kernel.Applies(g) || !System.Runtime.Intrinsics.X86.Sse.IsSupported, $"{g} should take the 2x2 path");
            for (int special = 0; special < 3; special++)
            {
                ForwardMatchesScan(g, RandomInput(rng, g.Planes * g.InSize, special), threads);
            }
        }
        Assert.False(MaxPool2x2Kernel.Applies(new Pool2dGeometry(1, 6, 6, 3, 3, 2, 2, 2, 2, 0, 0, 1, 1)), "3 windows per row go the general way");
        Assert.False(MaxPool2x2Kernel.Applies(new Pool2dGeometry(1, 9, 9, 5, 5, 2, 2, 2, 2, 0, 0, 1, 1)), "a partial window (ceil mode) goes the general way");
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void AvgPoolMatchesTheLoop(int threads)
    {
        var rng = new Random(21 + threads);
        for (int t = 0; t < 60; t++)
        {
            var g = RandomGeometry(rng, out bool ceil, dilated: false);
            bool includePad = t % 2 == 0;
            int divisor = t % 5 == 0 ? 3 : 0;
            var windows = Windows(g, includePad, divisor);
            var x = RandomInput(rng, g.Planes * g.InSize, special: 0);
            var dy = RandomInput(rng, g.Planes * g.OutSize, special: 0);

            var y = new float[g.Planes * g.OutSize];
            AvgPool2dKernels.Forward<float>(g, windows, x, y, threads);
            var dx = new float[x.Length];
            AvgPool2dKernels.Backward<float>(g, windows, dy, dx, threads);
            var dxExpected = new double[x.Length];
            for (int p = 0; p < g.Planes; p++)
                for (int oh = 0; oh < g.OH; oh++)
                    for (int ow = 0; ow < g.OW; ow++)
                    {
                        // avg_pool2d as PyTorch's CPU kernel writes it.
                        int hs = oh * g.SH - g.PH, ws = ow * g.SW - g.PW;
                        int he = Math.Min(hs + g.KH, g.H + g.PH), we = Math.Min(ws + g.KW, g.W + g.PW);
                        int poolSize = (he - hs) * (we - ws);
                        hs = Math.Max(hs, 0); ws = Math.Max(ws, 0); he = Math.Min(he, g.H); we = Math.Min(we, g.W);
                        int div = divisor != 0 ? divisor : includePad ? poolSize : (he - hs) * (we - ws);
                        double sum = 0;
                        for (int ih = hs; ih < he; ih++)
                            for (int iw = ws; iw < we; iw++)
                            {
                                sum += x[p * g.InSize + ih * g.W + iw];
                                dxExpected[p * g.InSize + ih * g.W + iw] += dy[p * g.OutSize + oh * g.OW + ow] / (double)div;
                            }
                        double expected = sum / div;
                        double actual = y[p * g.OutSize + oh * g.OW + ow];
                        Assert.True(Math.Abs(actual - expected) <= 1e-5 * (1 + Math.Abs(expected)), $"{g} ceil {ceil}: ({p}, {oh}, {ow}) is {actual}, expected {expected}");
                    }
            for (int i = 0; i < dx.Length; i++)
                Assert.True(Math.Abs(dx[i] - dxExpected[i]) <= 1e-5 * (1 + Math.Abs(dxExpected[i])), $"{g}: dx {i} is {dx[i]}, expected {dxExpected[i]}");
        }
    }

    /// <summary>PyTorch's cpu_max_pool loop: first strictly greater value in row-major order, or any NaN.</summary>
    /// <summary>Runs the float kernel and checks every output and argmax against the scan; returns them with the scan's argmax.</summary>
    private static (float[] Y, int[] Index, int[] ExpectedIndex) ForwardMatchesScan(Pool2dGeometry g, float[] x, int threads)
    {
        var (expected, expectedIndex) = ScanMaxPool(g, x);
        var y = new float[g.Planes * g.OutSize];
        var index = new int[y.Length];
        MaxPool2dKernels.Forward<float>(g, x, y, index, threads);
        for (int i = 0; i < y.Length; i++)
        {
            Assert.True(expected[i].Equals(y[i]), $"{g}: output {i} is {y[i]}, the scan gives {expected[i]}");
            Assert.True(expectedIndex[i] == index[i], $"{g}: argmax {i} is {index[i]}, the scan gives {expectedIndex[i]}");
        }
        return (y, index, expectedIndex);
    }

    private static (float[] Y, int[] Index) ScanMaxPool(Pool2dGeometry g, float[] x)
    {
        var y = new float[g.Planes * g.OutSize];
        var index = new int[y.Length];
        for (int p = 0; p < g.Planes; p++)
            for (int oh = 0; oh < g.OH; oh++)
                for (int ow = 0; ow < g.OW; ow++)
                {
                    float max = float.NegativeInfinity;
                    int at = -1;
                    for (int ki = 0; ki < g.KH; ki++)
                        for (int kj = 0; kj < g.KW; kj++)
                        {
                            int ih = oh * g.SH - g.PH + ki * g.DH, iw = ow * g.SW - g.PW + kj * g.DW;
                            if (ih < 0 || ih >= g.H || iw < 0 || iw >= g.W) continue;
                            float v = x[p * g.InSize + ih * g.W + iw];
                            // PyTorch starts from the first position inside the window, so an all -inf window points there.
                            if (at < 0 || v > max || float.IsNaN(v))
                            {
                                max = v;
                                at = ih * g.W + iw;
                            }
                        }
                    y[p * g.OutSize + oh * g.OW + ow] = max;
                    index[p * g.OutSize + oh * g.OW + ow] = at;
                }
        return (y, index);
    }

    private static Pool2dGeometry RandomGeometry(Random rng, out bool ceil, bool dilated = true)
    {
        while (true)
        {
            int kh = rng.Next(1, 5), kw = rng.Next(1, 5);
            int dh = dilated ? rng.Next(1, 3) : 1, dw = dilated ? rng.Next(1, 3) : 1;
            int sh = rng.Next(1, 4), sw = rng.Next(1, 4);
            int ph = rng.Next(0, kh / 2 + 1), pw = rng.Next(0, kw / 2 + 1);
            int h = rng.Next(1, 12), w = rng.Next(1, 40);
            ceil = rng.Next(2) == 0;
            int oh = PoolChecks.OutputSize(h, kh, sh, ph, dh, ceil), ow = PoolChecks.OutputSize(w, kw, sw, pw, dw, ceil);
            if (oh < 1 || ow < 1) continue;
            return new Pool2dGeometry(rng.Next(1, 6), h, w, oh, ow, kh, kw, sh, sw, ph, pw, dh, dw);
        }
    }

    private static AvgPoolWindows Windows(Pool2dGeometry g, bool includePad, int divisor)
    {
        (int[], int[], int[]) Dim(int outSize, int stride, int pad, int kernel, int size)
        {
            var (s, e, c) = (new int[outSize], new int[outSize], new int[outSize]);
            for (int o = 0; o < outSize; o++)
            {
                int a = o * stride - pad, b = Math.Min(a + kernel, size + pad);
                int padded = b - a;
                a = Math.Max(a, 0);
                b = Math.Min(b, size);
                (s[o], e[o], c[o]) = (a, b, includePad ? padded : b - a);
            }
            return (s, e, c);
        }
        var (hs, he, hc) = Dim(g.OH, g.SH, g.PH, g.KH, g.H);
        var (ws, we, wc) = Dim(g.OW, g.SW, g.PW, g.KW, g.W);
        return new AvgPoolWindows(hs, he, hc, ws, we, wc, divisor);
    }

    /// <summary>Random values; special 1: small integers (many ties) and -inf; special 2: ties with NaNs sprinkled in.</summary>
    private static float[] RandomInput(Random rng, int length, int special)
    {
        var x = new float[length];
        for (int i = 0; i < length; i++)
        {
            x[i] = special switch
            {
                0 => (float)(rng.NextDouble() * 2 - 1),
                1 => rng.Next(8) == 0 ? float.NegativeInfinity : rng.Next(3),
                _ => rng.Next(10) == 0 ? float.NaN : rng.Next(2),
            };
        }
        return x;
    }
}
