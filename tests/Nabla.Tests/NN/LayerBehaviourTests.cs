using Nabla.NN;

namespace Nabla.Tests.NN;

/// <summary>
/// Layer behaviour the fixtures cannot show: random initialization and its seeding, dropout statistics, the embedding's
/// padding row, batch norm's buffers and edge cases, the float32 kernels against float64, and every error message.
/// </summary>
public class LayerBehaviourTests
{
    // ----- Linear -----

    [Fact]
    public void LinearInitIsPyTorchsUniformBound()
    {
        var layer = new Linear(50, 40, generator: new Generator(1));
        double bound = 1 / Math.Sqrt(50);
        var w = layer.Weight.ToDoubleArray();
        var b = layer.Bias!.ToDoubleArray();
        Assert.All(w, v => Assert.InRange(v, -bound, bound));
        Assert.All(b, v => Assert.InRange(v, -bound, bound));
        // U(-a, a) has variance a^2 / 3; 2000 samples put the sample variance within about 5% of it.
        double variance = w.Select(v => v * v).Average();
        Assert.InRange(variance, bound * bound / 3 * 0.9, bound * bound / 3 * 1.1);
        Assert.True(w.Max() > 0.9 * bound && w.Min() < -0.9 * bound, "the samples should reach near both bounds");
        Assert.Equal([40, 50], layer.Weight.Shape);
        Assert.True(layer.Weight.RequiresGrad);
    }

    [Fact]
    public void LinearErrorsNameTheShapes()
    {
        var error = Assert.Throws<ArgumentException>(() => new Linear(3, 2).Forward(Tensor.Zeros(4, 5)));
        Assert.Contains("input (4, 5) does not fit weight (2, 3)", error.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => new Linear(-1, 2));
        Assert.Null(new Linear(3, 2, bias: false).Bias);
    }

    // ----- Dropout -----

    [Fact]
    public void DropoutZeroesAboutPAndScalesTheRest()
    {
        const double p = 0.3;
        var x = Tensor.Ones(101, 99); // an odd count: the last element takes half of a 64-bit draw
        var y = new Dropout(p, new Generator(3)).Forward(x).ToDoubleArray();
        double zeroFraction = y.Count(v => v == 0) / (double)y.Length;
        // Binomial(9999, 0.3): standard deviation 0.0046; allow 5 of them.
        Assert.InRange(zeroFraction, p - 0.023, p + 0.023);
        Assert.All(y.Where(v => v != 0), v => Assert.Equal(1 / (1 - p), v, 1e-6));
        Assert.InRange(y.Average(), 1 - 0.035, 1 + 0.035); // the expectation is kept
    }

    [Fact]
    public void DropoutGradientIsTheMask()
    {
        var x = Tensor.Randn([20, 10], new Generator(4));
        x.RequiresGrad = true;
        var y = new Dropout(0.5, new Generator(5)).Forward(x);
        y.Sum().Backward();
        var grad = x.Grad!.ToArray();
        var ratio = y.ToArray();
        var xs = x.ToArray();
        for (int i = 0; i < grad.Length; i++) Assert.Equal(ratio[i] / xs[i], grad[i], 1e-5);
        Assert.All(grad, g => Assert.True(g == 0 || g == 2));
    }

    [Fact]
    public void DropoutInEvalIsTheIdentityAndPZeroAndOneAreExact()
    {
        var x = Tensor.Randn(4, 5);
        var dropout = new Dropout(0.9);
        dropout.Eval();
        Assert.Same(x, dropout.Forward(x));
        Assert.Same(x, new Dropout(0).Forward(x));
        Assert.All(new Dropout(1).Forward(x).ToArray(), v => Assert.Equal(0f, v));
    }

