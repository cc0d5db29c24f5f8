using Nabla.NN;

namespace Nabla.Tests.NN;

/// <summary>
/// Init against PyTorch's formulas: gains, fans, the bounds of the uniform initializations and the spread of the normal
/// ones (sample statistics within a few standard errors), in place on parameters without a graph.
/// </summary>
public class InitTests
{
    [Theory]
    [InlineData(Nonlinearity.Linear, null, 1.0)]
    [InlineData(Nonlinearity.Conv2d, null, 1.0)]
    [InlineData(Nonlinearity.Sigmoid, null, 1.0)]
    [InlineData(Nonlinearity.Tanh, null, 5.0 / 3)]
    [InlineData(Nonlinearity.ReLU, null, 1.4142135623730951)]
    [InlineData(Nonlinearity.LeakyReLU, null, 1.4141428569978354)]   // torch: calculate_gain('leaky_relu')
    [InlineData(Nonlinearity.LeakyReLU, 0.2, 1.3867504905630728)]
    [InlineData(Nonlinearity.LeakyReLU, 2.23606797749979, 0.5773502691896257)] // sqrt(5): Linear's init
    [InlineData(Nonlinearity.SELU, null, 0.75)]
    public void GainsAreTorchs(Nonlinearity nonlinearity, double? param, double expected) =>
        Assert.Equal(expected, Init.CalculateGain(nonlinearity, param), 12);

    [Fact]
    public void FansFollowTheWeightLayout()
    {
        Assert.Equal((5, 3), Init.CalculateFanInAndFanOut(Tensor.Zeros(3, 5)));        // Linear (out, in)
        Assert.Equal((4 * 9, 8 * 9), Init.CalculateFanInAndFanOut(Tensor.Zeros(8, 4, 3, 3))); // Conv2d (out, in, kh, kw)
        var error = Assert.Throws<ArgumentException>(() => Init.CalculateFanInAndFanOut(Tensor.Zeros(4)));
        Assert.Contains("fewer than 2 dims (shape (4,))", error.Message);
        Assert.Throws<ArgumentException>(() => Init.XavierUniform(Tensor.Zeros(4)));
    }

    [Fact]
    public void UniformInitializationsStayWithinTheirBounds()
    {
        var w = Tensor.Zeros(64, 100);
        Init.KaimingUniform(w, generator: new Generator(1));
        AssertBoundedUniform(w, Math.Sqrt(3) * Init.CalculateGain(Nonlinearity.LeakyReLU, 0) / Math.Sqrt(100));
        Init.KaimingUniform(w, mode: FanMode.FanOut, nonlinearity: Nonlinearity.ReLU, generator: new Generator(2));
        AssertBoundedUniform(w, Math.Sqrt(2) * Math.Sqrt(3.0 / 64));
        Init.XavierUniform(w, gain: 2, generator: new Generator(3));
        AssertBoundedUniform(w, 2 * Math.Sqrt(6.0 / (100 + 64)));
        Init.Uniform(w, -0.5, 0.25, new Generator(4));
        var v = w.ToDoubleArray();
        Assert.All(v, x => Assert.InRange(x, -0.5, 0.25));
        Assert.InRange(v.Average(), -0.125 - 0.01, -0.125 + 0.01);
    }

    [Fact]
    public void NormalInitializationsHaveTheirSpread()
    {
        var w = Tensor.Zeros(64, 100);
        Init.KaimingNormal(w, nonlinearity: Nonlinearity.ReLU, generator: new Generator(5));
        AssertNormal(w, 0, Math.Sqrt(2.0 / 100));
        Init.KaimingNormal(w, a: 0.3, mode: FanMode.FanOut, generator: new Generator(6));
        AssertNormal(w, 0, Init.CalculateGain(Nonlinearity.LeakyReLU, 0.3) / Math.Sqrt(64));
        Init.XavierNormal(w, generator: new Generator(7));
        AssertNormal(w, 0, Math.Sqrt(2.0 / (100 + 64)));
        Init.Normal(w, 3, 0.5, new Generator(8));
        AssertNormal(w, 3, 0.5);
    }

