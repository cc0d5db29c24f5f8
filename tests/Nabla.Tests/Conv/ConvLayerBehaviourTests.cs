using Nabla.NN;

namespace Nabla.Tests.Conv;

/// <summary>
/// What the fixtures cannot show: PyTorch's initialization bounds and seeding, channel dropout statistics and
/// gradient, the int-or-tuple sizes, dtype promotion, strided inputs, and float32 against float64.
/// </summary>
public class ConvLayerBehaviourTests
{
    [Theory]
    [InlineData(3, 8, 3, 3, 1)]
    [InlineData(4, 6, 5, 2, 2)]
    [InlineData(8, 8, 3, 3, 8)]
    public void Conv2dInitIsUniformWithinOneOverSqrtFanIn(int c, int o, int kh, int kw, int groups)
    {
        var layer = new Conv2d(c, o, (kh, kw), groups: groups, generator: new Generator(1));
        Assert.Equal([o, c / groups, kh, kw], layer.Weight.Shape);
        Assert.Equal([o], layer.Bias!.Shape);
        double bound = 1 / Math.Sqrt(c / groups * kh * kw);
        var w = layer.Weight.ToDoubleArray();
        Assert.All(w, v => Assert.InRange(Math.Abs(v), 0, bound));
        Assert.All(layer.Bias.ToDoubleArray(), v => Assert.InRange(Math.Abs(v), 0, bound));
        // U(-b, b) spreads over the whole range: the largest magnitude is near the bound, not far inside it.
        Assert.True(w.Max(Math.Abs) > 0.8 * bound, $"largest |w| {w.Max(Math.Abs)} for bound {bound}");
    }

    [Fact]
    public void Conv1dInitUsesItsOwnFanIn()
    {
        var layer = new Conv1d(4, 4, 5, groups: 2, generator: new Generator(2));
        Assert.Equal([4, 2, 5], layer.Weight.Shape);
        double bound = 1 / Math.Sqrt(2 * 5);
        Assert.All(layer.Weight.ToDoubleArray(), v => Assert.InRange(Math.Abs(v), 0, bound));
        Assert.True(layer.Weight.ToDoubleArray().Max(Math.Abs) > 0.6 * bound);
    }

    [Fact]
    public void SeedingIsReproducibleThroughTheDefaultGenerator()
    {
        Tensor.ManualSeed(7);
        var a = new Conv2d(3, 4, 3);
        Tensor.ManualSeed(7);
        var b = new Conv2d(3, 4, 3);
        var c = new Conv2d(3, 4, 3);
        Assert.Equal(a.Weight.ToArray(), b.Weight.ToArray());
        Assert.Equal(a.Bias!.ToArray(), b.Bias!.ToArray());
        Assert.NotEqual(a.Weight.ToArray(), c.Weight.ToArray());
        Assert.Equal(new Conv2d(3, 4, 3, generator: new Generator(9)).Weight.ToArray(), new Conv2d(3, 4, 3, generator: new Generator(9)).Weight.ToArray());
    }

    [Fact]
    public void NoBiasRegistersNoParameter()
    {
        var layer = new Conv2d(2, 3, 3, bias: false);
        Assert.Null(layer.Bias);
        Assert.Equal(["weight"], layer.NamedParameters().Select(p => p.Name));
        Assert.Equal("Conv2d(2, 3, kernel_size=(3, 3), stride=(1, 1), bias=False)", layer.ToString());
    }

    [Fact]
    public void Size2dFromIntOrTuple()
    {
        Size2d square = 3, pair = (2, 5);
        Assert.Equal((3, 3), (square.H, square.W));
        Assert.Equal((2, 5), (pair.H, pair.W));
        Assert.Equal(new Size2d(3, 3), square);
        Assert.True(square == (3, 3));
        Assert.Equal("(2, 5)", pair.ToString());
        Assert.Equal("MaxPool2d(kernel_size=3, stride=(2, 1), padding=1, dilation=1, ceil_mode=False)",
                     new MaxPool2d(3, (2, 1), 1).ToString());
        Assert.Equal("Conv2d(1, 2, kernel_size=(3, 3), stride=(2, 2), padding=(1, 0))", new Conv2d(1, 2, 3, 2, (1, 0)).ToString());
    }

