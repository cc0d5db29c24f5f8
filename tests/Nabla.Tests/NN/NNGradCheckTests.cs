using Nabla.Autograd;
using Nabla.NN;

namespace Nabla.Tests.NN;

/// <summary>
/// Central-difference gradient checks in float64 (<see cref="GradCheck"/>) for every layer and loss, through their
/// functional forms so that weights are checked as inputs too: the fused ops (batch norm, layer norm, cross-entropy,
/// BCE, embedding) against their own hand-written backward, and the composed ones end to end. Points are away from
/// kinks (|x - y| not near delta, no ties).
/// </summary>
public class NNGradCheckTests
{
    private static Tensor Randn(int seed, params int[] shape) => Tensor.Randn(shape, new Generator(seed));
    private static Tensor Rand(int seed, params int[] shape) => Tensor.Rand(shape, new Generator(seed));
    private static Tensor Labels(params float[] values) => Tensor.FromArray(values);
    private static Tensor Constant(Tensor t) { t.RequiresGrad = false; return t; }
    private static Tensor Probabilities(int seed, params int[] shape) => Constant(Rand(seed, shape) * 0.9f + 0.05f);

    private static readonly Dictionary<string, (Func<Tensor[], Tensor> Function, Tensor[] Inputs)> Cases = new()
    {
        ["linear"] = (t => Tensor.Linear(t[0], t[1], t[2]), [Randn(1, 3, 4), Randn(2, 2, 4), Randn(3, 2)]),
        ["batchnorm_train_2d"] = (t => Functional.BatchNorm(t[0], null, null, t[1], t[2], training: true), [Randn(4, 5, 3) * 2f + 1f, Rand(5, 3) + 0.5f, Randn(6, 3)]),
        ["batchnorm_train_3d"] = (t => Functional.BatchNorm(t[0], null, null, t[1], t[2], training: true), [Randn(7, 3, 2, 4), Rand(8, 2) + 0.5f, Randn(9, 2)]),
        ["batchnorm_train_no_affine"] = (t => Functional.BatchNorm(t[0], null, null, training: true, eps: 1e-3), [Randn(10, 4, 3)]),
        ["batchnorm_eval"] = (t => Functional.BatchNorm(t[0], Randn(11, 3).Double(), (Rand(12, 3) + 0.5f).Double(), t[1], t[2], training: false),
                              [Randn(13, 4, 3), Rand(14, 3) + 0.5f, Randn(15, 3)]),
        ["layernorm"] = (t => Functional.LayerNorm(t[0], [5], t[1], t[2]), [Randn(16, 3, 5) * 2f, Rand(17, 5) + 0.5f, Randn(18, 5)]),
        ["layernorm_2d_no_affine"] = (t => Functional.LayerNorm(t[0], [2, 3]), [Randn(19, 2, 2, 3)]),
        ["embedding"] = (t => Functional.Embedding(Labels(1, 3, 1, 0), t[0]), [Randn(20, 4, 3)]),
        ["gelu_tanh"] = (t => new GELU("tanh").Forward(t[0]), [Randn(21, 3, 4) * 2f]),
        ["softplus"] = (t => t[0].Softplus(), [Randn(22, 3, 4) * 3f]),
        ["dropout_fixed_seed"] = (t => Functional.Dropout(t[0], 0.4, generator: new Generator(5)), [Randn(23, 3, 4)]),
        ["mse"] = (t => Functional.MseLoss(t[0], t[1]), [Randn(24, 3, 4), Randn(25, 3, 4)]),
        ["l1"] = (t => Functional.L1Loss(t[0], t[1], Reduction.Sum), [Randn(26, 3, 4), Randn(27, 3, 4)]),
        ["huber"] = (t => Functional.HuberLoss(t[0], t[1], delta: 0.8), [Randn(28, 3, 4) * 2f, Randn(29, 3, 4)]),
        ["smooth_l1"] = (t => Functional.SmoothL1Loss(t[0], t[1], Reduction.None, beta: 0.6), [Randn(30, 3, 4) * 2f, Randn(31, 3, 4)]),
        ["bce"] = (t => Functional.BinaryCrossEntropy(t[0], t[1], Rand(32, 4).Double()), [Rand(33, 3, 4) * 0.9f + 0.05f, Rand(34, 3, 4)]),
        ["bce_with_logits"] = (t => Functional.BinaryCrossEntropyWithLogits(t[0], t[1]), [Randn(35, 3, 4) * 3f, Rand(36, 3, 4)]),
        ["bce_with_logits_pos_weight"] = (t => Functional.BinaryCrossEntropyWithLogits(t[0], t[1], Rand(37, 3, 1).Double(), Reduction.Sum, (Rand(38, 4) * 3f).Double()),
                                          [Randn(39, 3, 4) * 2f, Rand(40, 3, 4)]),
        ["cross_entropy"] = (t => Functional.CrossEntropy(t[0], Labels(2, 0, 3)), [Randn(41, 3, 4)]),
        ["cross_entropy_weight_ignore_smoothing"] = (t => Functional.CrossEntropy(t[0], Labels(2, -100, 3, 1), (Rand(42, 4) + 0.5f).Double(), labelSmoothing: 0.2),
                                                     [Randn(43, 4, 4)]),
        ["cross_entropy_3d_none"] = (t => Functional.CrossEntropy(t[0], Tensor.FromArray([0f, 2f, 1f, 1f], 2, 2), reduction: Reduction.None, labelSmoothing: 0.1),
                                     [Randn(44, 2, 3, 2)]),
        ["cross_entropy_probabilities"] = (t => Functional.CrossEntropy(t[0], t[1], (Rand(45, 4) + 0.5f).Double(), labelSmoothing: 0.1),
                                           [Randn(46, 3, 4), Randn(47, 3, 4).Softmax(1)]),
        ["nll"] = (t => Functional.NllLoss(t[0], Labels(1, 3, -100), (Rand(48, 4) + 0.5f).Double()), [Randn(49, 3, 4)]),
        ["nll_3d_sum"] = (t => Functional.NllLoss(t[0], Tensor.FromArray([0f, 2f, 1f, 1f], 2, 2), reduction: Reduction.Sum), [Randn(50, 2, 3, 2)]),
    };

    public static IEnumerable<object[]> Names => Cases.Keys.Select(k => new object[] { k });

    [Theory]
    [MemberData(nameof(Names))]
    public void GradientsMatchCentralDifferences(string name)
    {
        var (function, inputs) = Cases[name];
        var result = GradCheck.Check(function, inputs);
        Assert.True(result.Passed, $"{name}: {result}");
    }

    [Fact]
    public void GradCheckCatchesAWrongBackward()
    {
        // These checks can fail: the same BCE values with 2 added to the input gradient (x - x.detach() is 0 in value).
        var inputs = new[] { Probabilities(51, 3, 4), Probabilities(52, 3, 4) };
        inputs[0].RequiresGrad = true;
        var result = GradCheck.Check(t => Tensor.BinaryCrossEntropy(t[0], t[1]) + (t[0] - t[0].Detach()) * 2f, inputs);
        Assert.False(result.Passed);
    }
}
