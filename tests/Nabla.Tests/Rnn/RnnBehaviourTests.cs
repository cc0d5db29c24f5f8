using Nabla.IO;
using Nabla.NN;
using Nabla.Tests.Support;

namespace Nabla.Tests.Rnn;

/// <summary>Initialization, float32 against float64, one node per direction, dropout and weights crossing with PyTorch.</summary>
public class RnnBehaviourTests
{
    [Fact]
    public void ParametersAreUniformWithinOneOverSqrtHiddenAndSeeded()
    {
        var a = new LSTM(3, 16, numLayers: 2, bidirectional: true, generator: new Generator(1));
        var b = new LSTM(3, 16, numLayers: 2, bidirectional: true, generator: new Generator(1));
        var values = a.Parameters().SelectMany(p => p.ToArray()).ToArray();
        Assert.All(values, v => Assert.InRange(v, -0.25f, 0.25f));
        Assert.True(values.Max() > 0.24f && values.Min() < -0.24f);
        Assert.Equal(values, b.Parameters().SelectMany(p => p.ToArray()));
        Assert.Equal(["weight_ih", "weight_hh", "bias_ih", "bias_hh"], new GRUCell(2, 3).NamedParameters().Select(p => p.Name));
        Assert.Equal([12, 3], new GRU(3, 4, numLayers: 2, bidirectional: true).WeightIh(0, 1).Shape);
        Assert.Equal([12, 8], new GRU(3, 4, numLayers: 2, bidirectional: true).WeightIh(1, 1).Shape);
    }

    /// <summary>The float32 path (the SIMD loops with float vectors, H = 13: one vector and a tail) agrees with float64.</summary>
    [Theory]
    [InlineData("lstm")]
    [InlineData("gru")]
    [InlineData("rnn_relu")]
    public void Float32MatchesFloat64(string kind)
    {
        var s = RnnFixture.Parse($"{kind}_l2_d2_bf0_b1_noh0");
        var single = RnnFixture.Build(s, 5, 13);
        var x = Tensor.Randn([7, 3, 5], new Generator(2));
        x.RequiresGrad = true;
        var y32 = RnnFixture.Run(s, single, [x]);
        y32.Backward(Tensor.OnesLike(y32));
        var grads32 = single.Parameters().Select(p => p.Grad!.ToDoubleArray()).Append(x.Grad!.ToDoubleArray()).ToArray();

        var dbl = RnnFixture.Build(s, 5, 13);
        dbl.LoadStateDict(single.StateDict());
        dbl.Double();
        var x64 = x.Detach().Double();
        x64.RequiresGrad = true;
        var y64 = RnnFixture.Run(s, dbl, [x64]);
        y64.Backward(Tensor.OnesLike(y64));
        var grads64 = dbl.Parameters().Select(p => p.Grad!.ToDoubleArray()).Append(x64.Grad!.ToDoubleArray()).ToArray();

        Close(y64.ToDoubleArray(), y32.ToDoubleArray(), "output");
        for (int i = 0; i < grads64.Length; i++) Close(grads64[i], grads32[i], $"gradient {i}");

        static void Close(double[] e, double[] a, string what)
        {
            for (int i = 0; i < e.Length; i++)
                Assert.True(Math.Abs(e[i] - a[i]) <= 1e-4 * (1 + Math.Abs(e[i])), $"{what}: element {i} is {a[i]} in float32, {e[i]} in float64");
        }
    }

    [Fact]
    public void ReadmeSnippetRuns()
    {
        var x = Tensor.Randn(3, 7, 32);
        int[] lengths = [5, 7, 2];
        var lstm = new LSTM(inputSize: 32, hiddenSize: 128, numLayers: 2, batchFirst: true);
        var (output, (h, c)) = lstm.Forward(x, null);                     // x (B, T, 32) -> output (B, T, 128), h and c (2, B, 128)
        var packed = RnnUtils.PackPaddedSequence(x, lengths, batchFirst: true, enforceSorted: false);
        var (packedOut, state) = lstm.Forward(packed, null);
        var (padded, outLengths) = RnnUtils.PadPackedSequence(packedOut, batchFirst: true);
        Assert.Equal([3, 7, 128], output.Shape);
        Assert.Equal([2, 3, 128], h.Shape);
        Assert.Equal([2, 3, 128], c.Shape);
        Assert.Equal([3, 7, 128], padded.Shape);
        Assert.Equal(lengths, outLengths);
        var full = output.Select(0, 1).ToArray();           // the full-length sequence, run padded and packed
        var fromPacked = padded.Select(0, 1).ToArray();
        for (int i = 0; i < full.Length; i++) Assert.True(Math.Abs(full[i] - fromPacked[i]) <= 1e-5f, $"element {i}");
        Assert.Equal([2, 3, 128], state.H.Shape);
    }

