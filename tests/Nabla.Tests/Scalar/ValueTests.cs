using Nabla.Scalar;

namespace Nabla.Tests.Scalar;

public class ValueTests
{
    // micrograd's README / test_more_ops, with the values it prints.
    [Fact]
    public void MicrogradReadmeExpression_GivesMicrogradsNumbers()
    {
        var a = new Value(-4.0);
        var b = new Value(2.0);
        var g = MicrogradReadme(a, b);
        g.Backward();

        Assert.Equal(24.7041, g.Data, 1e-4);
        Assert.Equal(138.8338, a.Grad, 1e-4);
        Assert.Equal(645.5773, b.Grad, 1e-4);
    }

    internal static Value MicrogradReadme(Value a, Value b)
    {
        var c = a + b;
        var d = a * b + b.Pow(3);
        c += c + 1;
        c += 1 + c + (-a);
        d += d * 2 + (b + a).Relu();
        d += 3 * d + (b - a).Relu();
        var e = c - d;
        var f = e.Pow(2);
        var g = f / 2.0;
        g += 10.0 / f;
        return g;
    }

    [Fact]
    public void GradientsAccumulate_WhenAValueIsUsedMoreThanOnce()
    {
        var a = new Value(3.0, "a");
        var b = a + a;
        var c = b + b;
        c.Backward();

        Assert.Equal(12.0, c.Data);
        Assert.Equal(4.0, a.Grad);
        Assert.Equal(2.0, b.Grad);
    }

    [Fact]
    public void SelfProduct_HasDerivativeTwoX()
    {
        var a = new Value(-1.5);
        (a * a).Backward();
        Assert.Equal(-3.0, a.Grad);
    }

    [Fact]
    public void OperationsRecordTheirNameAndInputs()
    {
        var a = new Value(2.0, "a");
        var b = new Value(-3.0, "b");

        Assert.True(a.IsLeaf);
        Assert.Equal("", a.Op);
        Assert.Empty(a.Children);

        var sum = a + b;
        Assert.False(sum.IsLeaf);
        Assert.Equal("+", sum.Op);
        Assert.Equal([a, b], sum.Children);

        Assert.Equal("*", (a * b).Op);
        Assert.Equal("**2", a.Pow(2).Op);
        Assert.Equal("**-1.5", a.Pow(-1.5).Op);
        Assert.Equal("exp", a.Exp().Op);
        Assert.Equal("log", a.Log().Op);
        Assert.Equal("tanh", a.Tanh().Op);
        Assert.Equal("ReLU", a.Relu().Op);
        Assert.Equal("sigmoid", a.Sigmoid().Op);

        var t = a.Tanh();
        Assert.Same(a, Assert.Single(t.Children));
    }

    [Fact]
    public void DerivedOperations_AreBuiltFromPrimitives_AsInMicrograd()
    {
        var a = new Value(5.0);
        var b = new Value(2.0);

        // a - b = a + (b * -1)
        var diff = a - b;
        Assert.Equal("+", diff.Op);
        Assert.Equal("*", diff.Children[1].Op);
        Assert.Equal(-1.0, diff.Children[1].Children[1].Data);

        // a / b = a * b**-1
        var quotient = a / b;
        Assert.Equal("*", quotient.Op);
        Assert.Equal("**-1", quotient.Children[1].Op);
        Assert.Equal(2.5, quotient.Data);
    }

    [Fact]
    public void DoubleOperands_WorkOnEitherSide()
    {
        var a = new Value(4.0);
        Assert.Equal(6.0, (a + 2).Data);
        Assert.Equal(6.0, (2 + a).Data);
        Assert.Equal(2.0, (a - 2).Data);
        Assert.Equal(-2.0, (2 - a).Data);
        Assert.Equal(8.0, (a * 2).Data);
        Assert.Equal(8.0, (2 * a).Data);
        Assert.Equal(2.0, (a / 2).Data);
        Assert.Equal(0.5, (2 / a).Data);
        Assert.Equal(-4.0, (-a).Data);
    }

    [Fact]
    public void DataAndGradAreSettable()
    {
        var p = new Value(1.0) { Grad = 0.5 };
        p.Data -= 0.1 * p.Grad;
        Assert.Equal(0.95, p.Data, 1e-15);
        p.Grad = 0;
        Assert.Equal(0.0, p.Grad);
    }

    [Fact]
    public void ToString_FollowsMicrograd_AndShowsTheLabel()
    {
        Assert.Equal("Value(data=2.5, grad=0)", new Value(2.5).ToString());
        Assert.Equal("Value(label=w1, data=-3, grad=0)", new Value(-3, "w1").ToString());
    }

    [Fact]
    public void Sum_ChainsAdditions()
    {
        var values = new[] { new Value(1), new Value(2), new Value(3) };
        var total = Value.Sum(values);
        Assert.Equal(6.0, total.Data);
        total.Backward();
        Assert.All(values, v => Assert.Equal(1.0, v.Grad));

        Assert.Equal(6.0, Value.Sum(values.ToList()).Data);
        Assert.Equal(0.0, Value.Sum(Array.Empty<Value>()).Data);
        Assert.Same(values[0], Value.Sum(values[0]));
    }

    [Fact]
    public void Relu_HasZeroGradientAtZero_AsPyTorch()
    {
        var x = new Value(0.0);
        x.Relu().Backward();
        Assert.Equal(0.0, x.Grad);
    }

    [Fact]
    public void Sigmoid_IsStableForLargeInputs()
    {
        Assert.Equal(1.0, new Value(800).Sigmoid().Data);
        Assert.Equal(0.0, new Value(-800).Sigmoid().Data);
        Assert.Equal(0.5, new Value(0).Sigmoid().Data);
    }
}