    [Fact]
    public void Dropout2dZeroesWholeChannelsAndScalesTheRest()
    {
        var x = Tensor.Ones(50, 40, 3, 2);
        x.RequiresGrad = true;
        var y = x.Dropout2d(0.25, generator: new Generator(4));
        var values = y.ToArray();
        int dropped = 0;
        for (int ch = 0; ch < 50 * 40; ch++)
        {
            var plane = values.AsSpan(ch * 6, 6).ToArray();
            Assert.True(plane.All(v => v == 0f) || plane.All(v => Math.Abs(v - 1 / 0.75f) < 1e-6), $"channel {ch} is mixed");
            if (plane[0] == 0f) dropped++;
        }
        // 2000 Bernoulli(0.25) draws: 500 expected, standard deviation about 19.
        Assert.InRange(dropped, 420, 580);
        y.Backward(Tensor.OnesLike(y));
        Assert.Equal(values, x.Grad!.ToArray());
    }

    [Fact]
    public void Dropout2dEvalAndEdgeProbabilities()
    {
        var x = Tensor.Randn(2, 3, 2, 2);
        var layer = new Dropout2d(0.5);
        layer.Eval();
        Assert.Same(x, layer.Call(x));
        Assert.Same(x, x.Dropout2d(0));
        Assert.All(x.Dropout2d(1).ToArray(), v => Assert.Equal(0f, v));
        Assert.Equal("Dropout2d(p=0.5, inplace=False)", layer.ToString());
    }

    [Fact]
    public void Dropout2dUsesTheDefaultGeneratorWhenNoneIsGiven()
    {
        var layer = new Dropout2d(0.5);
        var x = Tensor.Ones(4, 8, 2, 2);
        Tensor.ManualSeed(3);
        var a = layer.Call(x).ToArray();
        Tensor.ManualSeed(3);
        Assert.Equal(a, layer.Call(x).ToArray());
    }

    [Fact]
    public void StridedInputsAndMixedDtypes()
    {
        var g = new Generator(5);
        var nhwc = Tensor.Randn([2, 6, 7, 3], g);            // stored (N, H, W, C)
        var x = nhwc.Permute(0, 3, 1, 2);                    // viewed (N, C, H, W), not contiguous
        x.RequiresGrad = false;
        var w = Tensor.Randn([4, 3, 3, 3], g);
        var expected = Tensor.Conv2d(x.Contiguous(), w, padding: 1).ToArray();
        Assert.Equal(expected, Tensor.Conv2d(x, w, padding: 1).ToArray());
        Assert.Equal(x.Contiguous().MaxPool2d(2).ToArray(), x.MaxPool2d(2).ToArray());

        var mixed = Tensor.Conv2d(x, w.Double(), padding: 1);
        Assert.Equal(DType.Float64, mixed.DType);
        var reference = Tensor.Conv2d(x.Double(), w.Double(), padding: 1).ToDoubleArray();
        Assert.Equal(reference, mixed.ToDoubleArray());
    }

    [Fact]
    public void Float32AgreesWithFloat64()
    {
        var g = new Generator(6);
        var x = Tensor.Randn([3, 4, 9, 8], g);
        var w = Tensor.Randn([6, 2, 3, 3], g);
        var b = Tensor.Randn([6], g);
        Tensor Net(Tensor a, Tensor k, Tensor c) =>
            Tensor.Conv2d(a, k, c, stride: (1, 2), padding: 1, groups: 2).MaxPool2d(2, padding: 1).AvgPool2d(2, ceilMode: true).AdaptiveAvgPool2d((2, 1));
        var y32 = Net(x, w, b).ToDoubleArray();
        var y64 = Net(x.Double(), w.Double(), b.Double()).ToDoubleArray();
        for (int i = 0; i < y32.Length; i++) Assert.True(Math.Abs(y32[i] - y64[i]) < 1e-5 * (1 + Math.Abs(y64[i])), $"element {i}");
    }

    [Fact]
    public void ModuleToDoubleKeepsTheLayerWorking()
    {
        var layer = new Conv2d(2, 3, 3, padding: 1, generator: new Generator(8));
        var before = layer.Call(Tensor.Ones(1, 2, 4, 4)).ToDoubleArray();
        layer.Double();
        Assert.Equal(DType.Float64, layer.Weight.DType);
        var after = layer.Call(Tensor.Ones(1, 2, 4, 4).Double()).ToDoubleArray();
        for (int i = 0; i < before.Length; i++) Assert.Equal(before[i], after[i], 5);
    }
}
