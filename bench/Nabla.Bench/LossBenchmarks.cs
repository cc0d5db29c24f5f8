using BenchmarkDotNet.Attributes;
using Nabla.NN;

namespace Nabla.Bench;

/// <summary>
/// Cross-entropy on a (B, C) = (256, 1000) batch of logits, forward + backward in float32: the fused op (one log-sum-exp
/// per row forward, softmax - onehot backward) against LogSoftmax followed by NLLLoss (a gather).
/// </summary>
[MemoryDiagnoser]
public class LossBenchmarks
{
    private Tensor logits = null!; // (256, 1000)
    private Tensor labels = null!; // (256,)

    [GlobalSetup]
    public void Setup()
    {
        var g = new Generator(0);
        logits = Tensor.Randn([256, 1000], g);
        logits.RequiresGrad = true;
        labels = Tensor.RandInt(0, 1000, [256], g);
    }

    [Benchmark]
    public Tensor? CrossEntropyFused()
    {
        logits.ZeroGrad();
        Functional.CrossEntropy(logits, labels).Backward();
        return logits.Grad;
    }

    [Benchmark]
    public Tensor? LogSoftmaxThenNll()
    {
        logits.ZeroGrad();
        Functional.NllLoss(logits.LogSoftmax(1), labels).Backward();
        return logits.Grad;
    }
}
