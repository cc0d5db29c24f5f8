using Nabla.Data;

namespace Nabla.Tests.Data;

public class SplitTests
{
    /// <summary>n samples, sample i having input i and the given label.</summary>
    private static TensorDataset Labelled(params int[] counts)
    {
        var labels = counts.SelectMany((count, c) => Enumerable.Repeat((float)c, count)).ToArray();
        var inputs = Enumerable.Range(0, labels.Length).Select(i => (float)i).ToArray();
        return new TensorDataset(Tensor.FromArray(inputs, labels.Length, 1), Tensor.FromArray(labels, labels.Length));
    }

    private static void AssertPartition(int n, params IReadOnlyList<int>[] parts)
    {
        var all = parts.SelectMany(p => p).ToArray();
        Assert.Equal(n, all.Length);
        Assert.Equal(Enumerable.Range(0, n), all.Order()); // disjoint and complete
    }

    [Fact]
    public void RandomSplitByLengthsIsAPartition()
    {
        var data = Labelled(10);
        var parts = Dataset.RandomSplit(data, [6, 0, 4], new Generator(1));
        Assert.Equal([6, 0, 4], parts.Select(p => p.Count));
        AssertPartition(10, [.. parts.Select(p => p.Indices)]);
        Assert.All(parts, p => Assert.Same(data, p.Dataset));
    }

    [Fact]
    public void RandomSplitByFractionsRoundsAsPyTorch()
    {
        // torch.utils.data.random_split(range(569), [0.8, 0.2]) gives lengths 456, 113; [0.34, 0.33, 0.33] of 10 gives 4, 3, 3.
        var parts = Dataset.RandomSplit(Labelled(569), [0.8, 0.2], new Generator(0));
        Assert.Equal([456, 113], parts.Select(p => p.Count));
        AssertPartition(569, [.. parts.Select(p => p.Indices)]);
        Assert.Equal([4, 3, 3], Dataset.RandomSplit(Labelled(10), [0.34, 0.33, 0.33], new Generator(0)).Select(p => p.Count));
    }

    [Fact]
    public void RandomSplitIsDeterminedByTheGenerator()
    {
        var data = Labelled(30);
        var a = Dataset.RandomSplit(data, [20, 10], new Generator(5));
        var b = Dataset.RandomSplit(data, [20, 10], new Generator(5));
        var c = Dataset.RandomSplit(data, [20, 10], new Generator(6));
        Assert.Equal(a[1].Indices, b[1].Indices);
        Assert.NotEqual(a[1].Indices, c[1].Indices);
    }

    [Fact]
    public void RandomSplitRejectsBadSizes()
    {
        var data = Labelled(10);
        var e = Assert.Throws<ArgumentException>(() => Dataset.RandomSplit(data, [6, 3], new Generator(0)));
        Assert.Contains("sum to 9, but the data set has 10 samples", e.Message);
        e = Assert.Throws<ArgumentException>(() => Dataset.RandomSplit(data, [0.5, 0.4], new Generator(0)));
        Assert.Contains("must sum to 1", e.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => Dataset.RandomSplit(data, [1.5, -0.5], new Generator(0)));
        Assert.Throws<ArgumentException>(() => Dataset.RandomSplit(data, [11, -1], new Generator(0)));
    }

    [Fact]
    public void TrainValidationSplitRoundsTheValidationPartUp()
    {
        var data = Labelled(569);
        var (train, validation) = data.TrainValidationSplit(0.2, seed: 3);
        Assert.Equal(114, validation.Count); // ⌈113.8⌉, as scikit-learn
        Assert.Equal(455, train.Count);
        AssertPartition(569, train.Indices, validation.Indices);
        Assert.Equal(train.Indices.Order(), train.Indices);
        Assert.Equal(validation.Indices.Order(), validation.Indices);
        // 0.1 · 30 is 3.0000000000000004 in floating point: still 3.
        Assert.Equal(3, Labelled(30).TrainValidationSplit(0.1).Validation.Count);
    }

    [Fact]
    public void TrainValidationSplitIsDeterminedByTheSeed()
    {
        var data = Labelled(100);
        Assert.Equal(data.TrainValidationSplit(0.25, seed: 9).Validation.Indices, data.TrainValidationSplit(0.25, seed: 9).Validation.Indices);
        Assert.NotEqual(data.TrainValidationSplit(0.25, seed: 9).Validation.Indices, data.TrainValidationSplit(0.25, seed: 10).Validation.Indices);
    }

    [Fact]
    public void StratifiedSplitKeepsClassProportions()
    {
        var data = Labelled(60, 30, 10);
        var labels = data.Targets.ToArray();
        var (train, validation) = data.TrainValidationSplit(0.2, seed: 1, stratify: true);
        AssertPartition(100, train.Indices, validation.Indices);
        int[] Counts(Subset s) => [.. Enumerable.Range(0, 3).Select(c => s.Indices.Count(i => labels[i] == c))];
        Assert.Equal([12, 6, 2], Counts(validation));
        Assert.Equal([48, 24, 8], Counts(train));
    }

    [Fact]
    public void StratifiedSplitGivesLeftoversToTheLargestRemainders()
    {
        // 114 of 569 samples: class 0 (212) is owed 42.47, class 1 (357) 71.53, so class 1 gets the 114th.
        var data = Labelled(212, 357);
        var labels = data.Targets.ToArray();
        var (_, validation) = data.TrainValidationSplit(0.2, seed: 0, stratify: true);
        Assert.Equal(114, validation.Count);
        Assert.Equal(42, validation.Indices.Count(i => labels[i] == 0));
        Assert.Equal(72, validation.Indices.Count(i => labels[i] == 1));
    }

    [Fact]
    public void StratifyingNeedsIntegerLabels()
    {
        var data = new TensorDataset(Tensor.Zeros(4, 1), Tensor.FromArray([0f, 1f, 1.5f, 0f], 4));
        var e = Assert.Throws<ArgumentException>(() => data.TrainValidationSplit(0.5, stratify: true));
        Assert.Contains("sample 2 is 1.5", e.Message);
        var wide = new TensorDataset(Tensor.Zeros(4, 1), Tensor.Zeros(4, 2));
        e = Assert.Throws<ArgumentException>(() => wide.TrainValidationSplit(0.5, stratify: true));
        Assert.Contains("(4, 2)", e.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => data.TrainValidationSplit(1.2));
    }
}
