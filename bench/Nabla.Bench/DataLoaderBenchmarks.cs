using BenchmarkDotNet.Attributes;
using Nabla.Data;

namespace Nabla.Bench;

/// <summary>
/// One shuffled epoch of a DataLoader over an MNIST-sized TensorDataset: (N, 784) = (60000, 784) float32 inputs,
/// (N,) targets, batch 64, so 938 batches. Each benchmark reports the time per batch (OperationsPerInvoke);
/// batches per second is its inverse. The stacking variant goes through Dataset's default GetBatch (a tensor per
/// sample, then Stack), to show what the contiguous gather saves.
/// </summary>
[MemoryDiagnoser]
public class DataLoaderBenchmarks
{
    private const int N = 60000, Features = 784, BatchSize = 64;
    private const int Batches = (N + BatchSize - 1) / BatchSize;

    private DataLoader gathering = null!;
    private DataLoader stacking = null!;

    /// <summary>The same samples, but only Get is implemented, so batches are stacked from per-sample views.</summary>
    private sealed class PerSample(TensorDataset inner) : Dataset
    {
        public override int Count => inner.Count;
        public override (Tensor Input, Tensor Target) Get(int index) => inner.Get(index);
    }

    [GlobalSetup]
    public void Setup()
    {
        var g = new Generator(0);
        var data = new TensorDataset(Tensor.Rand([N, Features], g), Tensor.RandInt(0, 10, [N], g)); // (N, 784), (N,)
        gathering = new DataLoader(data, BatchSize, shuffle: true, generator: new Generator(1));
        stacking = new DataLoader(new PerSample(data), BatchSize, shuffle: true, generator: new Generator(1));
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Batches)]
    public float ShuffledEpochGather() => Drain(gathering);

    [Benchmark(OperationsPerInvoke = Batches)]
    public float ShuffledEpochStackPerSample() => Drain(stacking);

    // Touches one value per batch so the work cannot be optimised away.
    private static float Drain(DataLoader loader)
    {
        float sum = 0;
        foreach (var (x, y) in loader) sum += x.Span<float>()[0] + y.Span<float>()[0];
        return sum;
    }
}
