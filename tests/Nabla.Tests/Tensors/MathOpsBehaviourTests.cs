namespace Nabla.Tests.Tensors;

/// <summary>
/// What the fixtures cannot hold (JSON has no inf or NaN) or do not exercise: float32 stability with large values,
/// infinities, dtypes of results, comparisons without gradient, and the exceptions for bad input.
/// </summary>
public class MathOpsBehaviourTests
{
    // ----- stability and special values -----

    [Fact]
    public void LogSumExpIsStableForLargeValuesInFloat32()
    {
        var x = Tensor.FromArray([1000f, 1000f, -1000f, -1000f], 2, 2);
        var y = x.LogSumExp(1).ToArray();
        Assert.Equal(1000 + Math.Log(2), y[0], 3);
        Assert.Equal(-1000 + Math.Log(2), y[1], 3);
    }

    [Fact]
    public void LogSumExpOfNothingIsMinusInfinityAndInfinitiesPassThrough()
    {
        Assert.Equal([float.NegativeInfinity, float.NegativeInfinity], Tensor.Zeros(2, 0).LogSumExp(1).ToArray());
        var x = Tensor.FromArray([float.NegativeInfinity, float.NegativeInfinity, 1f, float.PositiveInfinity], 2, 2);
        Assert.Equal([float.NegativeInfinity, float.PositiveInfinity], x.LogSumExp(1).ToArray());
        var masked = Tensor.FromArray([float.NegativeInfinity, 0f]);
        Assert.Equal(0f, masked.LogSumExp(0).Item());
    }

    [Fact]
    public void SoftmaxIsStableForLargeValuesAndMaskedEntriesInFloat32()
    {
        var y = Tensor.FromArray([1000f, 1001f, 1002f]).Softmax(0).ToArray();
        var e = new[] { Math.Exp(-2), Math.Exp(-1), 1.0 };
        for (int i = 0; i < 3; i++) Assert.Equal(e[i] / e.Sum(), y[i], 6);

        // A -inf logit (a masked position) gets probability 0 and no NaN gradient.
        var x = Tensor.FromArray([0f, float.NegativeInfinity, 0f]);
        x.RequiresGrad = true;
        var p = x.Softmax(0);
        Assert.Equal([0.5f, 0f, 0.5f], p.ToArray());
        (p * Tensor.FromArray([1f, 2f, 3f])).Sum().Backward();
        Assert.All(x.Grad!.ToArray(), g => Assert.True(float.IsFinite(g)));
    }

    [Fact]
    public void LogSoftmaxKeepsTinyProbabilitiesWhereLogOfSoftmaxUnderflows()
    {
        // In float32 exp(-200) underflows to 0, so log(softmax) would give -inf; the fused form gives -200.
        var x = Tensor.FromArray([0f, -200f]);
        Assert.Equal(float.NegativeInfinity, x.Softmax(0).Log().ToArray()[1]);
        var y = x.LogSoftmax(0).ToArray();
        Assert.Equal(0f, y[0], 6);
        Assert.Equal(-200f, y[1], 3);
    }

    [Fact]
    public void SoftmaxAlongAnyDimMatchesFloat64AndReturnsContiguousTensors()
    {
        var x = Tensor.Randn([3, 4, 5], new Generator(3));
        for (int dim = 0; dim < 3; dim++)
        {
            var y = x.Softmax(dim);
            Assert.True(y.IsContiguous);
            Assert.Equal(x.Shape, y.Shape);
            var reference = x.Double().Softmax(dim).ToDoubleArray();
            var values = y.ToDoubleArray();
            for (int i = 0; i < values.Length; i++) Assert.True(Math.Abs(reference[i] - values[i]) <= 1e-6, $"dim {dim}, element {i}");
            var sums = y.Sum(dim).ToArray();
            Assert.All(sums, s => Assert.Equal(1f, s, 5));
        }
    }

    [Fact]
    public void VarianceOfFloat32WithALargeMeanIsAccurate()
    {
        // E[x^2] - E[x]^2 in float32 would lose every digit here; two passes keep them.
        var x = Tensor.FromArray([10000f, 10001f, 10002f, 10003f]);
        Assert.Equal(5.0 / 3.0, x.Var().Item(), 5);
        Assert.Equal(1.25, x.Var(correction: 0).Item(), 5);
        Assert.Equal(Math.Sqrt(5.0 / 3.0), x.Std().Item(), 5);
    }