    [Theory]
    [InlineData(-0.1)]
    [InlineData(1.5)]
    [InlineData(double.NaN)]
    public void DropoutRejectsABadProbability(double p)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new Dropout(p));
        Assert.Contains("has to be between 0 and 1", error.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => Functional.Dropout(Tensor.Ones(2), p));
    }

    // ----- Embedding -----

    [Fact]
    public void EmbeddingPaddingRowStartsAtZeroAndGetsNoGradient()
    {
        var embedding = new Embedding(6, 3, paddingIdx: 2, generator: new Generator(6));
        Assert.All(embedding.Weight[2].ToArray(), v => Assert.Equal(0f, v));
        var output = embedding.Forward(Tensor.FromArray([2f, 1f, 2f, 5f, 1f], 5));
        Assert.Equal([5, 3], output.Shape);
        output.Sum().Backward();
        var grad = embedding.Weight.Grad!;
        Assert.Equal([0f, 0f, 0f], grad[2].ToArray());  // used twice, yet no gradient
        Assert.Equal([2f, 2f, 2f], grad[1].ToArray());  // used twice: the gradients add up
        Assert.Equal([1f, 1f, 1f], grad[5].ToArray());
        Assert.Equal([0f, 0f, 0f], grad[0].ToArray());  // not used
    }

    [Fact]
    public void EmbeddingNegativePaddingIndexCountsFromTheEnd()
    {
        var embedding = new Embedding(4, 2, paddingIdx: -1);
        Assert.Equal(3, embedding.PaddingIdx);
        Assert.Equal("Embedding(4, 2, padding_idx=3)", embedding.ToString());
    }

    [Fact]
    public void EmbeddingInitIsStandardNormal()
    {
        var w = new Embedding(100, 50, generator: new Generator(8)).Weight.ToDoubleArray();
        double mean = w.Average(), std = Math.Sqrt(w.Select(v => (v - mean) * (v - mean)).Average());
        // 5000 samples: the mean's standard error is 0.014, the std's about 0.01.
        Assert.InRange(mean, -0.06, 0.06);
        Assert.InRange(std, 0.95, 1.05);
    }

    [Fact]
    public void EmbeddingIndexErrorsNameTheIndexPositionAndRange()
    {
        var embedding = new Embedding(10, 3);
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => embedding.Forward(Tensor.FromArray([1f, 2f, 3f, 10f], 2, 2)));
        Assert.Contains("index 10 at [1, 1] is out of range for 10 embeddings (expected 0 to 9)", error.Message);
        error = Assert.Throws<ArgumentOutOfRangeException>(() => embedding.Forward(Tensor.FromArray([-1f])));
        Assert.Contains("index -1 at [0] is out of range", error.Message);
        var notInteger = Assert.Throws<ArgumentException>(() => embedding.Forward(Tensor.FromArray([1.5f])));
        Assert.Contains("whole numbers", notInteger.Message);
        var badPad = Assert.Throws<ArgumentOutOfRangeException>(() => new Embedding(4, 2, paddingIdx: 4));
        Assert.Contains("padding_idx 4 must be within num_embeddings", badPad.Message);
    }

    // ----- BatchNorm1d -----

    [Fact]
    public void BatchNormCountsBatchesAndUsesRunningStatisticsInEval()
    {
        var bn = new BatchNorm1d(2);
        var x = Tensor.FromArray([1f, 10f, 3f, 20f, 5f, 30f], 3, 2); // channel 0: 1, 3, 5; channel 1: 10, 20, 30
        bn.Forward(x);
        bn.Forward(x);
        Assert.Equal(2f, bn.NumBatchesTracked!.Item());
        // mean 3 and 20, unbiased variance 4 and 100; two steps of momentum 0.1 from 0 and 1: 1 - 0.9^2 = 0.19 of the way.
        Assert.Equal([0.57f, 3.8f], bn.RunningMean!.ToArray(), new FloatComparer(1e-5f));
        Assert.Equal([0.81f + 0.19f * 4, 0.81f + 0.19f * 100], bn.RunningVar!.ToArray(), new FloatComparer(1e-4f));
        bn.Eval();
        var y = bn.Forward(Tensor.FromArray([0.57f, 3.8f], 1, 2)); // the running mean normalizes to 0
        Assert.Equal([0f, 0f], y.ToArray(), new FloatComparer(1e-6f));
        Assert.Equal(2f, bn.NumBatchesTracked.Item());
    }

    [Fact]
    public void BatchNormTrainingNeedsMoreThanOneValuePerChannel()
    {
        var bn = new BatchNorm1d(4);
        var error = Assert.Throws<ArgumentException>(() => bn.Forward(Tensor.Zeros(1, 4)));
        Assert.Contains("expected more than 1 value per channel when training, got input of shape (1, 4)", error.Message);
        Assert.Equal(0f, bn.NumBatchesTracked!.Item()); // a rejected input changes nothing
        bn.Forward(Tensor.Randn(1, 4, 2)); // (N, C, L) with L = 2 has two values per channel
        bn.Eval();
        bn.Forward(Tensor.Zeros(1, 4));   // fine in evaluation
    }

    [Fact]
    public void BatchNormShapeErrorsNameTheShapes()
    {
        var bn = new BatchNorm1d(3);
        var error = Assert.Throws<ArgumentException>(() => bn.Forward(Tensor.Zeros(4, 5)));
        Assert.Contains("the input (4, 5) has 5 channels (dim 1) but the layer has 3", error.Message);
        error = Assert.Throws<ArgumentException>(() => bn.Forward(Tensor.Zeros(2, 3, 4, 5)));
        Assert.Contains("expected a 2-D (N, C) or 3-D (N, C, L) input, got shape (2, 3, 4, 5)", error.Message);
        error = Assert.Throws<ArgumentException>(() => Functional.BatchNorm(Tensor.Zeros(4, 3), null, null, Tensor.Ones(2), training: true));
        Assert.Contains("weight has shape (2,) but the input (4, 3) has 3 channels", error.Message);
        Assert.Throws<InvalidOperationException>(() => Functional.BatchNorm(Tensor.Zeros(4, 3), null, null, training: false));
    }

    [Theory]
    [InlineData(new[] { 64, 24 })]
    [InlineData(new[] { 8, 5, 33 })]
    public void BatchNormFloat32KernelsAgreeWithFloat64(int[] shape)
    {
        int c = shape[1];
        var x = Tensor.Randn(shape, new Generator(10)) * 3f + 2f;
        var w = Tensor.Rand([c], new Generator(11)) + 0.5f;
        var b = Tensor.Randn([c], new Generator(12));
        var dy = Tensor.Randn(shape, new Generator(13));
        CompareFloat32WithFloat64((x, w, b), t => Functional.BatchNorm(t[0], null, null, t[1], t[2], training: true), dy);
    }

    // ----- LayerNorm -----

    [Fact]
    public void LayerNormFloat32KernelsAgreeWithFloat64()
    {
        var x = Tensor.Randn([6, 37], new Generator(14)) * 3f + 2f;
        var w = Tensor.Rand([37], new Generator(15)) + 0.5f;
        var b = Tensor.Randn([37], new Generator(16));
        CompareFloat32WithFloat64((x, w, b), t => Functional.LayerNorm(t[0], [37], t[1], t[2]), Tensor.Randn([6, 37], new Generator(17)));
    }

    [Fact]
    public void LayerNormNormalizesEachSampleAlone()
    {
        var x = Tensor.FromArray([1f, 2f, 3f, 100f, 200f, 300f], 2, 3);
        var y = new LayerNorm(3, eps: 0).Forward(x).ToArray();
        float s = (float)Math.Sqrt(1.5);
        Assert.Equal([-s, 0, s, -s, 0, s], y, new FloatComparer(1e-5f));
    }

    [Fact]
    public void LayerNormShapeErrorsNameTheShapes()
    {
        var error = Assert.Throws<ArgumentException>(() => new LayerNorm([3, 4]).Forward(Tensor.Zeros(2, 4, 3)));
        Assert.Contains("the input of shape (2, 4, 3) does not end with the normalized shape (3, 4)", error.Message);
        error = Assert.Throws<ArgumentException>(() => Functional.LayerNorm(Tensor.Zeros(2, 3), [3], Tensor.Ones(4)));
        Assert.Contains("weight has shape (4,) but the normalized shape is (3,)", error.Message);
        Assert.Throws<ArgumentException>(() => new LayerNorm(Array.Empty<int>()));
    }

    // ----- activations and the rest -----

    [Fact]
    public void ActivationsApplyTheirFunction()
    {
        var x = Tensor.FromArray([-2f, -0.5f, 0f, 0.5f, 2f]);
        Assert.Equal(x.Relu().ToArray(), new ReLU().Forward(x).ToArray());
        Assert.Equal(x.Sigmoid().ToArray(), new Sigmoid().Forward(x).ToArray());
        Assert.Equal(x.Tanh().ToArray(), new Tanh().Forward(x).ToArray());
        Assert.Equal([-0.4f, -0.1f, 0f, 0.5f, 2f], new LeakyReLU(0.2f).Forward(x).ToArray(), new FloatComparer(1e-7f));
        Assert.Equal(x.Gelu().ToArray(), new GELU().Forward(x).ToArray());
        Assert.Equal(x.Softmax(0).ToArray(), new Softmax(0).Forward(x).ToArray());
        Assert.Equal(x.LogSoftmax(-1).ToArray(), new LogSoftmax(-1).Forward(x).ToArray());
        Assert.Same(x, new Identity().Forward(x));
        Assert.Equal([2, 12], new Flatten().Forward(Tensor.Zeros(2, 3, 4)).Shape);
        var error = Assert.Throws<ArgumentException>(() => new GELU("erf"));
        Assert.Contains("approximate must be 'none' or 'tanh', got 'erf'", error.Message);
    }

    [Fact]
    public void GeluTanhApproximationIsCloseToTheExactOne()
    {
        var x = Tensor.Linspace(-5, 5, 101);
        var exact = new GELU().Forward(x).ToArray();
        var approx = new GELU("tanh").Forward(x).ToArray();
        for (int i = 0; i < exact.Length; i++) Assert.InRange(approx[i] - exact[i], -1e-3f, 1e-3f);
    }

    /// <summary>Runs <paramref name="f"/> in float32 and float64 and compares output and every gradient relative to their scale.</summary>
    private static void CompareFloat32WithFloat64((Tensor X, Tensor W, Tensor B) inputs, Func<Tensor[], Tensor> f, Tensor dy)
    {
        Tensor[] Leaves(DType dtype) => [Leaf(inputs.X, dtype), Leaf(inputs.W, dtype), Leaf(inputs.B, dtype)];
        var single = Leaves(DType.Float32);
        var dbl = Leaves(DType.Float64);
        var y32 = f(single);
        var y64 = f(dbl);
        Assert.Equal(DType.Float32, y32.DType);
        y32.Backward(dy);
        y64.Backward(dy.Double());
        AssertNear(y64, y32, "output");
        for (int i = 0; i < 3; i++) AssertNear(dbl[i].Grad!, single[i].Grad!, $"gradient {i}");

        static Tensor Leaf(Tensor t, DType dtype)
        {
            var leaf = t.To(dtype).Clone();
            leaf.RequiresGrad = true;
            return leaf;
        }

        static void AssertNear(Tensor expected, Tensor actual, string what)
        {
            var e = expected.ToDoubleArray();
            var a = actual.ToDoubleArray();
            double scale = e.Max(Math.Abs);
            for (int i = 0; i < e.Length; i++)
                Assert.True(Math.Abs(a[i] - e[i]) <= 2e-5 * scale, $"{what}[{i}]: float32 {a[i]} against float64 {e[i]}");
        }
    }

    private sealed class FloatComparer(float tolerance) : IEqualityComparer<float>
    {
        public bool Equals(float x, float y) => Math.Abs(x - y) <= tolerance;
        public int GetHashCode(float obj) => 0;
    }
}
