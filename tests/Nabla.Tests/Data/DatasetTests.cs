using Nabla.Data;

namespace Nabla.Tests.Data;

public class DatasetTests
{
    /// <summary>A data set that only implements Get, so batches go through the default stacking path.</summary>
    private sealed class Squares(int n) : Dataset
    {
        public override int Count => n;

        public override (Tensor Input, Tensor Target) Get(int index)
        {
            CheckIndexForTest(index);
            return (Tensor.FromArray(new float[] { index, index * index }, 2), Tensor.Scalar((float)index));
        }

        private void CheckIndexForTest(int index)
        {
            if ((uint)index >= (uint)n) throw new ArgumentOutOfRangeException(nameof(index));
        }
    }

    [Fact]
    public void TensorDatasetGetReturnsRowViews()
    {
        var data = new TensorDataset(Tensor.Arange(0f, 6f).Reshape(3, 2), Tensor.FromArray([7f, 8f, 9f], 3));
        Assert.Equal(3, data.Count);
        var (x, y) = data[1];
        Assert.Equal([2], x.Shape);
        Assert.Equal([2f, 3f], x.ToArray());
        Assert.Equal(0, y.Rank);
        Assert.Equal(8f, y.Item());
    }

    [Fact]
    public void FastGatherMatchesTheDefaultStackingPath()
    {
        var slow = new Squares(6);
        var (sx, sy) = slow.GetBatch([4, 1, 1, 5]);
        var all = slow.GetBatch([0, 1, 2, 3, 4, 5]);
        var fast = new TensorDataset(all.Input, all.Target);
        var (fx, fy) = fast.GetBatch([4, 1, 1, 5]);
        Assert.Equal([4, 2], sx.Shape);
        Assert.Equal(sx.Shape, fx.Shape);
        Assert.Equal(sx.ToArray(), fx.ToArray());
        Assert.Equal(sy.ToArray(), fy.ToArray());
        Assert.Equal([4f, 16f, 1f, 1f, 1f, 1f, 5f, 25f], fx.ToArray());
    }

    [Fact]
    public void NonContiguousInputsAreGatheredByLogicalRow()
    {
        var transposed = Tensor.Arange(0f, 6f).Reshape(2, 3).T; // (3, 2) view with strides (1, 3)
        var data = new TensorDataset(transposed, Tensor.Zeros(3));
        Assert.Equal([2f, 5f, 0f, 3f], data.GetBatch([2, 0]).Input.ToArray());
    }

    [Fact]
    public void BatchesAreOutsideTheGraph()
    {
        var x = Tensor.Randn([4, 3], new Generator(1));
        x.RequiresGrad = true;
        var (bx, _) = new TensorDataset(x, Tensor.Zeros(4)).GetBatch([0, 1]);
        Assert.False(bx.RequiresGrad);
    }

    [Fact]
    public void MismatchedSampleCountsNameBothShapes()
    {
        var e = Assert.Throws<ArgumentException>(() => new TensorDataset(Tensor.Zeros(150, 4), Tensor.Zeros(149)));
        Assert.Contains("(150, 4)", e.Message);
        Assert.Contains("(149,)", e.Message);
        Assert.Contains("150 vs 149", e.Message);
        Assert.Throws<ArgumentException>(() => new TensorDataset(Tensor.Scalar(1f), Tensor.Zeros(1)));
    }

    [Fact]
    public void OutOfRangeIndicesAreRejectedWithTheCount()
    {
        var data = new TensorDataset(Tensor.Zeros(5, 2), Tensor.Zeros(5));
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => data.GetBatch([0, 5]));
        Assert.Contains("index 5 is out of range for a data set of 5 samples", e.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => data.Get(-1));
        Assert.Throws<ArgumentException>(() => data.GetBatch([]));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Subset(data, [1, 7]));
    }

    [Fact]
    public void SubsetMapsIndicesAndNests()
    {
        var data = new Squares(10);
        var subset = new Subset(data, [8, 3, 6]);
        Assert.Equal(3, subset.Count);
        Assert.Equal(3f, subset[1].Target.Item());
        var nested = new Subset(subset, [2, 0]);
        Assert.Equal([6f, 8f], nested.GetBatch([0, 1]).Target.ToArray());
        Assert.Throws<ArgumentOutOfRangeException>(() => subset.GetBatch([3]));
    }
}