    [Fact]
    public void GeluFloat32AgreesWithFloat64()
    {
        var x = Tensor.Linspace(-10f, 10f, 2001);
        x.RequiresGrad = true;
        var y = x.Gelu();
        var reference = x.Detach().Double().Gelu().ToDoubleArray();
        var values = y.ToDoubleArray();
        for (int i = 0; i < values.Length; i++)
            Assert.True(Math.Abs(values[i] - reference[i]) <= 3e-7 * Math.Abs(reference[i]) + 1e-37, $"gelu at element {i}");
        y.Sum().Backward();
        var xd = x.Detach().Double();
        xd.RequiresGrad = true;
        xd.Gelu().Sum().Backward();
        var g = x.Grad!.ToDoubleArray();
        var gd = xd.Grad!.ToDoubleArray();
        for (int i = 0; i < g.Length; i++) Assert.True(Math.Abs(g[i] - gd[i]) <= 3e-7, $"gelu gradient at element {i}");
    }

    [Fact]
    public void MaxAndMinPropagateNaNAndArgMaxPointsAtIt()
    {
        var x = Tensor.FromArray([1f, float.NaN, 3f]);
        Assert.True(float.IsNaN(x.Max().Item()));
        Assert.True(float.IsNaN(x.Min(0).Item()));
        Assert.Equal(1f, x.ArgMax().Item());
        Assert.True(float.IsNaN(x.Maximum(Tensor.Zeros(3)).ToArray()[1]));
    }

    [Fact]
    public void ClampWithMinAboveMaxGivesMax()
    {
        Assert.Equal([-1f, -1f, -1f], Tensor.FromArray([-5f, 0f, 5f]).Clamp(1f, -1f).ToArray());
    }

    [Fact]
    public void MaxOverDimWithoutKeepDimStillRoutesGradientToTheFirstMaximumOfEachRow()
    {
        var x = Tensor.FromArray([3f, 1f, 3f, 2f, 5f, 5f], 2, 3);
        x.RequiresGrad = true;
        x.Max(1).Backward(Tensor.FromArray([10f, 20f]));
        Assert.Equal([10f, 0f, 0f, 0f, 20f, 0f], x.Grad!.ToArray());
    }

    // ----- dtypes and gradients of results -----

    [Fact]
    public void ComparisonsReturnZeroOneWithoutGradient()
    {
        var a = Tensor.FromArray([1f, 2f, 3f]);
        a.RequiresGrad = true;
        var b = Tensor.FromArray([2f, 2f, 2f]);
        var lt = a < b;
        Assert.False(lt.RequiresGrad);
        Assert.Equal(DType.Float32, lt.DType);
        Assert.Equal([1f, 0f, 0f], lt.ToArray());
        Assert.Equal([1f, 1f, 0f], (a <= 2f).ToArray());
        Assert.Equal([0f, 0f, 1f], (a > b).ToArray());
        Assert.Equal([0f, 1f, 1f], (2f <= a).ToArray());
        Assert.Equal([1f, 0f, 1f], a.Ne(b).ToArray());
        Assert.Equal([1f, 0f, 1f], Tensor.FromArray([float.NaN, 1f, 2f]).Ne(1f).ToArray()); // NaN != anything
        Assert.Equal(DType.Float64, a.Double().Eq(2f).DType);
    }

    [Fact]
    public void ArgMaxAndOneHotReturnFloat32WithoutGradient()
    {
        var x = Tensor.Randn([3, 4], new Generator(5)).Double();
        x.RequiresGrad = true;
        var i = x.ArgMax(1);
        Assert.Equal(DType.Float32, i.DType);
        Assert.False(i.RequiresGrad);
        Assert.Equal(DType.Float32, x.ArgMin().DType);
        var oneHot = Tensor.OneHot(i, 4);
        Assert.Equal(new[] { 3, 4 }, oneHot.Shape);
        Assert.Equal(Enumerable.Repeat(1f, 3), oneHot.Sum(1).ToArray());
    }

    [Fact]
    public void WhereTakesAConditionOfAnotherDtypeWithoutRoundingItToZero()
    {
        var condition = Tensor.FromArray([1e-50, 0.0]); // float64; 1e-50 is 0 once rounded to float32
        var y = Tensor.Where(condition, Tensor.Ones(2), Tensor.Zeros(2));
        Assert.Equal(DType.Float32, y.DType);
        Assert.Equal([1f, 0f], y.ToArray());
    }

