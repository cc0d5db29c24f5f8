using Nabla.NN;

namespace Nabla.Tests.IO;

/// <summary>A fully connected layer for the IO tests (the library's own layers live on another branch): y = x W^T + b.</summary>
public sealed class TestLinear : Module
{
    public TestLinear(int inFeatures, int outFeatures, Generator generator)
    {
        // Uniform in [-1/sqrt(in), 1/sqrt(in)), PyTorch's default scale, from the given generator.
        float bound = 1f / MathF.Sqrt(inFeatures);
        Weight = RegisterParameter("weight", new Parameter((Tensor.Rand([outFeatures, inFeatures], generator) * 2f - 1f) * bound));
        Bias = RegisterParameter("bias", new Parameter((Tensor.Rand([outFeatures], generator) * 2f - 1f) * bound));
    }

    public Parameter Weight { get; }

    public Parameter Bias { get; }

    public override Tensor Forward(Tensor input) => Tensor.Linear(input, Weight, Bias);
}

/// <summary>
/// The same network as PyTorch's <c>nn.Sequential(nn.Linear(i, h), nn.ReLU(), nn.Linear(h, o))</c>, with the
/// same state-dict names: <c>0.weight</c>, <c>0.bias</c>, <c>2.weight</c>, <c>2.bias</c> (the ReLU is child 1).
/// </summary>
public sealed class TestMlp : Module
{
    private readonly TestLinear first, second;

    public TestMlp(int inputs, int hidden, int outputs, long seed = 0)
    {
        var g = new Generator(seed);
        first = RegisterModule("0", new TestLinear(inputs, hidden, g));
        second = RegisterModule("2", new TestLinear(hidden, outputs, g));
    }

    public override Tensor Forward(Tensor input) => second.Forward(first.Forward(input).Relu());

    /// <summary>Every parameter's values, in state-dict order, for bit-for-bit comparisons.</summary>
    public float[][] Snapshot() => StateDict().Select(kv => kv.Value.ToArray()).ToArray();
}
