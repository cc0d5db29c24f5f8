using Nabla.Scalar;

namespace Nabla.Tests.Scalar;

// Bad input fails where it happens, with a message that names the value at fault.
public class ValueErrorTests
{
    [Theory]
    [InlineData(double.NaN, "NaN")]
    [InlineData(double.PositiveInfinity, "Infinity")]
    [InlineData(double.NegativeInfinity, "-Infinity")]
    public void NonFiniteData_IsRejectedAtCreation(double data, string shown)
    {
        var e = Assert.Throws<ArgumentException>(() => new Value(data, "x1"));
        Assert.Contains("finite", e.Message);
        Assert.Contains("'x1'", e.Message);
        Assert.Contains(shown, e.Message);
    }

    [Fact]
    public void NonFiniteData_IsRejectedBySetter_NamingTheValue()
    {
        var w = new Value(1.0, "w3");
        var e = Assert.Throws<ArgumentException>(() => w.Data = double.NaN);
        Assert.Contains("'w3'", e.Message);
        Assert.Equal(1.0, w.Data); // unchanged
    }

    [Fact]
    public void NonFiniteConstant_IsRejected()
    {
        var a = new Value(1.0);
        Assert.Throws<ArgumentException>(() => a + double.NaN);
        Assert.Throws<ArgumentException>(() => double.PositiveInfinity * a);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(-1.0)]
    public void Log_OfNonPositive_Throws(double x)
    {
        var v = new Value(x, "x");
        var e = Assert.Throws<ArgumentException>(() => v.Log());
        Assert.Contains("Log", e.Message);
        Assert.Contains("'x'", e.Message);
        Assert.Contains($"data={x.ToString(System.Globalization.CultureInfo.InvariantCulture)}", e.Message);
        Assert.Contains("positive", e.Message);
    }

    [Fact]
    public void Pow_NegativeBaseWithFractionalExponent_Throws()
    {
        var e = Assert.Throws<ArgumentException>(() => new Value(-2.0, "base").Pow(0.5));
        Assert.Contains("'base'", e.Message);
        Assert.Contains("-2", e.Message);
        Assert.Contains("0.5", e.Message);
        Assert.Contains("negative base", e.Message);
    }

    [Fact]
    public void Pow_NegativeBaseWithIntegerExponent_IsFine()
    {
        Assert.Equal(-8.0, new Value(-2.0).Pow(3).Data);
        Assert.Equal(0.25, new Value(-2.0).Pow(-2).Data);
    }

    [Fact]
    public void Pow_ZeroBaseWithNegativeExponent_Throws()
    {
        var e = Assert.Throws<ArgumentException>(() => new Value(0.0, "z").Pow(-1));
        Assert.Contains("'z'", e.Message);
        Assert.Contains("zero to a negative power", e.Message);
    }

    [Fact]
    public void Pow_ZeroBaseWithExponentBelowOne_Throws_BecauseTheDerivativeIsInfinite()
    {
        var e = Assert.Throws<ArgumentException>(() => new Value(0.0, "z").Pow(0.5));
        Assert.Contains("'z'", e.Message);
        Assert.Contains("infinite", e.Message);
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void Pow_NonFiniteExponent_Throws(double exponent)
    {
        var e = Assert.Throws<ArgumentException>(() => new Value(2.0, "x").Pow(exponent));
        Assert.Contains("finite exponent", e.Message);
        Assert.Contains("'x'", e.Message);
    }

    [Fact]
    public void Division_ByZeroValue_Throws_NamingTheDivisor()
    {
        var a = new Value(1.0, "a");
        var b = new Value(0.0, "b");
        var e = Assert.Throws<ArgumentException>(() => a / b);
        Assert.Contains("Division by zero", e.Message);
        Assert.Contains("'b'", e.Message);

        e = Assert.Throws<ArgumentException>(() => 1.0 / b);
        Assert.Contains("'b'", e.Message);
    }

    [Fact]
    public void Division_ByZeroConstant_Throws_NamingTheDividend()
    {
        var e = Assert.Throws<ArgumentException>(() => new Value(1.0, "a") / 0.0);
        Assert.Contains("Division by zero", e.Message);
        Assert.Contains("'a'", e.Message);
    }

    [Fact]
    public void Exp_Overflow_Throws_NamingTheInput()
    {
        var e = Assert.Throws<OverflowException>(() => new Value(1000, "big").Exp());
        Assert.Contains("exp", e.Message);
        Assert.Contains("'big'", e.Message);
        Assert.Contains("1000", e.Message);
    }

    [Fact]
    public void Product_Overflow_Throws_NamingBothInputs()
    {
        var e = Assert.Throws<OverflowException>(() => new Value(1e200, "p") * new Value(1e200, "q"));
        Assert.Contains("'p'", e.Message);
        Assert.Contains("'q'", e.Message);
    }

    [Fact]
    public void NullOperands_Throw()
    {
        var a = new Value(1.0);
        Value? none = null;
        Assert.Throws<ArgumentNullException>(() => a + none!);
        Assert.Throws<ArgumentNullException>(() => none! * a);
        Assert.Throws<ArgumentNullException>(() => a - none!);
        Assert.Throws<ArgumentNullException>(() => a / none!);
        Assert.Throws<ArgumentNullException>(() => -none!);
    }
}