    // ----- exceptions -----

    [Fact]
    public void DimOutOfRangeNamesTheOpAndTheRank()
    {
        var x = Tensor.Zeros(2, 3);
        Assert.Contains("Max: dim 2 is out of range for a tensor with 2 dimensions (expected -2 to 1)",
            Assert.Throws<ArgumentOutOfRangeException>(() => x.Max(2)).Message);
        Assert.Contains("Softmax: dim -3", Assert.Throws<ArgumentOutOfRangeException>(() => x.Softmax(-3)).Message);
        Assert.Contains("LogSoftmax: dim 5", Assert.Throws<ArgumentOutOfRangeException>(() => x.LogSoftmax(5)).Message);
        Assert.Contains("ArgMin: dim 2", Assert.Throws<ArgumentOutOfRangeException>(() => x.ArgMin(2)).Message);
        Assert.Contains("LogSumExp: dim 3", Assert.Throws<ArgumentOutOfRangeException>(() => x.LogSumExp([0, 3])).Message);
        Assert.Contains("Var: dim -1 appears more than once", Assert.Throws<ArgumentException>(() => x.Var([1, -1])).Message);
    }

    [Fact]
    public void ReducingAnEmptyDimWithoutIdentityExplains()
    {
        var x = Tensor.Zeros(2, 0);
        Assert.Contains("Max: cannot reduce over dim 1 of size 0 (input shape (2, 0))",
            Assert.Throws<ArgumentException>(() => x.Max(1)).Message);
        Assert.Contains("Min: cannot reduce over dim 1 of size 0", Assert.Throws<ArgumentException>(() => x.Min()).Message);
        Assert.Contains("ArgMax: the tensor of shape (2, 0) has no elements", Assert.Throws<ArgumentException>(() => x.ArgMax()).Message);
        Assert.Equal(new[] { 0 }, x.Max(0).Shape); // reducing a non-empty dim of an empty tensor is fine
    }

    [Fact]
    public void MismatchedBroadcastNamesTheOpAndShapes()
    {
        var a = Tensor.Zeros(2, 3);
        var b = Tensor.Zeros(4);
        Assert.Contains("Maximum: shapes (2, 3) and (4,) cannot be broadcast together",
            Assert.Throws<ArgumentException>(() => a.Maximum(b)).Message);
        Assert.Contains("Pow: shapes (2, 3) and (4,)", Assert.Throws<ArgumentException>(() => a.Pow(b)).Message);
        Assert.Contains("Lt: shapes (2, 3) and (4,)", Assert.Throws<ArgumentException>(() => a < b).Message);
        Assert.Contains("Where: shapes (2, 3) and (4,)", Assert.Throws<ArgumentException>(() => Tensor.Where(Tensor.Ones(1), a, b)).Message);
        Assert.Contains("Where: shapes (5,) and (2, 3)", Assert.Throws<ArgumentException>(() => Tensor.Where(Tensor.Ones(5), a, a)).Message);
    }

    [Fact]
    public void OneHotRejectsBadIndicesWithTheirPosition()
    {
        var outOfRange = Assert.Throws<ArgumentOutOfRangeException>(() => Tensor.OneHot(Tensor.FromArray([0f, 1f, 5f, 2f], 2, 2), 5));
        Assert.Contains("OneHot: index 5 at [1, 0] is out of range for 5 classes (expected 0 to 4)", outOfRange.Message);
        Assert.Contains("OneHot: indices must be non-negative, but the element at [1] is -1",
            Assert.Throws<ArgumentOutOfRangeException>(() => Tensor.OneHot(Tensor.FromArray([0f, -1f]), 3)).Message);
        Assert.Contains("OneHot: indices must be whole numbers, but the element at [1] is 1.5",
            Assert.Throws<ArgumentException>(() => Tensor.OneHot(Tensor.FromArray([0f, 1.5f]), 3)).Message);
        Assert.Contains("cannot infer the number of classes from an empty tensor",
            Assert.Throws<ArgumentException>(() => Tensor.OneHot(Tensor.Zeros(0))).Message);
        Assert.Equal(new[] { 0, 3 }, Tensor.OneHot(Tensor.Zeros(0), 3).Shape);
    }

    [Fact]
    public void ClampWithoutBoundsExplains()
    {
        Assert.Contains("Clamp: at least one of min and max", Assert.Throws<ArgumentException>(() => Tensor.Zeros(2).Clamp()).Message);
    }
}
