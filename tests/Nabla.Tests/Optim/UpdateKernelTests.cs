using System.Numerics;
using Nabla.Kernels;

namespace Nabla.Tests.Optim;

/// <summary>
/// The SIMD update kernels against plain per-element loops written here, for every length 0..70 (so the vector
/// body and every tail length run, for 8 floats and 4 doubles a vector) and every option combination.
/// The operations are the same in the same order, so the results must be identical.
/// </summary>
public class UpdateKernelTests
{
    private const int MaxLength = 70;

    private static T[] Random<T>(Random rng, int n, double scale, double offset = 0) where T : IFloatingPointIeee754<T> =>
        Enumerable.Range(0, n).Select(_ => T.CreateTruncating(offset + scale * (rng.NextDouble() * 2 - 1))).ToArray();

    private static T[] Positive<T>(Random rng, int n) where T : IFloatingPointIeee754<T> =>
        Enumerable.Range(0, n).Select(_ => T.CreateTruncating(0.01 + rng.NextDouble())).ToArray();

    private static T C<T>(double v) where T : IFloatingPointIeee754<T> => T.CreateTruncating(v);

    public static IEnumerable<object[]> Flags3 =>
        from a in new[] { false, true } from b in new[] { false, true } from c in new[] { false, true } select new object[] { a, b, c };

    [Theory]
    [MemberData(nameof(Flags3))]
    public void SgdMatchesTheScalarLoop(bool decay, bool momentum, bool nesterov)
    {
        Sgd<float>(decay, momentum, nesterov);
        Sgd<double>(decay, momentum, nesterov);
    }

