using Nabla.Autograd;
namespace Nabla.Tests.Tensors;

/// <summary>
/// Every differentiable math op checked against central differences in float64 (<see cref="GradCheck"/>), at points
/// away from kinks and ties, where the derivative is unique; PyTorch's conventions at those points are pinned by the
/// fixtures. Inputs include broadcasting and non-contiguous (transposed) views.
/// </summary>
public class MathOpsGradCheckTests
{
    private static Tensor Randn(int seed, params int[] shape) => Tensor.Randn(shape, new Generator(seed));
    private static Tensor Positive(int seed, params int[] shape) => Tensor.Rand(shape, new Generator(seed)) + 0.5f;

    private static readonly Dictionary<string, (Func<Tensor[], Tensor> Function, Tensor[] Inputs)> Cases = new()
    {
        ["pow_scalar"] = (t => t[0].Pow(2.5f), [Positive(1, 3, 4)]),
        ["pow_scalar_two"] = (t => t[0].Pow(2f), [Randn(2, 3, 4)]),
        ["pow_scalar_negative"] = (t => t[0].Pow(-1.5f), [Positive(3, 5)]),
        ["pow_tensor"] = (t => t[0].Pow(t[1]), [Positive(4, 3, 4), Randn(5, 4)]),
        ["abs"] = (t => t[0].Abs(), [Randn(6, 3, 4)]),
        ["sqrt_transposed"] = (t => t[0].T.Sqrt(), [Positive(7, 4, 3)]),
        ["leaky_relu"] = (t => t[0].LeakyRelu(), [Randn(8, 3, 4)]),
        ["leaky_relu_negative_slope"] = (t => t[0].LeakyRelu(-0.5f), [Randn(9, 10)]),
        ["gelu"] = (t => (t[0] * 3f).Gelu(), [Randn(10, 3, 5)]),
        ["clamp"] = (t => t[0].Clamp(-0.5f, 0.5f), [Randn(11, 4, 4)]),
        ["clamp_min"] = (t => t[0].Clamp(min: 0.1f), [Randn(12, 8)]),
        ["clamp_max"] = (t => t[0].Clamp(max: -0.1f), [Randn(13, 8)]),
        ["maximum_broadcast"] = (t => t[0].Maximum(t[1]), [Randn(14, 3, 4), Randn(15, 4)]),
        ["minimum_broadcast_transposed"] = (t => t[0].T.Minimum(t[1]), [Randn(16, 4, 3), Randn(17, 3, 1)]),
        ["where"] = (t => Tensor.Where(Tensor.FromArray([1f, 0f, 1f], 3, 1), t[0], t[1]), [Randn(18, 3, 4), Randn(19, 4)]),
        ["max_all"] = (t => t[0].Max(), [Randn(20, 3, 4)]),
        ["max_dim"] = (t => t[0].Max(1), [Randn(21, 3, 4)]),
        ["max_dim0_keepdim_transposed"] = (t => t[0].T.Max(0, keepDim: true), [Randn(22, 4, 3)]),
        ["max_dims"] = (t => t[0].Max([0, 2]), [Randn(23, 2, 3, 4)]),
        ["max_dims_leading"] = (t => t[0].Max([0, 1], keepDim: true), [Randn(24, 2, 3, 4)]),
        ["min_all"] = (t => t[0].Min(), [Randn(25, 3, 4)]),
        ["min_dim"] = (t => t[0].Min(-1), [Randn(26, 2, 3, 4)]),
        ["min_dims"] = (t => t[0].Min([1]), [Randn(27, 3, 4)]),
        ["var_all"] = (t => t[0].Var(), [Randn(28, 3, 4)]),
        ["var_dim"] = (t => t[0].Var(1, keepDim: true), [Randn(29, 3, 4)]),
        ["var_dims_population"] = (t => t[0].Var([0, 2], correction: 0), [Randn(30, 2, 3, 4)]),
        ["std"] = (t => t[0].Std(0), [Randn(31, 4, 3)]),
        ["logsumexp"] = (t => t[0].LogSumExp(1), [Randn(32, 3, 4)]),
        ["logsumexp_dims_keepdim"] = (t => t[0].LogSumExp([0, 2], keepDim: true), [Randn(33, 2, 3, 4)]),
        ["softmax_last"] = (t => t[0].Softmax(-1), [Randn(34, 3, 5)]),
        ["softmax_dim0"] = (t => t[0].Softmax(0), [Randn(35, 3, 5)]),
        ["softmax_middle_transposed"] = (t => t[0].Permute(2, 0, 1).Softmax(1), [Randn(36, 2, 3, 4)]),
        ["log_softmax_last"] = (t => t[0].LogSoftmax(1), [Randn(37, 3, 5)]),
        ["log_softmax_dim0"] = (t => t[0].LogSoftmax(0), [Randn(38, 3, 5)]),
        ["cross_entropy_like"] = (t => -(t[0].LogSoftmax(1) * Tensor.OneHot(Tensor.FromArray([2f, 0f, 4f]), 5)).Sum(1).Mean(),
                                  [Randn(39, 3, 5)]),
    };

    public static TheoryData<string> Names => new(Cases.Keys);

    [Theory]
    [MemberData(nameof(Names))]
    public void AnalyticGradientMatchesCentralDifferences(string name)
    {
        var (function, inputs) = Cases[name];
        var result = GradCheck.Check(function, inputs);
        Assert.True(result.Passed, $"{name}: {result.Message}");
    }

    // ----- a test that GradCheck can fail: a test-only op whose backward is deliberately wrong -----

    /// <summary>y = x^2 with the backward given by <paramref name="slope"/>: 2 is right, anything else is wrong.</summary>
    private static Tensor Square(Tensor x, float slope)
    {
        var y = x.Detach() * x.Detach();
        return x.RequiresGrad ? y.WithGradFn(new SquareNode(x, slope)) : y;
    }

    private sealed class SquareNode(Tensor x, float slope) : GradNode(x)
    {
        public override string Name => "SquareBackward";
        protected internal override void Backward(Tensor dy) => AccumulateGrad(0, dy * x * slope);
    }

    [Fact]
    public void GradCheckFailsOnADeliberatelyWrongBackward()
    {
        var x = Randn(40, 3, 4);
        var right = GradCheck.Check(t => Square(t[0], 2f), [x]);
        Assert.True(right.Passed, right.Message);

        var wrong = GradCheck.Check(t => Square(t[0], 1f), [x]);
        Assert.False(wrong.Passed);
        Assert.Contains("disagree", wrong.Message);

        // Slightly wrong is still wrong: a 1% error in the slope is far outside the tolerance.
        Assert.False(GradCheck.Check(t => Square(t[0], 2.02f), [x]).Passed);
    }
}
