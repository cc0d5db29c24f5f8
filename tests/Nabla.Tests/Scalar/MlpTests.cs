using Nabla.Scalar;

namespace Nabla.Tests.Scalar;

public class MlpTests
{
    [Fact]
    public void Mlp_HasMicrogradsShapes()
    {
        var model = new MLP(3, new[] { 4, 4, 1 });

        Assert.Equal(3, model.Layers.Count);
        Assert.Equal(3, model.InputCount);
        Assert.Equal(1, model.OutputCount);
        Assert.Equal(4 * (3 + 1) + 4 * (4 + 1) + 1 * (4 + 1), model.Parameters().Count);
        Assert.Equal(4, model.Layers[0].Neurons.Count);
        Assert.Equal(3, model.Layers[0].Neurons[0].Weights.Count);

        var y = model.Forward([2.0, 3.0, -1.0]);
        Assert.Single(y);
    }

    [Fact]
    public void Parameters_AreInMicrogradsOrder_WeightsThenBias()
    {
        var model = new MLP(2, [3, 1]);
        var expected = model.Layers.SelectMany(l => l.Neurons).SelectMany(n => n.Weights.Append(n.Bias));
        Assert.Equal(expected, model.Parameters());
    }

    [Fact]
    public void SameSeed_SameWeights_OtherSeed_OtherWeights()
    {
        double[] Weights(int seed) => new MLP(3, [4, 4, 1], Activation.Tanh, seed).Parameters().Select(p => p.Data).ToArray();

        Assert.Equal(Weights(5), Weights(5));
        Assert.NotEqual(Weights(5), Weights(6));
        Assert.All(Weights(5), w => Assert.InRange(w, -1.0, 1.0));
        Assert.Equal(Weights(MLP.DefaultSeed), new MLP(3, [4, 4, 1]).Parameters().Select(p => p.Data));
    }

    [Fact]
    public void TanhConfiguration_PutsTanhInEveryLayer_WithRandomBiases()
    {
        var model = new MLP(3, [4, 4, 1], Activation.Tanh, seed: 1);
        var neurons = model.Layers.SelectMany(l => l.Neurons).ToList();

        Assert.All(neurons, n => Assert.Equal(Activation.Tanh, n.Activation));
        Assert.All(neurons, n => Assert.NotEqual(0.0, n.Bias.Data));
        Assert.Equal("tanh", model.Forward([1.0, 2.0, 3.0])[0].Op);
    }

    [Fact]
    public void ReluConfiguration_HasLinearLastLayer_AndZeroBiases()
    {
        var model = new MLP(2, [16, 16, 1], Activation.Relu, seed: 1);

        Assert.All(model.Layers[0].Neurons, n => Assert.Equal(Activation.Relu, n.Activation));
        Assert.All(model.Layers[1].Neurons, n => Assert.Equal(Activation.Relu, n.Activation));
        Assert.Equal(Activation.Linear, Assert.Single(model.Layers[2].Neurons).Activation);
        Assert.All(model.Layers.SelectMany(l => l.Neurons), n => Assert.Equal(0.0, n.Bias.Data));
        Assert.Equal("+", model.Forward([0.5, -0.5])[0].Op);
    }

    [Fact]
    public void Neuron_ComputesActivationOfWeightedSumPlusBias()
    {
        var neuron = new Neuron(2, Activation.Tanh, new Random(3));
        double w0 = neuron.Weights[0].Data, w1 = neuron.Weights[1].Data, b = neuron.Bias.Data;

        var y = neuron.Forward([new Value(0.5), new Value(-2.0)]);

        Assert.Equal(Math.Tanh(b + w0 * 0.5 + w1 * -2.0), y.Data, 1e-15);
    }

    [Fact]
    public void ForwardOnDoubles_EqualsForwardOnValues()
    {
        var model = new MLP(3, [4, 2], Activation.Relu, seed: 2);
        double[] x = [0.3, -1.2, 2.5];

        var fromDoubles = model.Forward(x).Select(v => v.Data);
        var fromValues = model.Forward(x.Select(d => new Value(d)).ToArray()).Select(v => v.Data);

        Assert.Equal(fromValues, fromDoubles);
    }

    [Fact]
    public void ZeroGrad_ClearsEveryParameter()
    {
        var model = new MLP(3, [4, 4, 1]);
        model.Forward([1.0, 2.0, 3.0])[0].Backward();
        Assert.Contains(model.Parameters(), p => p.Grad != 0);

        model.ZeroGrad();

        Assert.All(model.Parameters(), p => Assert.Equal(0.0, p.Grad));
    }

    [Fact]
    public void ToString_FollowsMicrograd()
    {
        Assert.Equal("MLP of [Layer of [ReluNeuron(2), ReluNeuron(2)], Layer of [LinearNeuron(2)]]",
            new MLP(2, [2, 1], Activation.Relu).ToString());
    }

    [Fact]
    public void NoLayers_Throws()
    {
        var e = Assert.Throws<ArgumentException>(() => new MLP(3, Array.Empty<int>()));
        Assert.Contains("at least one layer", e.Message);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-2)]
    public void NonPositiveLayerSize_Throws_NamingTheLayer(int size)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new MLP(3, [4, size, 1]));
        Assert.Contains($"layer 1 has size {size}", e.Message);
    }

    [Fact]
    public void NonPositiveInputCount_Throws()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new MLP(0, [4, 1]));
        Assert.Contains("given 0", e.Message);
    }

    [Fact]
    public void Forward_WithWrongInputCount_NamesExpectedAndGiven()
    {
        var model = new MLP(3, [4, 4, 1]);

        var e = Assert.Throws<ArgumentException>(() => model.Forward([1.0, 2.0]));
        Assert.Contains("expects 3 inputs but was given 2", e.Message);

        e = Assert.Throws<ArgumentException>(() => model.Forward([new Value(1), new Value(2), new Value(3), new Value(4)]));
        Assert.Contains("expects 3 inputs but was given 4", e.Message);

        e = Assert.Throws<ArgumentException>(() => model.Layers[1].Neurons[0].Forward([new Value(1)]));
        Assert.Contains("expects 4 inputs but was given 1", e.Message);
    }
}
