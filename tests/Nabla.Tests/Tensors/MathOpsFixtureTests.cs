using Nabla.Tests.Support;

namespace Nabla.Tests.Tensors;

/// <summary>The math ops against PyTorch (tools/fixtures_math.py): forward values and every input gradient, in float64.</summary>
public class MathOpsFixtureTests
{
    private const string File = "math_ops.json";

    private static readonly Dictionary<string, Func<Tensor[], Tensor>> Ops = new()
    {
        // powers, abs, sqrt
        ["pow_scalar"] = t => t[0].Pow(2.5f),
        ["pow_scalar_two"] = t => t[0].Pow(2f),
        ["pow_scalar_three"] = t => t[0].Pow(3f),
        ["pow_scalar_negative"] = t => t[0].Pow(-1.5f),
        ["pow_scalar_zero"] = t => t[0].Pow(0f),
        ["pow_tensor_broadcast"] = t => t[0].Pow(t[1]),
        ["pow_tensor_zero_base"] = t => t[0].Pow(t[1]),
        ["abs"] = t => t[0].Abs(),
        ["sqrt"] = t => t[0].Sqrt(),
        ["sqrt_transposed"] = t => t[0].T.Sqrt(),

        // activations
        ["leaky_relu"] = t => t[0].LeakyRelu(0.25f),
        ["leaky_relu_negative_slope"] = t => t[0].LeakyRelu(-0.5f),
        ["gelu"] = t => t[0].Gelu(),
        ["gelu_range"] = t => t[0].Gelu(),
        ["gelu_transposed"] = t => t[0].T.Gelu(),

        // clamp
        ["clamp_bounds"] = t => t[0].Clamp(-0.5f, 0.5f),
        ["clamp_min_only"] = t => t[0].Clamp(min: 0f),
        ["clamp_max_only"] = t => t[0].Clamp(max: 0.25f),
        ["clamp_min_above_max"] = t => t[0].Clamp(0.5f, -0.5f),

        // maximum / minimum / where
        ["maximum_broadcast"] = t => t[0].Maximum(t[1]),
        ["maximum_ties"] = t => t[0].Maximum(t[1]),
        ["maximum_transposed"] = t => t[0].T.Maximum(t[1]),
        ["minimum_broadcast"] = t => t[0].Minimum(t[1]),
        ["minimum_ties"] = t => t[0].Minimum(t[1]),
        ["where_broadcast"] = t => Tensor.Where(t[0], t[1], t[2]),
        ["where_same_shape"] = t => Tensor.Where(t[0], t[1], t[2]),
        ["where_transposed"] = t => Tensor.Where(t[0], t[1].T, t[2]),

        // comparisons
        ["eq_broadcast"] = t => t[0].Eq(t[1]),
        ["ne_broadcast"] = t => t[0].Ne(t[1]),
        ["lt_broadcast"] = t => t[0] < t[1],
        ["le_broadcast"] = t => t[0] <= t[1],
        ["gt_broadcast"] = t => t[0] > t[1],
        ["ge_broadcast"] = t => t[0] >= t[1],
        ["eq_scalar"] = t => t[0].Eq(2f),
        ["ne_scalar"] = t => t[0].Ne(2f),
        ["lt_scalar"] = t => t[0] < 2f,
        ["le_scalar"] = t => 2f >= t[0],
        ["gt_scalar"] = t => t[0].Gt(2f),
        ["ge_scalar"] = t => t[0].Ge(2f),

        // max / min reductions
        ["max_all"] = t => t[0].Max(),
        ["max_all_ties"] = t => t[0].Max(),
        ["max_dim1"] = t => t[0].Max(1),
        ["max_dim0_keepdim"] = t => t[0].Max(0, keepDim: true),
        ["max_dim_ties"] = t => t[0].Max(1),
        ["max_dim_middle"] = t => t[0].Max(-2),
        ["max_dim_transposed"] = t => t[0].T.Max(1),
        ["max_dim_empty_rows"] = t => t[0].Max(1),
        ["max_dims"] = t => t[0].Max([0, 2]),
        ["max_dims_leading"] = t => t[0].Max([0, 1]),
        ["max_dims_ties_keepdim"] = t => t[0].Max([1], keepDim: true),
        ["min_all"] = t => t[0].Min(),
        ["min_all_ties"] = t => t[0].Min(),
        ["min_dim1"] = t => t[0].Min(1),
        ["min_dim_ties_keepdim"] = t => t[0].Min(1, keepDim: true),
        ["min_dims"] = t => t[0].Min([-1, 0]),
        ["argmax_dim1"] = t => t[0].ArgMax(1),
        ["argmax_dim0_keepdim"] = t => t[0].ArgMax(0, keepDim: true),
        ["argmax_ties"] = t => t[0].ArgMax(1),
        ["argmax_all"] = t => t[0].ArgMax(),
        ["argmin_dim1"] = t => t[0].ArgMin(1),
        ["argmin_all"] = t => t[0].ArgMin(),

        // var / std / logsumexp
        ["var_all"] = t => t[0].Var(),
        ["var_dim1"] = t => t[0].Var(1),
        ["var_dim0_keepdim"] = t => t[0].Var(0, keepDim: true),
        ["var_dims_population"] = t => t[0].Var([0, 2], correction: 0),
        ["var_large_mean"] = t => t[0].Var(1),
        ["std_all"] = t => t[0].Std(),
        ["std_dim1_keepdim"] = t => t[0].Std(1, keepDim: true),
        ["std_constant_rows"] = t => t[0].Std(1),
        ["logsumexp_dim1"] = t => t[0].LogSumExp(1),
        ["logsumexp_dim0_keepdim"] = t => t[0].LogSumExp(0, keepDim: true),
        ["logsumexp_large"] = t => t[0].LogSumExp(1),
        ["logsumexp_dims"] = t => t[0].LogSumExp([0, 2]),

        // softmax / log-softmax / one-hot
        ["softmax_last"] = t => t[0].Softmax(1),
        ["softmax_dim0"] = t => t[0].Softmax(0),
        ["softmax_middle"] = t => t[0].Softmax(1),
        ["softmax_large"] = t => t[0].Softmax(-1),
        ["softmax_transposed"] = t => t[0].T.Softmax(1),
        ["softmax_size1"] = t => t[0].Softmax(1),
        ["softmax_empty"] = t => t[0].Softmax(1),
        ["log_softmax_last"] = t => t[0].LogSoftmax(1),
        ["log_softmax_dim0"] = t => t[0].LogSoftmax(0),
        ["log_softmax_large"] = t => t[0].LogSoftmax(1),
        ["log_softmax_transposed"] = t => t[0].T.LogSoftmax(1),
        ["one_hot"] = t => Tensor.OneHot(t[0], 5),
        ["one_hot_infer"] = t => Tensor.OneHot(t[0]),
    };

