using BenchmarkDotNet.Attributes;
using Nabla.NN;
using Nabla.Optim;

namespace Nabla.Bench;

/// <summary>
/// One optimizer step over ~1M float32 parameters (four tensors, like a small MLP's weights and biases).
/// Reported per parameter: OperationsPerInvoke is the parameter count, so Mean reads as ns/parameter.
/// The updates are memory-bound (SGD-momentum streams 4 floats per parameter, Adam 7).
/// Run: dotnet run -c Release --project bench/Nabla.Bench -- --filter '*OptimBenchmarks*'
/// </summary>
[MemoryDiagnoser]
public class OptimBenchmarks
{
    private const int Count = 1024 * 1024;
    private Parameter[] parameters = [];
    private SGD sgd = null!;
    private Adam adam = null!;
    private AdamW adamW = null!;
    private RMSprop rmsprop = null!;

    [GlobalSetup]
    public void Setup()
    {
        var g = new Generator(0);
        // (768, 1024) + (768) + (255, 1024) + (256): 2^20 parameters in all.
        int[][] shapes = [[768, 1024], [768], [255, 1024], [Count - 768 * 1024 - 768 - 255 * 1024]];
        parameters = shapes.Select(s => new Parameter(Tensor.Randn(s, g))).ToArray();
        foreach (var p in parameters) p.Grad = Tensor.Randn([.. p.Shape], g);
        sgd = new SGD(parameters, lr: 1e-3, momentum: 0.9);
        adam = new Adam(parameters, lr: 1e-3);
        adamW = new AdamW(parameters, lr: 1e-3);
        rmsprop = new RMSprop(parameters, lr: 1e-3);
        // Make the state (first step) outside the measurement.
        sgd.Step();
        adam.Step();
        adamW.Step();
        rmsprop.Step();
    }

    /// <summary>SGD with momentum: buf = 0.9 buf + g; p -= lr buf.</summary>
    [Benchmark(OperationsPerInvoke = Count)]
    public void SgdMomentum() => sgd.Step();

    /// <summary>Adam: two moment updates, bias correction, sqrt and divide per parameter.</summary>
    [Benchmark(OperationsPerInvoke = Count)]
    public void Adam() => adam.Step();

    /// <summary>AdamW: Adam plus the decoupled decay multiply.</summary>
    [Benchmark(OperationsPerInvoke = Count)]
    public void AdamW() => adamW.Step();

    /// <summary>RMSprop without momentum.</summary>
    [Benchmark(OperationsPerInvoke = Count)]
    public void RMSprop() => rmsprop.Step();
}
