using BenchmarkDotNet.Attributes;

namespace Nabla.Bench;

/// <summary>
/// The math ops on typical activation shapes, float32: Softmax over the class dim of a (B, C) batch (the
/// contiguous row loop) and over dim 0 (the transposed path), GELU with its backward, LogSumExp and Max(dim).
/// </summary>
[MemoryDiagnoser]
public class MathOpsBenchmarks
{
    private Tensor logits = null!;   // (B, C) = (256, 1000)
    private Tensor hidden = null!;   // (B, T, C) = (32, 128, 256)
    private Tensor hiddenGrad = null!;

    [GlobalSetup]
    public void Setup()
    {
        var g = new Generator(0);
        logits = Tensor.Randn([256, 1000], g);
        hidden = Tensor.Randn([32, 128, 256], g);
        hidden.RequiresGrad = true;
        hiddenGrad = Tensor.Randn([32, 128, 256], g);
    }

    [Benchmark] public Tensor SoftmaxLastDim() => logits.Softmax(-1);
    [Benchmark] public Tensor SoftmaxDim0() => logits.Softmax(0);
    [Benchmark] public Tensor LogSoftmaxLastDim() => logits.LogSoftmax(-1);
    [Benchmark] public Tensor LogSumExpLastDim() => logits.LogSumExp(-1);
    [Benchmark] public Tensor MaxLastDim() => logits.Max(-1);
    [Benchmark] public Tensor ArgMaxLastDim() => logits.ArgMax(-1);

    [Benchmark]
    public Tensor GeluForward()
    {
        using var _ = Tensor.NoGrad();
        return hidden.Gelu();
    }

    [Benchmark]
    public Tensor? GeluForwardBackward()
    {
        hidden.ZeroGrad();
        hidden.Gelu().Backward(hiddenGrad);
        return hidden.Grad;
    }
}
