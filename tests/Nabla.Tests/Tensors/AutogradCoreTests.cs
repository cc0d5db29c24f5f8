using Nabla.Autograd;
namespace Nabla.Tests.Tensors;

public class AutogradCoreTests
{
    [Fact]
    public void BroadcastAddAndBackwardSumGradientsToInputShapes()
    {
        var a = Tensor.FromArray([1f, 2, 3, 4, 5, 6], 2, 3);
        var b = Tensor.FromArray([10f, 20, 30], 3);
        a.RequiresGrad = true;
        b.RequiresGrad = true;
        var c = a + b;
        Assert.Equal([11f, 22, 33, 14, 25, 36], c.ToArray());
        (c * c).Sum().Backward();
        Assert.Equal([22f, 44, 66, 28, 50, 72], a.Grad!.ToArray());
        Assert.Equal([22f + 28, 44 + 50, 66 + 72], b.Grad!.ToArray());
    }

    [Fact]
    public void GradientsAccumulateAcrossUsesAndCalls()
    {
        var a = Tensor.FromArray([3f], 1);
        a.RequiresGrad = true;
        var b = a + a;
        (b + b).Sum().Backward();
        Assert.Equal(4f, a.Grad!.Item());
        (a * 2f).Sum().Backward();
        Assert.Equal(6f, a.Grad!.Item());
        a.ZeroGrad();
        Assert.Null(a.Grad);
    }

    [Fact]
    public void GradCheckPassesOnComposedOpsAndFailsOnWrongGradient()
    {
        var g = new Generator(1);
        var x = Tensor.Randn([3, 4], g);
        var y = Tensor.Rand([4], g) + 0.5f;
        var ok = GradCheck.Check(t => (t[0] * t[1] / (t[1] + 1f)).Tanh().Exp() - t[0].Sigmoid() + t[1].Log(), [x, y]);
        Assert.True(ok.Passed, ok.Message);

        // Relu's backward is wrong if someone uses the input's sign on a shifted input: simulate a wrong
        // derivative by comparing against a function whose graph is cut (Detach drops a term).
        var bad = GradCheck.Check(t => t[0] * t[0].Detach(), [x]);
        Assert.False(bad.Passed);
    }

    [Fact]
    public void SumOverDimsAndKeepDim()
    {
        var x = Tensor.Arange(24).Reshape(2, 3, 4);
        Assert.Equal(new[] { 2, 4 }, x.Sum(1).Shape);
        Assert.Equal(new[] { 2, 1, 4 }, x.Sum(1, keepDim: true).Shape);
        Assert.Equal(276f, x.Sum().Item());
        Assert.Equal([12f + 16 + 20, 13f + 17 + 21, 14f + 18 + 22, 15f + 19 + 23], x.Sum(1)[1].ToArray());
        Assert.Equal(Enumerable.Range(0, 12).Select(i => 2f * i + 12).ToArray(),
                     x.Sum(0).ToArray());
    }

    [Fact]
    public void NonContiguousInputsBroadcastCorrectly()
    {
        var x = Tensor.Arange(6).Reshape(2, 3).T; // (3, 2), strides (1, 3)
        var y = x + Tensor.FromArray([100f, 200], 2);
        Assert.Equal([100f, 203, 101, 204, 102, 205], y.ToArray());
    }

    [Fact]
    public void BackwardOnNonScalarWithoutGradientExplains()
    {
        var x = Tensor.Ones(2, 3);
        x.RequiresGrad = true;
        var ex = Assert.Throws<InvalidOperationException>(() => (x * 2f).Backward());
        Assert.Contains("(2, 3)", ex.Message);
    }

    [Fact]
    public void ToStringPrintsLikePyTorch()
    {
        Assert.Equal("tensor([[1., 2.],\n        [3., 4.]], shape=(2, 2))", Tensor.FromArray([1f, 2, 3, 4], 2, 2).ToString());
        Assert.Equal("tensor([ 0.5000, -1.2500], shape=(2,))", Tensor.FromArray([0.5f, -1.25f]).ToString());
        var big = Tensor.Arange(2000).ToString();
        Assert.StartsWith("tensor([   0.,    1.,    2., ..., 1997., 1998., 1999.]", big);
    }
}
