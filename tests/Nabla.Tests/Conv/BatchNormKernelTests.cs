using Nabla.Kernels;

namespace Nabla.Tests.Conv;

/// <summary>
/// The batch-norm kernels against the formulas written out in float64, for (N, C) and (N, C, L) layouts with row lengths
/// that leave every vector tail, sizes on both sides of the threading threshold, on one thread and on several.
/// </summary>
public class BatchNormKernelTests
{
    public static TheoryData<int, int, int, int> Shapes() => new()
    {
        { 5, 3, 1, 1 }, { 64, 40, 1, 2 }, { 4, 3, 7, 1 }, { 3, 5, 17, 3 }, { 8, 6, 196, 2 }, { 64, 32, 49, 2 }, { 2, 3, 1029, 3 },
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void KernelsMatchTheFormulas(int n, int c, int l, int threads)
    {
        var rng = new Random(n * 1000 + c * 10 + l);
        float[] Random(float shift) => Enumerable.Range(0, n * c * l).Select(_ => (float)(rng.NextDouble() * 4 - 2 + shift)).ToArray();
        var x = Random(3f);                       // a mean well away from zero, as the deviations are what matters
        var dy = Random(0f);
        double At(float[] a, int i, int ch, int j) => a[(i * c + ch) * l + j];

        var mean = new float[c];
        var variance = new float[c];
        BatchNormKernels.Statistics<float>(x, n, c, l, mean, variance, threads);
        var a = new float[c];
        var b = new float[c];
        var k = new float[c];
        var shift = new float[c];
        for (int ch = 0; ch < c; ch++)
        {
            double sum = 0, squares = 0, count = n * l;
            for (int i = 0; i < n; i++) for (int j = 0; j < l; j++) sum += At(x, i, ch, j);
            double m = sum / count;
            for (int i = 0; i < n; i++) for (int j = 0; j < l; j++) squares += Math.Pow(At(x, i, ch, j) - m, 2);
            Close(m, mean[ch], $"mean[{ch}]");
            Close(squares / count, variance[ch], $"variance[{ch}]");
            (a[ch], b[ch], k[ch], shift[ch]) = (0.5f + ch, -0.25f * ch, 0.1f * ch, 1f - ch);
        }

        var y = new float[x.Length];
        BatchNormKernels.Affine<float>(x, n, c, l, a, shift, y, threads);
        var sumDy = new float[c];
        var sumDyXmu = new float[c];
        BatchNormKernels.GradientSums<float>(x, dy, n, c, l, mean, sumDy, sumDyXmu, threads);
        var dx = new float[x.Length];
        BatchNormKernels.InputGradient<float>(dy, x, n, c, l, mean, a, b, k, dx, threads);
        for (int ch = 0; ch < c; ch++)
        {
            double s1 = 0, s2 = 0;
            for (int i = 0; i < n; i++)
                for (int j = 0; j < l; j++)
                {
                    int at = (i * c + ch) * l + j;
                    s1 += dy[at];
                    s2 += dy[at] * (x[at] - (double)mean[ch]);
                    Close(x[at] * (double)a[ch] + shift[ch], y[at], $"y[{at}]");
                    Close(a[ch] * (double)dy[at] + b[ch] * (x[at] - (double)mean[ch]) + k[ch], dx[at], $"dx[{at}]");
                }
            Close(s1, sumDy[ch], $"sumDy[{ch}]");
            Close(s2, sumDyXmu[ch], $"sumDyXmu[{ch}]");
        }
    }

    private static void Close(double expected, float actual, string what) =>
        Assert.True(Math.Abs(actual - expected) <= 2e-5 * (Math.Abs(expected) + 1), $"{what} is {actual}, expected {expected}");
}
