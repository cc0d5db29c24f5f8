using BenchmarkDotNet.Attributes;
using Nabla.Kernels;

namespace Nabla.Bench;

/// <summary>
/// Conv2d at a mid-network shape: input (B, C, H, W) = (64, 32, 14, 14), 3x3 kernel, 32 -> 64 channels, padding 1,
/// float32, on 1 and 2 threads. Forward alone (no graph recorded) and forward + backward with the input, weight and
/// bias gradients, as a training step needs them; and the pooling and batch-norm layers that usually follow, on the
/// output (64, 64, 14, 14). The same conv is timed beside PyTorch by bench/compare/conv.py.
/// <c>dotnet run -c Release --project bench/Nabla.Bench -- --filter '*ConvBenchmarks*'</c>
/// </summary>
[MemoryDiagnoser]
public class ConvBenchmarks
{
    private Tensor x = null!, weight = null!, bias = null!;      // (64, 32, 14, 14), (64, 32, 3, 3), (64,)
    private Tensor xg = null!, wg = null!, bg = null!;           // the same, requiring grad
    private Tensor dy = null!;                                   // (64, 64, 14, 14)
    private Tensor dyPooled = null!;                             // (64, 64, 7, 7)
    private Tensor features = null!;                             // (64, 64, 14, 14), requiring grad
    private Tensor bnWeight = null!, bnBias = null!;             // (64,)

    [Params(1, 2)]
    public int ThreadCount { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        Threads.Count = ThreadCount;
        var g = new Generator(0);
        x = Tensor.Randn([64, 32, 14, 14], g);
        weight = Tensor.Randn([64, 32, 3, 3], g) * 0.1f;
        bias = Tensor.Randn([64], g);
        (xg, wg, bg) = (x.Clone(), weight.Clone(), bias.Clone());
        xg.RequiresGrad = wg.RequiresGrad = bg.RequiresGrad = true;
        dy = Tensor.Randn([64, 64, 14, 14], g);
        dyPooled = Tensor.Randn([64, 64, 7, 7], g);
        features = Tensor.Randn([64, 64, 14, 14], g);
        features.RequiresGrad = true;
        bnWeight = Tensor.Randn([64], g);
        bnBias = Tensor.Randn([64], g);
        bnWeight.RequiresGrad = bnBias.RequiresGrad = true;
    }

    [Benchmark]
    public Tensor Conv2dForward() => Tensor.Conv2d(x, weight, bias, padding: 1);

    [Benchmark]
    public Tensor? Conv2dForwardBackward()
    {
        xg.ZeroGrad();
        wg.ZeroGrad();
        bg.ZeroGrad();
        Tensor.Conv2d(xg, wg, bg, padding: 1).Backward(dy);
        return wg.Grad;
    }

    [Benchmark]
    public Tensor? MaxPool2dForwardBackward()
    {
        features.ZeroGrad();
        var y = features.MaxPool2d(2);
        y.Backward(dyPooled);
        return features.Grad;
    }

    [Benchmark]
    public Tensor? AvgPool2dForwardBackward()
    {
        features.ZeroGrad();
        var y = features.AvgPool2d(3, 2, 1);
        y.Backward(dyPooled);
        return features.Grad;
    }

    [Benchmark]
    public Tensor? BatchNorm2dForwardBackward()
    {
        features.ZeroGrad();
        bnWeight.ZeroGrad();
        bnBias.ZeroGrad();
        NN.Functional.BatchNorm(features, null, null, bnWeight, bnBias, training: true).Backward(dy);
        return features.Grad;
    }
}