    private static void Sgd<T>(bool decay, bool withMomentum, bool nesterov) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var rng = new Random(1);
        double lr = 0.1, momentum = withMomentum ? 0.9 : 0, dampening = 0.2, wd = decay ? 0.05 : 0;
        foreach (bool first in new[] { true, false })
            for (int n = 0; n <= MaxLength; n++)
            {
                T[] p = Random<T>(rng, n, 1), g = Random<T>(rng, n, 2), b = first ? new T[n] : Random<T>(rng, n, 1);
                T[] p2 = (T[])p.Clone(), b2 = (T[])b.Clone();
                SgdUpdate.Run<T>(p, g, withMomentum ? b : default, lr, momentum, dampening, wd, nesterov && withMomentum, maximize: true, first);
                for (int i = 0; i < n; i++)
                {
                    T d = -g[i];
                    if (decay) d += C<T>(wd) * p2[i];
                    if (withMomentum)
                    {
                        b2[i] = first ? d : b2[i] * C<T>(momentum) + C<T>(1 - dampening) * d;
                        d = nesterov ? d + C<T>(momentum) * b2[i] : b2[i];
                    }
                    p2[i] += C<T>(-lr) * d;
                }
                Assert.Equal(p2, p);
                if (withMomentum) Assert.Equal(b2, b);
            }
    }

    [Theory]
    [MemberData(nameof(Flags3))]
    public void AdamMatchesTheScalarLoop(bool decay, bool amsgrad, bool decoupled)
    {
        Adam<float>(decay, amsgrad, decoupled);
        Adam<double>(decay, amsgrad, decoupled);
    }

    private static void Adam<T>(bool decay, bool amsgrad, bool decoupled) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var rng = new Random(2);
        double lr = 0.01, b1 = 0.9, b2 = 0.99, eps = 1e-6, wd = decay ? 0.1 : 0;
        long step = 3;
        for (int n = 0; n <= MaxLength; n++)
        {
            T[] p = Random<T>(rng, n, 1), g = Random<T>(rng, n, 2), m = Random<T>(rng, n, 0.5), v = Positive<T>(rng, n), vMax = Positive<T>(rng, n);
            T[] p2 = (T[])p.Clone(), m2 = (T[])m.Clone(), v2 = (T[])v.Clone(), vMax2 = (T[])vMax.Clone();
            AdamUpdate.Run<T>(p, g, m, v, amsgrad ? vMax : default, step, lr, b1, b2, eps, wd, decoupled, amsgrad, maximize: false);
            T stepSize = C<T>(-(lr / (1 - Math.Pow(b1, step)))), bc2 = C<T>(Math.Sqrt(1 - Math.Pow(b2, step)));
            for (int i = 0; i < n; i++)
            {
                T gi = g[i];
                if (decay && !decoupled) gi += C<T>(wd) * p2[i];
                p2[i] *= C<T>(decoupled ? 1 - lr * wd : 1);
                m2[i] = m2[i] * C<T>(b1) + C<T>(1 - b1) * gi;
                v2[i] = v2[i] * C<T>(b2) + C<T>(1 - b2) * gi * gi;
                T second = v2[i];
                if (amsgrad) second = vMax2[i] = T.Max(vMax2[i], v2[i]);
                p2[i] += stepSize * m2[i] / (T.Sqrt(second) / bc2 + C<T>(eps));
            }
            Assert.Equal(p2, p);
            Assert.Equal(m2, m);
            Assert.Equal(v2, v);
            if (amsgrad) Assert.Equal(vMax2, vMax);
        }
    }

    [Theory]
    [MemberData(nameof(Flags3))]
    public void RmspropMatchesTheScalarLoop(bool decay, bool centered, bool momentum)
    {
        Rmsprop<float>(decay, centered, momentum);
        Rmsprop<double>(decay, centered, momentum);
    }

    private static void Rmsprop<T>(bool decay, bool centered, bool withMomentum) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var rng = new Random(3);
        double lr = 0.01, alpha = 0.9, eps = 1e-6, wd = decay ? 0.1 : 0, momentum = withMomentum ? 0.8 : 0;
        for (int n = 0; n <= MaxLength; n++)
        {
            T[] p = Random<T>(rng, n, 1), g = Random<T>(rng, n, 2), sq = Positive<T>(rng, n), ga = Random<T>(rng, n, 0.05), b = Random<T>(rng, n, 0.5);
            T[] p2 = (T[])p.Clone(), sq2 = (T[])sq.Clone(), ga2 = (T[])ga.Clone(), b2 = (T[])b.Clone();
            RmspropUpdate.Run<T>(p, g, sq, centered ? ga : default, withMomentum ? b : default, lr, alpha, eps, wd, momentum, centered, maximize: true);
            for (int i = 0; i < n; i++)
            {
                T gi = -g[i];
                if (decay) gi += C<T>(wd) * p2[i];
                sq2[i] = sq2[i] * C<T>(alpha) + C<T>(1 - alpha) * gi * gi;
                T avg;
                if (centered)
                {
                    ga2[i] = ga2[i] * C<T>(alpha) + C<T>(1 - alpha) * gi;
                    avg = T.Sqrt(sq2[i] - ga2[i] * ga2[i]);
                }
                else avg = T.Sqrt(sq2[i]);
                avg += C<T>(eps);
                if (withMomentum)
                {
                    b2[i] = b2[i] * C<T>(momentum) + gi / avg;
                    p2[i] += C<T>(-lr) * b2[i];
                }
                else p2[i] += C<T>(-lr) * gi / avg;
            }
            Assert.Equal(p2, p);
            Assert.Equal(sq2, sq);
            if (centered) Assert.Equal(ga2, ga);
            if (withMomentum) Assert.Equal(b2, b);
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void AdagradMatchesTheScalarLoop(bool decay)
    {
        Adagrad<float>(decay);
        Adagrad<double>(decay);
    }

    private static void Adagrad<T>(bool decay) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var rng = new Random(4);
        double lr = 0.1, lrDecay = 0.01, eps = 1e-10, wd = decay ? 0.1 : 0;
        long step = 5;
        for (int n = 0; n <= MaxLength; n++)
        {
            T[] p = Random<T>(rng, n, 1), g = Random<T>(rng, n, 2), sum = Positive<T>(rng, n);
            T[] p2 = (T[])p.Clone(), sum2 = (T[])sum.Clone();
            AdagradUpdate.Run<T>(p, g, sum, step, lr, lrDecay, eps, wd, maximize: false);
            T negClr = C<T>(-(lr / (1 + (step - 1) * lrDecay)));
            for (int i = 0; i < n; i++)
            {
                T gi = g[i];
                if (decay) gi += C<T>(wd) * p2[i];
                sum2[i] += gi * gi;
                p2[i] += negClr * gi / (T.Sqrt(sum2[i]) + C<T>(eps));
            }
            Assert.Equal(p2, p);
            Assert.Equal(sum2, sum);
        }
    }

    [Fact]
    public void GradNormsMatchDoubleLoops()
    {
        var rng = new Random(5);
        for (int n = 0; n <= MaxLength; n++)
        {
            float[] f = Random<float>(rng, n, 3);
            double[] d = f.Select(x => (double)x).ToArray();
            Close(d.Sum(x => x * x), GradNorms.SumOfSquares<float>(f));
            Close(d.Sum(Math.Abs), GradNorms.SumOfMagnitudes<float>(f));
            Assert.Equal(n == 0 ? 0 : d.Max(Math.Abs), GradNorms.MaxMagnitude<float>(f));
            Close(d.Sum(x => x * x), GradNorms.SumOfSquares<double>(d));
            Close(d.Sum(x => Math.Pow(Math.Abs(x), 3)), GradNorms.SumOfPowers<double>(d, 3));
        }
    }

    private static void Close(double expected, double actual) =>
        Assert.True(Math.Abs(actual - expected) <= 1e-13 * (1 + Math.Abs(expected)), $"{actual:R} but the double loop gives {expected:R}");

    [Fact]
    public void KernelsRefuseSpansOfDifferentLengths()
    {
        var error = Assert.Throws<ArgumentException>(() => AdamUpdate.Run<float>(new float[4], new float[3], new float[4], new float[4], default, 1, 0.1, 0.9, 0.99, 1e-8, 0, false, false, false));
        Assert.Contains("grad 3", error.Message);
    }
}
