using Nabla.Data;

namespace Nabla.Tests.Data;

public class ClassificationDatasetTests
{
    [Fact]
    public void ChecksItsLabels()
    {
        var x = Tensor.Zeros(3, 2);
        var ok = new ClassificationDataset(x, Tensor.FromArray([0f, 2f, 2f], 3), ["a", "b", "c"], "toy");
        Assert.Equal([1, 0, 2], ok.ClassCounts());
        Assert.Equal(3, ok.NumClasses);

        var e = Assert.Throws<ArgumentException>(() => new ClassificationDataset(x, Tensor.FromArray([0f, 3f, 1f], 3), ["a", "b", "c"], "toy"));
        Assert.Contains("sample 1 is 3", e.Message);
        e = Assert.Throws<ArgumentException>(() => new ClassificationDataset(x, Tensor.FromArray([0f, 0.5f, 1f], 3), ["a", "b"], "toy"));
        Assert.Contains("sample 1 is 0.5", e.Message);
        Assert.Throws<ArgumentException>(() => new ClassificationDataset(x, Tensor.Zeros(3, 1), ["a"], "toy"));
    }
}