    [Fact]
    public void EachDirectionOfEachLayerIsOneNode()
    {
        var lstm = new LSTM(3, 4, numLayers: 2);
        var (output, _) = lstm.Forward(Tensor.Randn(50, 2, 3), null);
        var nodes = new HashSet<GradNode>();
        var stack = new Stack<GradNode>([output.GradFn!]);
        while (stack.Count > 0)
        {
            var node = stack.Pop();
            if (!nodes.Add(node)) continue;
            foreach (var input in node.Inputs) if (input.GradFn is not null) stack.Push(input.GradFn);
        }
        Assert.Equal(2, nodes.Count(n => n.Name == "LstmBackward"));
        Assert.True(nodes.Count < 12, $"{nodes.Count} nodes for 50 steps of 2 layers");
    }

    [Fact]
    public void ASecondBackwardThroughTheSameGraphIsRefused()
    {
        var gru = new GRU(3, 4);
        var loss = gru.Forward(Tensor.Randn(5, 2, 3)).Sum();
        loss.Backward();
        var first = gru.WeightHh(0).Grad!.ToArray();
        var e = Assert.Throws<InvalidOperationException>(() => loss.Backward());
        Assert.Contains("GruBackward", e.Message);
        gru.ZeroGrad();
        gru.Forward(Tensor.Randn(5, 2, 3)).Sum().Backward(); // a new forward pass is fine
        Assert.NotNull(gru.WeightHh(0).Grad);
        Assert.Contains(first, v => v != 0);
    }

    [Fact]
    public void DropoutActsBetweenLayersInTrainingOnly()
    {
        var gru = new GRU(3, 4, numLayers: 2, dropout: 0.5, generator: new Generator(3));
        var x = Tensor.Randn([6, 2, 3], new Generator(4));
        gru.Eval();
        var a = gru.Forward(x, null).Output.ToArray();
        Assert.Equal(a, gru.Forward(x, null).Output.ToArray());
        gru.Train();
        Assert.NotEqual(a, gru.Forward(x, null).Output.ToArray());
        var single = new GRU(3, 4, dropout: 0.5); // one layer: nothing to drop between
        Assert.Equal(single.Forward(x, null).Output.ToArray(), single.Eval().Forward(x).ToArray());
    }

    [Fact]
    public void WeightsRoundTripThroughSafetensors()
    {
        var dir = Directory.CreateTempSubdirectory("nabla-rnn");
        try
        {
            string path = Path.Combine(dir.FullName, "lstm.safetensors");
            var a = new LSTM(3, 5, numLayers: 2, bidirectional: true, generator: new Generator(1));
            a.SaveWeights(path);
            var b = new LSTM(3, 5, numLayers: 2, bidirectional: true, generator: new Generator(2));
            b.LoadWeights(path);
            var x = Tensor.Randn(4, 2, 3);
            Assert.Equal(a.Forward(x).ToArray(), b.Forward(x).ToArray());
        }
        finally { dir.Delete(true); }
    }

    /// <summary>PyTorch's LSTM and GRU state dicts load into Nabla's layers (strictly) and give PyTorch's outputs.</summary>
    [Theory]
    [InlineData("lstm")]
    [InlineData("gru")]
    public void PyTorchWeightsLoadAndGiveTheSameOutput(string kind)
    {
        var fixture = TorchFixture.Get("rnn_interop.json", kind);
        RNNBase layer = kind == "lstm" ? new LSTM(3, 5, numLayers: 2, bidirectional: true) : new GRU(3, 5, numLayers: 2, bidirectional: true);
        layer.LoadWeights(Path.Combine(AppContext.BaseDirectory, "Fixtures", $"torch_{kind}.safetensors"));
        TorchFixture.AssertClose(fixture.Output, layer.Forward(fixture.Inputs[0].ToTensor().Float()), 1e-5, $"{kind} output");
    }

    /// <summary>Weights written by Nabla load into PyTorch's nn.LSTM (strict load_state_dict) and give Nabla's output there.</summary>
    [TorchFact]
    public void PyTorchLoadsNablaWeights()
    {
        var dir = Directory.CreateTempSubdirectory("nabla-rnn");
        try
        {
            string weights = Path.Combine(dir.FullName, "lstm.safetensors");
            var lstm = new LSTM(3, 5, numLayers: 2, bidirectional: true, generator: new Generator(7));
            lstm.SaveWeights(weights);
            string script = Path.Combine(PythonTorch.RepositoryRoot(), "tools", "fixtures_rnn.py");
            var (code, output, error) = PythonTorch.Run([script, "forward", weights], TimeSpan.FromMinutes(2));
            Assert.True(code == 0, $"the script failed ({code}):\n{error}");
            // The script runs its fixed input: the first 60 values of arange, scaled, shaped (4, 5, 3).
            var x = (Tensor.Arange(60) * 0.05f - 1.5f).Reshape(4, 5, 3);
            var expected = lstm.Forward(x).ToArray();
            var torch = output.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(v => double.Parse(v, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
            Assert.Equal(expected.Length, torch.Length);
            for (int i = 0; i < expected.Length; i++)
                Assert.True(Math.Abs(expected[i] - torch[i]) <= 1e-5, $"element {i}: Nabla {expected[i]}, PyTorch {torch[i]}");
        }
        finally { dir.Delete(true); }
    }
}
