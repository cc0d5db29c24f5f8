using System.Text.RegularExpressions;
using Nabla.NN;
using Nabla.Tests.Support;

namespace Nabla.Tests.Conv;

/// <summary>
/// Convolution, pooling, channel dropout and 2-D batch norm against PyTorch (tools/fixtures_conv.py): forward values
/// and every input gradient in float64. The Conv2d grid cases carry their settings in their names.
/// </summary>
public partial class ConvFixtureTests
{
    private const string File = "conv_ops.json";

    private static readonly Dictionary<string, Func<Tensor[], Tensor>> Ops = new()
    {
        ["conv2d_input_only"] = t => Tensor.Conv2d(t[0], t[1], padding: 1),
        ["conv2d_weight_only"] = t => Tensor.Conv2d(t[0], t[1], t[2], stride: 2),
        ["conv1d_basic"] = t => Tensor.Conv1d(t[0], t[1], t[2]),
        ["conv1d_stride_pad_dilation"] = t => Tensor.Conv1d(t[0], t[1], t[2], stride: 2, padding: 2, dilation: 2),
        ["conv1d_groups_no_bias"] = t => Tensor.Conv1d(t[0], t[1], padding: 1, groups: 2),
        ["conv1d_depthwise"] = t => Tensor.Conv1d(t[0], t[1], padding: 1, groups: 3),
        ["maxpool_k2_s2"] = t => t[0].MaxPool2d(2),
        ["maxpool_k2_s2_odd"] = t => t[0].MaxPool2d(2),
        ["maxpool_k3_s2_p1"] = t => t[0].MaxPool2d(3, 2, 1),
        ["maxpool_k3_s1_p1"] = t => t[0].MaxPool2d(3, 1, 1),
        ["maxpool_nonsquare_dilated_ceil"] = t => t[0].MaxPool2d((2, 3), (2, 1), (1, 1), (2, 1), ceilMode: true),
        ["maxpool_k3_s2_ceil"] = t => t[0].MaxPool2d(3, 2, ceilMode: true),
        ["maxpool_ties_k2_s2"] = t => t[0].MaxPool2d(2),
        ["maxpool_ties_k3_s2_p1"] = t => t[0].MaxPool2d(3, 2, 1),
        ["maxpool_ties_wide"] = t => t[0].MaxPool2d((2, 3), 1),
        ["maxpool_wide_rows"] = t => t[0].MaxPool2d(3, 2, 1),
        ["avgpool_k2_s2"] = t => t[0].AvgPool2d(2),
        ["avgpool_k3_s2_p1_include_pad"] = t => t[0].AvgPool2d(3, 2, 1),
        ["avgpool_k3_s2_p1_exclude_pad"] = t => t[0].AvgPool2d(3, 2, 1, countIncludePad: false),
        ["avgpool_ceil_include_pad"] = t => t[0].AvgPool2d(3, 2, 1, ceilMode: true),
        ["avgpool_ceil_exclude_pad"] = t => t[0].AvgPool2d(3, 2, 1, ceilMode: true, countIncludePad: false),
        ["avgpool_nonsquare"] = t => t[0].AvgPool2d((3, 2), (1, 2), (1, 0)),
        ["avgpool_divisor_override"] = t => t[0].AvgPool2d(2, 1, divisorOverride: 3),
        ["avgpool_wide_rows"] = t => t[0].AvgPool2d(3, 2, 1, countIncludePad: false),
        ["adaptive_7x9_to_3x4"] = t => t[0].AdaptiveAvgPool2d((3, 4)),
        ["adaptive_5x5_to_2x3"] = t => t[0].AdaptiveAvgPool2d((2, 3)),
        ["adaptive_global"] = t => t[0].AdaptiveAvgPool2d(1),
        ["adaptive_upsample_4x3_to_6x5"] = t => t[0].AdaptiveAvgPool2d((6, 5)),
        ["adaptive_same_size"] = t => t[0].AdaptiveAvgPool2d((4, 5)),
        ["dropout2d_eval"] = t => t[0].Dropout2d(0.4, training: false),
        ["batch_norm_2d_train"] = t => Functional.BatchNorm(t[0], null, null, t[1], t[2], training: true, eps: 1e-3),
        ["batch_norm_2d_eval"] = t => Functional.BatchNorm(t[0], t[3], t[4], t[1], t[2], training: false),
    };

    [GeneratedRegex(@"^conv2d_n(\d+)_c(\d+)_o(\d+)_h(\d+)_w(\d+)_k(\d+)x(\d+)_s(\d+)x(\d+)_p(\d+)x(\d+)_d(\d+)x(\d+)_g(\d+)_b([01])$")]
    private static partial Regex GridName();

    public static IEnumerable<object[]> Cases => TorchFixture.Names(File);

    [Theory]
    [MemberData(nameof(Cases))]
    public void MatchesPyTorch(string name)
    {
        var fixture = TorchFixture.Get(File, name);
        var grid = GridName().Match(name);
        if (grid.Success)
        {
            int V(int i) => int.Parse(grid.Groups[i].Value);
            Size2d stride = (V(8), V(9)), padding = (V(10), V(11)), dilation = (V(12), V(13));
            int groups = V(14);
            bool bias = V(15) == 1;
            Assert.Equal([V(1), V(2), V(4), V(5)], fixture.Inputs[0].Shape);
            Assert.Equal([V(3), V(2) / groups, V(6), V(7)], fixture.Inputs[1].Shape);
            TorchFixture.Verify(fixture, t => Tensor.Conv2d(t[0], t[1], bias ? t[2] : null, stride, padding, dilation, groups));
            return;
        }
        Assert.True(Ops.ContainsKey(name), $"no Nabla computation registered for fixture case '{name}'");
        TorchFixture.Verify(fixture, Ops[name]);
    }

    [Fact]
    public void EveryRegisteredOpHasAFixture()
    {
        var names = TorchFixture.Load(File).Select(c => c.Name).ToHashSet();
        Assert.All(Ops.Keys, k => Assert.Contains(k, names));
        Assert.Equal(36 + 5, names.Count(n => GridName().IsMatch(n)));
    }
}
