using Nabla.Autograd;
using Nabla.NN;

namespace Nabla.Tests.Conv;

/// <summary>
/// Central-difference gradient checks in float64 for every op of this family, on small sizes with every setting
/// away from its default somewhere; and one wrong backward that the check must reject.
/// </summary>
public class ConvGradCheckTests
{
    private static Tensor Randn(int seed, params int[] shape) => Tensor.Randn(shape, new Generator(seed));

    private static readonly Dictionary<string, (Func<Tensor[], Tensor> Function, Tensor[] Inputs)> Cases = new()
    {
        ["conv2d"] = (t => Tensor.Conv2d(t[0], t[1], t[2], padding: 1), [Randn(1, 2, 3, 4, 5), Randn(2, 4, 3, 3, 3), Randn(3, 4)]),
        ["conv2d_strided_dilated_grouped"] = (t => Tensor.Conv2d(t[0], t[1], t[2], (2, 1), (1, 2), (2, 1), groups: 2),
                                              [Randn(4, 2, 4, 6, 5), Randn(5, 6, 2, 2, 3), Randn(6, 6)]),
        ["conv2d_depthwise_no_bias"] = (t => Tensor.Conv2d(t[0], t[1], stride: 2, padding: 1, groups: 3), [Randn(7, 1, 3, 5, 5), Randn(8, 3, 1, 3, 3)]),
        ["conv2d_pointwise"] = (t => Tensor.Conv2d(t[0], t[1], t[2]), [Randn(9, 2, 3, 3, 2), Randn(10, 4, 3, 1, 1), Randn(11, 4)]),
        ["conv1d"] = (t => Tensor.Conv1d(t[0], t[1], t[2], stride: 2, padding: 2, dilation: 2), [Randn(12, 2, 3, 9), Randn(13, 4, 3, 3), Randn(14, 4)]),
        ["maxpool2d"] = (t => t[0].MaxPool2d(2), [Randn(15, 2, 2, 4, 5)]),
        ["maxpool2d_overlap_padded_dilated_ceil"] = (t => t[0].MaxPool2d(3, 2, 1, (1, 2), ceilMode: true), [Randn(16, 1, 2, 6, 9)]),
        ["avgpool2d_include_pad"] = (t => t[0].AvgPool2d(3, 2, 1), [Randn(17, 2, 2, 5, 6)]),
        ["avgpool2d_exclude_pad_ceil"] = (t => t[0].AvgPool2d((3, 2), (2, 1), (1, 1), ceilMode: true, countIncludePad: false), [Randn(18, 1, 2, 6, 5)]),
        ["adaptive_avgpool2d"] = (t => t[0].AdaptiveAvgPool2d((3, 4)), [Randn(19, 2, 2, 7, 5)]),
        ["dropout2d_fixed_seed"] = (t => t[0].Dropout2d(0.5, generator: new Generator(3)), [Randn(20, 3, 4, 2, 2)]),
        ["batchnorm2d_train"] = (t => Functional.BatchNorm(t[0], null, null, t[1], t[2], training: true), [Randn(21, 3, 2, 3, 4) * 2f + 1f, Randn(22, 2), Randn(23, 2)]),
        ["batchnorm2d_eval"] = (t => Functional.BatchNorm(t[0], Randn(24, 2).Double(), (Randn(25, 2).Abs() + 0.5f).Double(), t[1], t[2]),
                                [Randn(26, 3, 2, 3, 4), Randn(27, 2), Randn(28, 2)]),
        ["small_cnn"] = (t => Tensor.Conv2d(Tensor.Conv2d(t[0], t[1], padding: 1).Relu().MaxPool2d(2), t[2], groups: 2).AdaptiveAvgPool2d(1),
                         [Randn(29, 2, 2, 6, 6), Randn(30, 4, 2, 3, 3), Randn(31, 4, 2, 2, 2)]),
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
        // Same values as Conv2d(x, w), but the weight gradient also gets that of Conv2d(x, 2 w) (zero in value).
        var inputs = new[] { Randn(32, 1, 2, 4, 4), Randn(33, 3, 2, 3, 3) };
        var result = GradCheck.Check(t =>
        {
            var doubled = Tensor.Conv2d(t[0], t[1] * 2f, padding: 1);
            return Tensor.Conv2d(t[0], t[1], padding: 1) + (doubled - doubled.Detach());
        }, inputs);
        Assert.False(result.Passed);
    }
}
