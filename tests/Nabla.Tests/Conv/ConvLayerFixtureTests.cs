using Nabla.NN;
using Nabla.Tests.NN;

namespace Nabla.Tests.Conv;

/// <summary>
/// The convolution, pooling, dropout and batch-norm layers against PyTorch (tools/fixtures_conv.py): printout,
/// parameter and state names and order, then with PyTorch's state loaded the outputs, the input and parameter
/// gradients over training and evaluation steps, and BatchNorm2d's running statistics at the end.
/// </summary>
public class ConvLayerFixtureTests
{
    private const string File = "conv_layers.json";

    private static readonly Dictionary<string, Func<Module>> Layers = new()
    {
        ["conv2d_default"] = () => new Conv2d(3, 4, 3),
        ["conv2d_full"] = () => new Conv2d(4, 6, (3, 2), stride: (2, 1), padding: (1, 0), dilation: (1, 2), groups: 2, bias: false),
        ["conv2d_depthwise"] = () => new Conv2d(4, 4, 3, padding: 1, groups: 4),
        ["conv2d_square_settings"] = () => new Conv2d(2, 3, 3, stride: 2, padding: 2, dilation: 2),
        ["conv1d"] = () => new Conv1d(3, 4, 3, stride: 2, padding: 1, dilation: 2),
        ["conv1d_groups_no_bias"] = () => new Conv1d(4, 2, 2, groups: 2, bias: false),
        ["maxpool2d"] = () => new MaxPool2d(2),
        ["maxpool2d_overlap"] = () => new MaxPool2d(3, stride: 2, padding: 1),
        ["maxpool2d_tuples"] = () => new MaxPool2d((2, 3), stride: (1, 2), dilation: (2, 1), ceilMode: true),
        ["avgpool2d"] = () => new AvgPool2d(2),
        ["avgpool2d_exclude_pad"] = () => new AvgPool2d(3, 2, 1, countIncludePad: false),
        ["avgpool2d_tuples_ceil"] = () => new AvgPool2d((3, 2), stride: (2, 1), padding: (1, 1), ceilMode: true),
        ["adaptive_avgpool2d"] = () => new AdaptiveAvgPool2d((3, 4)),
        ["adaptive_avgpool2d_global"] = () => new AdaptiveAvgPool2d(1),
        ["dropout2d_eval"] = () => new Dropout2d(0.3),
        ["batchnorm2d"] = () => new BatchNorm2d(3),
        ["batchnorm2d_momentum_eps"] = () => new BatchNorm2d(2, eps: 1e-3, momentum: 0.3),
        ["batchnorm2d_no_affine"] = () => new BatchNorm2d(3, affine: false),
        ["batchnorm2d_cumulative"] = () => new BatchNorm2d(2, momentum: null),
        ["batchnorm2d_no_running_stats"] = () => new BatchNorm2d(2, trackRunningStats: false),
        ["batchnorm2d_batch_of_one"] = () => new BatchNorm2d(2),
        ["small_cnn"] = () => new Sequential(
            new Conv2d(3, 4, 3, padding: 1), new BatchNorm2d(4), new ReLU(), new MaxPool2d(2),
            new Conv2d(4, 4, 3, padding: 1, groups: 2), new AvgPool2d(2), new AdaptiveAvgPool2d(1), new Flatten(), new Linear(4, 2)),
    };

    public static IEnumerable<object[]> Cases => ModuleFixture.Load(File).Select(c => new object[] { c.Name });

    [Theory]
    [MemberData(nameof(Cases))]
    public void MatchesPyTorch(string name)
    {
        Assert.True(Layers.ContainsKey(name), $"no Nabla module registered for fixture case '{name}'");
        ModuleFixture.Verify(ModuleFixture.Get(File, name), Layers[name]());
    }

    [Fact]
    public void EveryRegisteredLayerHasAFixture() =>
        Assert.Equal(Layers.Keys.Order(), ModuleFixture.Load(File).Select(c => c.Name).Order());
}
