using System.Runtime.Intrinsics;
using Nabla.Kernels;

namespace Nabla.Tests.Kernels;

/// <summary>The error function kernel against values computed in 40-digit arithmetic (mpmath), and its float path against the double one.</summary>
public class ErfTests
{
    // x, erf(x), erfc(x): mpmath.erf / mpmath.erfc at 40 digits, rounded to double. The points straddle every
    // piece boundary of the approximation (0.5, 1.25, 2.25, 3.5, 6) and reach deep into the tail.
    [Theory]
    [InlineData(1e-10, 1.1283791670955126e-10, 0.999999999887162)]
    [InlineData(0.1, 0.1124629160182849, 0.887537083981715)]
    [InlineData(0.25, 0.27632639016823696, 0.7236736098317631)]
    [InlineData(0.4999, 0.5204119951613866, 0.4795880048386134)]
    [InlineData(0.5, 0.5204998778130465, 0.4795001221869535)]
    [InlineData(0.75, 0.7111556336535151, 0.28884436634648486)]
    [InlineData(0.875, 0.7840750610598597, 0.21592493894014034)]
    [InlineData(1.0, 0.8427007929497149, 0.15729920705028513)]
    [InlineData(1.2499, 0.922876473187532, 0.07712352681246806)]
    [InlineData(1.25, 0.9229001282564583, 0.07709987174354177)]
    [InlineData(1.5, 0.9661051464753108, 0.033894853524689274)]
    [InlineData(2.0, 0.9953222650189527, 0.004677734981047266)]
    [InlineData(2.25, 0.9985372834133188, 0.0014627165866811518)]
    [InlineData(2.5, 0.999593047982555, 0.0004069520174449589)]
    [InlineData(3.0, 0.9999779095030014, 2.209049699858544e-05)]
    [InlineData(3.5, 0.9999992569016276, 7.430983723414128e-07)]
    [InlineData(4.0, 0.9999999845827421, 1.541725790028002e-08)]
    [InlineData(5.0, 0.9999999999984626, 1.537459794428035e-12)]
    [InlineData(5.9999, 1.0, 2.1545925434894867e-17)]
    [InlineData(6.0, 1.0, 2.1519736712498913e-17)]
    [InlineData(7.0, 1.0, 4.183825607779414e-23)]
    [InlineData(10.0, 1.0, 2.088487583762545e-45)]
    [InlineData(15.0, 1.0, 7.212994172451207e-100)]
    [InlineData(20.0, 1.0, 5.395865611607901e-176)]
    [InlineData(26.0, 1.0, 5.663192408856143e-296)]
    [InlineData(-0.3, -0.3286267594591274, 1.3286267594591274)]
    [InlineData(-0.8, -0.7421009647076605, 1.7421009647076604)]
    [InlineData(-1.7, -0.9837904585907745, 1.9837904585907746)]
    [InlineData(-3.2, -0.9999939742388483, 1.9999939742388482)]
    [InlineData(-5.5, -0.9999999999999927, 1.9999999999999927)]
    public void DoubleMatchesHighPrecisionValues(double x, double erf, double erfc)
    {
        AssertRelative(erf, ErrorFunction.Erf(x), 1e-15, $"erf({x})");
        AssertRelative(erfc, ErrorFunction.Erfc(x), 1e-15, $"erfc({x})");
    }

    [Fact]
    public void SpecialValues()
    {
        Assert.Equal(0.0, ErrorFunction.Erf(0.0));
        Assert.True(double.IsNegative(ErrorFunction.Erf(-0.0)), "erf(-0) keeps the sign");
        Assert.Equal(1.0, ErrorFunction.Erfc(0.0));
        Assert.Equal(1.0, ErrorFunction.Erf(double.PositiveInfinity));
        Assert.Equal(-1.0, ErrorFunction.Erf(double.NegativeInfinity));
        Assert.Equal(0.0, ErrorFunction.Erfc(double.PositiveInfinity));
        Assert.Equal(2.0, ErrorFunction.Erfc(double.NegativeInfinity));
        Assert.Equal(0.0, ErrorFunction.Erfc(1e200)); // a*a would overflow: must not become NaN
        Assert.True(double.IsNaN(ErrorFunction.Erf(double.NaN)));
        Assert.True(double.IsNaN(ErrorFunction.Erfc(double.NaN)));
        Assert.True(float.IsNaN(ErrorFunction.Erf(float.NaN)));
        Assert.True(float.IsNaN(ErrorFunction.Erfc(float.NaN)));
        Assert.Equal(0f, ErrorFunction.Erfc(float.PositiveInfinity));
        Assert.Equal(2f, ErrorFunction.Erfc(float.NegativeInfinity));
    }

    [Fact]
    public void DoubleIsOddComplementaryAndContinuousAcrossPieces()
    {
        for (double x = -7; x <= 7; x += 0.01)
        {
            Assert.Equal(-ErrorFunction.Erf(x), ErrorFunction.Erf(-x));
            Assert.True(Math.Abs(ErrorFunction.Erf(x) + ErrorFunction.Erfc(x) - 1) <= 2.3e-16, $"erf + erfc at {x}");
        }
        foreach (double b in new[] { 0.5, 1.25, 2.25, 3.5, 6.0 })
        {
            // One ulp below a boundary the other piece is used; the step must be what the slope predicts.
            double below = Math.BitDecrement(b);
            double slope = -2 / Math.Sqrt(Math.PI) * Math.Exp(-b * b);
            AssertRelative(ErrorFunction.Erfc(below) + slope * (b - below), ErrorFunction.Erfc(b), 1e-15, $"erfc across {b}");
        }
    }

    [Fact]
    public void FloatPathIsAccurateToFloatPrecisionInBothTails()
    {
        // Relative error of erfc stays near 1e-7 even where the value is tiny (the right tail).
        for (float x = -9f; x <= 9f; x += 0.0037f)
        {
            AssertRelative(ErrorFunction.Erfc((double)x), ErrorFunction.Erfc(x), 3e-7, $"float erfc({x})");
            AssertRelative(ErrorFunction.Erf((double)x), ErrorFunction.Erf(x), 3e-7, $"float erf({x})");
        }
    }

    [Fact]
    public void VectorFloatPathMatchesScalarFloatPath()
    {
        var xs = new float[64];
        for (int i = 0; i < xs.Length; i++) xs[i] = -8f + 0.25f * i;
        for (int i = 0; i < xs.Length; i += 8)
        {
            var v = Vector256.Create(xs, i);
            var erf = ErrorFunction.Erf(v);
            var erfc = ErrorFunction.Erfc(v);
            for (int k = 0; k < 8; k++)
            {
                AssertRelative(ErrorFunction.Erf(xs[i + k]), erf[k], 1.2e-7, $"erf lane at {xs[i + k]}");
                AssertRelative(ErrorFunction.Erfc(xs[i + k]), erfc[k], 1.2e-7, $"erfc lane at {xs[i + k]}");
            }
        }
    }

    private static void AssertRelative(double expected, double actual, double tolerance, string what) =>
        Assert.True(Math.Abs(actual - expected) <= tolerance * Math.Abs(expected),
            $"{what}: {actual:R}, expected {expected:R} (relative error {Math.Abs(actual - expected) / Math.Abs(expected):G3})");
}
