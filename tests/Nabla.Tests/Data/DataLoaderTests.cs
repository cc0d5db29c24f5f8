using Nabla.Data;

namespace Nabla.Tests.Data;

public class DataLoaderTests
{
    /// <summary>n samples whose input row is (i, 10 i) and whose target is i, so a batch shows which samples it holds.</summary>
    private static TensorDataset Numbered(int n)
    {
        var x = new float[2 * n];
        var y = new float[n];
        for (int i = 0; i < n; i++) (x[2 * i], x[2 * i + 1], y[i]) = (i, 10 * i, i);
        return new TensorDataset(Tensor.FromArray(x, n, 2), Tensor.FromArray(y, n));
    }

    private static List<int[]> Epoch(DataLoader loader) =>
        [.. loader.Select(batch => batch.Target.ToArray().Select(v => (int)v).ToArray())];

    [Fact]
    public void BatchesInIndexOrderWithASmallerLastBatch()
    {
        var loader = new DataLoader(Numbered(10), batchSize: 3);
        Assert.Equal(4, loader.Count);
        var batches = loader.ToList();
        Assert.Equal(4, batches.Count);
        Assert.Equal([3, 2], batches[0].Input.Shape);
        Assert.Equal([3], batches[0].Target.Shape);
        Assert.Equal([1, 2], batches[3].Input.Shape);
        Assert.Equal([3f, 30f, 4f, 40f, 5f, 50f], batches[1].Input.ToArray());
        Assert.Equal([9f], batches[3].Target.ToArray());
    }

    [Fact]
    public void DropLastSkipsTheShortBatch()
    {
        var loader = new DataLoader(Numbered(10), batchSize: 3, dropLast: true);
        Assert.Equal(3, loader.Count);
        var epoch = Epoch(loader);
        Assert.Equal(3, epoch.Count);
        Assert.All(epoch, b => Assert.Equal(3, b.Length));
        Assert.Equal(Enumerable.Range(0, 9), epoch.SelectMany(b => b));

        // When the size divides evenly, nothing is dropped.
        Assert.Equal(5, new DataLoader(Numbered(10), batchSize: 2, dropLast: true).Count);
    }

    [Fact]
    public void EmptyDataSetGivesNoBatches()
    {
        var empty = new TensorDataset(Tensor.Zeros(0, 2), Tensor.Zeros(0));
        var loader = new DataLoader(empty, batchSize: 4, shuffle: true, generator: new Generator(1));
        Assert.True(loader.Count == 0);
        Assert.Empty(loader);
    }

    [Fact]
    public void ShuffleVisitsEverySampleOncePerEpochInANewOrder()
    {
        var loader = new DataLoader(Numbered(50), batchSize: 8, shuffle: true, generator: new Generator(7));
        var first = Epoch(loader).SelectMany(b => b).ToArray();
        var second = Epoch(loader).SelectMany(b => b).ToArray();
        Assert.Equal(Enumerable.Range(0, 50), first.Order());
        Assert.Equal(Enumerable.Range(0, 50), second.Order());
        Assert.NotEqual(Enumerable.Range(0, 50), first);   // shuffled at all
        Assert.NotEqual(first, second);                      // and reshuffled per epoch
    }

    [Fact]
    public void ShuffleIsDeterminedByTheGeneratorSeed()
    {
        DataLoader Make(long seed) => new(Numbered(20), batchSize: 6, shuffle: true, generator: new Generator(seed));
        var a = Make(3);
        var b = Make(3);
        for (int epoch = 0; epoch < 3; epoch++)
            Assert.Equal(Epoch(a), Epoch(b));
        Assert.NotEqual(Epoch(Make(3)).SelectMany(x => x), Epoch(Make(4)).SelectMany(x => x));
    }

    [Fact]
    public void ShuffleOrderIsPinnedAcrossMachines()
    {
        // The generator (xoshiro256**) and Fisher–Yates are fully specified, so these orders are the same on every
        // machine and runtime; they come from an independent Python transcription (tools/data_shuffle_reference.py).
        var loader = new DataLoader(Numbered(10), batchSize: 10, shuffle: true, generator: new Generator(0));
        Assert.Equal([7, 8, 3, 1, 5, 4, 2, 0, 9, 6], Epoch(loader).Single());
        Assert.Equal([5, 6, 4, 8, 2, 3, 7, 0, 1, 9], Epoch(loader).Single());
    }

    [Fact]
    public void BatchesAreCopiesNotViewsOfTheData()
    {
        var data = Numbered(4);
        var (x, _) = new DataLoader(data, batchSize: 2).First();
        Assert.True(x.IsContiguous);
        x.FillInPlace(-1f);
        Assert.Equal(0f, data.Inputs.ToArray()[0]);
    }

    [Fact]
    public void GathersImageShapedAndFloat64Samples()
    {
        var images = Tensor.Arange(0f, 5 * 1 * 2 * 2).Reshape(5, 1, 2, 2);
        var targets = Tensor.Arange(0f, 10f).Reshape(5, 2).Double();
        var loader = new DataLoader(new TensorDataset(images, targets), batchSize: 2);
        var (x, y) = loader.Skip(1).First(); // samples 2 and 3
        Assert.Equal([2, 1, 2, 2], x.Shape);
        Assert.Equal(Enumerable.Range(8, 8).Select(v => (float)v), x.ToArray());
        Assert.Equal(DType.Float64, y.DType);
        Assert.Equal([4.0, 5, 6, 7], y.ToDoubleArray());
    }

    [Fact]
    public void LoaderOverASubsetGathersThroughItsIndices()
    {
        var subset = new Subset(Numbered(10), [9, 2, 5]);
        var batches = Epoch(new DataLoader(subset, batchSize: 2));
        Assert.Equal([[9, 2], [5]], batches);
    }

    [Fact]
    public void RejectsANonPositiveBatchSize()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new DataLoader(Numbered(3), batchSize: 0));
        Assert.Contains("batch size must be positive", e.Message);
    }
}