    [Fact]
    public void ConstantsFillEveryElement()
    {
        var p = new Parameter(Tensor.Randn(3, 4));
        Assert.Same(p, Init.Constant(p, 0.25));
        Assert.All(p.ToArray(), v => Assert.Equal(0.25f, v));
        Init.Ones(p);
        Assert.All(p.ToArray(), v => Assert.Equal(1f, v));
        Init.Zeros(p);
        Assert.All(p.ToArray(), v => Assert.Equal(0f, v));
        var d = Tensor.Zeros(DType.Float64, 2);
        Init.Constant(d, 0.1);
        Assert.Equal([0.1, 0.1], d.ToDoubleArray()); // float64 keeps the double value
    }

    [Fact]
    public void InitWorksOnParametersWhileRecordingAndLeavesNoGraph()
    {
        var p = new Parameter(Tensor.Zeros(4, 3));
        Assert.True(Tensor.IsGradEnabled);
        Init.XavierNormal(p, generator: new Generator(9));
        Assert.True(p.IsLeaf);
        Assert.True(p.RequiresGrad);
        Assert.Null(p.Grad);
        Assert.Contains(p.ToArray(), v => v != 0);
    }

    [Fact]
    public void InitWritesIntoNonContiguousViews()
    {
        var w = Tensor.Zeros(3, 4);
        Init.Constant(w.T.Slice(0, 1, 3), 2); // columns 1 and 2, through a transposed view
        Assert.Equal([0f, 2f, 2f, 0f, 0f, 2f, 2f, 0f, 0f, 2f, 2f, 0f], w.ToArray());
    }

    [Fact]
    public void SameGeneratorSeedGivesTheSameWeights()
    {
        var a = Init.KaimingUniform(Tensor.Zeros(5, 6), generator: new Generator(11));
        var b = Init.KaimingUniform(Tensor.Zeros(5, 6), generator: new Generator(11));
        Assert.Equal(a.ToArray(), b.ToArray());
    }

    [Fact]
    public void EmptyTensorsAreLeftAlone()
    {
        var w = Tensor.Zeros(0, 5);
        Assert.Same(w, Init.KaimingUniform(w));
        Assert.Same(w, Init.XavierNormal(w));
    }

    [Fact]
    public void BadArgumentsAreRejected()
    {
        var error = Assert.Throws<ArgumentException>(() => Init.Uniform(Tensor.Zeros(2), 1, 0));
        Assert.Contains("low = 1, high = 0", error.Message);
        error = Assert.Throws<ArgumentException>(() => Init.Normal(Tensor.Zeros(2), 0, -1));
        Assert.Contains("std >= 0", error.Message);
    }

    private static void AssertBoundedUniform(Tensor w, double bound)
    {
        var v = w.ToDoubleArray();
        Assert.All(v, x => Assert.InRange(x, -bound, bound));
        // The extremes come close to the bound (6400 samples), and the variance is bound^2 / 3 within 5%.
        Assert.True(v.Max() > 0.99 * bound && v.Min() < -0.99 * bound, $"samples do not reach the bound {bound}");
        Assert.InRange(v.Select(x => x * x).Average(), bound * bound / 3 * 0.95, bound * bound / 3 * 1.05);
    }

    private static void AssertNormal(Tensor w, double mean, double std)
    {
        var v = w.ToDoubleArray();
        double m = v.Average();
        double s = Math.Sqrt(v.Select(x => (x - m) * (x - m)).Average());
        // 6400 samples: the mean's standard error is std / 80 and the std's about std / 113; allow 4 of each.
        Assert.InRange(m, mean - 4 * std / 80, mean + 4 * std / 80);
        Assert.InRange(s, std * (1 - 4.0 / 113), std * (1 + 4.0 / 113));
    }
}