    public static IEnumerable<object[]> Cases => TorchFixture.Names(File);

    [Theory]
    [MemberData(nameof(Cases))]
    public void MatchesPyTorch(string name)
    {
        Assert.True(Ops.ContainsKey(name), $"no Nabla computation registered for fixture case '{name}'");
        TorchFixture.Verify(TorchFixture.Get(File, name), Ops[name]);
    }

    [Fact]
    public void EveryRegisteredOpHasAFixture() =>
        Assert.Equal(Ops.Keys.OrderBy(k => k), TorchFixture.Load(File).Select(c => c.Name).OrderBy(k => k));

    [Theory]
    [InlineData("max_dim_ties")]       // routing the gradient to every tie (or the last one) instead of the first
    [InlineData("max_all_ties")]       // giving every tie the full gradient instead of an even share
    [InlineData("maximum_ties")]       // not splitting a tie half and half
    public void VerifyCatchesAWrongTieConvention(string name)
    {
        Func<Tensor[], Tensor> wrong = name switch
        {
            "max_dim_ties" => t => t[0].Max([1]),                                 // amax: even shares instead of the first index
            "max_all_ties" => t => FullGradientToEveryTie(t[0]),
            _ => t => Tensor.Where(t[0] >= t[1], t[0], t[1]),                      // all of a tie's gradient to one side
        };
        Assert.ThrowsAny<Xunit.Sdk.XunitException>(() => TorchFixture.Verify(TorchFixture.Get(File, name), wrong));
    }

    /// <summary>The value of x.Max() with a gradient of 1 (not 1/k) at each of the k maximal elements.</summary>
    private static Tensor FullGradientToEveryTie(Tensor x)
    {
        var max = x.Max().Detach();
        var picked = (x * x.Eq(max)).Sum();
        return max + picked - picked.Detach();
    }
}
