using Nabla.NN;

namespace Nabla.Tests.Conv;

/// <summary>Bad input gets an exception that names the op or layer and the shapes at fault.</summary>
public class ConvErrorTests
{
    private static string Message(Action action) => Assert.ThrowsAny<ArgumentException>(action).Message;

    private static void Contains(string message, params string[] parts)
    {
        foreach (var part in parts) Assert.Contains(part, message);
    }

    [Fact]
    public void Conv2dWrongChannelCount()
    {
        var layer = new Conv2d(3, 8, 3);
        Contains(Message(() => layer.Call(Tensor.Zeros(2, 4, 5, 5))),
                 "Conv2d", "input (2, 4, 5, 5)", "3 channels", "weight (8, 3, 3, 3)", "got 4 channels");
        Contains(Message(() => Tensor.Conv2d(Tensor.Zeros(1, 4, 5, 5), Tensor.Zeros(6, 3, 3, 3), groups: 2)),
                 "Conv2d", "6 channels", "groups = 2", "got 4");
    }

    [Fact]
    public void Conv2dInputSmallerThanTheDilatedKernel()
    {
        Contains(Message(() => new Conv2d(1, 1, 3).Call(Tensor.Zeros(1, 1, 2, 5))),
                 "Conv2d", "input (1, 1, 2, 5)", "padded by (0, 0)", "(2, 5)", "dilated kernel (3, 3)");
        Contains(Message(() => Tensor.Conv2d(Tensor.Zeros(1, 1, 6, 6), Tensor.Zeros(1, 1, 3, 3), dilation: 3)),
                 "dilated kernel (7, 7)", "dilation (3, 3)", "output would be empty");
        // Padding can rescue it: the same input works with enough padding.
        Assert.Equal([1, 1, 2, 3], new Conv2d(1, 1, 3, padding: 1).Call(Tensor.Zeros(1, 1, 2, 3)).Shape);
    }

    [Fact]
    public void Conv2dBadSettings()
    {
        var x = Tensor.Zeros(1, 2, 5, 5);
        var w = Tensor.Zeros(2, 2, 3, 3);
        Contains(Message(() => Tensor.Conv2d(x, w, stride: 0)), "Conv2d", "stride must be positive", "(0, 0)");
        Contains(Message(() => Tensor.Conv2d(x, w, padding: (1, -1))), "padding must be non-negative", "(1, -1)");
        Contains(Message(() => Tensor.Conv2d(x, w, dilation: 0)), "dilation must be positive");
        Contains(Message(() => Tensor.Conv2d(x, w, groups: 0)), "groups must be positive");
        Contains(Message(() => Tensor.Conv2d(x, Tensor.Zeros(3, 1, 3, 3), groups: 2)), "out_channels = 3", "not divisible by groups = 2");
        Contains(Message(() => Tensor.Conv2d(x, w, Tensor.Zeros(3))), "bias has shape (3,)", "expected (2,)");
        Contains(Message(() => Tensor.Conv2d(x, Tensor.Zeros(2, 2, 3))), "4-D weight", "(2, 2, 3)");
    }

    [Fact]
    public void ChannelsNotDivisibleByGroups()
    {
        Contains(Message(() => new Conv2d(5, 4, 3, groups: 2)), "Conv2d", "in_channels = 5", "groups = 2");
        Contains(Message(() => new Conv2d(4, 5, 3, groups: 2)), "Conv2d", "out_channels = 5", "groups = 2");
        Contains(Message(() => new Conv1d(3, 4, 3, groups: 2)), "Conv1d", "in_channels = 3");
        Contains(Message(() => new Conv2d(4, 4, 0)), "kernel_size must be positive");
    }

    [Fact]
    public void NotFourD()
    {
        Contains(Message(() => new Conv2d(3, 4, 3).Call(Tensor.Zeros(3, 5, 5))),
                 "Conv2d", "4-D input (N, C, H, W)", "(3, 5, 5)", "Unsqueeze(0)");
        Contains(Message(() => Tensor.Conv2d(Tensor.Zeros(5, 5), Tensor.Zeros(1, 1, 3, 3))), "(5, 5)");
        Contains(Message(() => new Conv1d(3, 4, 3).Call(Tensor.Zeros(2, 3, 5, 5))), "Conv1d", "3-D input (N, C, L)", "(2, 3, 5, 5)");
        Contains(Message(() => new MaxPool2d(2).Call(Tensor.Zeros(3, 4, 4))), "MaxPool2d", "4-D input", "(3, 4, 4)");
        Contains(Message(() => new AvgPool2d(2).Call(Tensor.Zeros(4, 4))), "AvgPool2d", "(4, 4)");
        Contains(Message(() => new AdaptiveAvgPool2d(1).Call(Tensor.Zeros(2, 3, 4, 4, 4))), "AdaptiveAvgPool2d", "(2, 3, 4, 4, 4)");
        Contains(Message(() => new BatchNorm2d(3).Call(Tensor.Zeros(2, 3, 4))), "BatchNorm2d", "4-D input", "(2, 3, 4)");
        Contains(Message(() => new Dropout2d().Call(Tensor.Zeros(2, 3))), "Dropout2d", "(2, 3)");
    }

    [Fact]
    public void Conv1dMessagesUseOneDimensionalShapes()
    {
        Contains(Message(() => new Conv1d(2, 3, 5).Call(Tensor.Zeros(1, 2, 4))),
                 "Conv1d", "input (1, 2, 4)", "padded by (0,)", "dilated kernel (5,)");
        Contains(Message(() => new Conv1d(2, 3, 3).Call(Tensor.Zeros(1, 3, 8))), "Conv1d", "2 channels", "weight (3, 2, 3)", "got 3");
    }

    [Fact]
    public void PoolingSettingsAndEmptyOutputs()
    {
        Contains(Message(() => new MaxPool2d(2, padding: 2).Call(Tensor.Zeros(1, 1, 6, 6))),
                 "MaxPool2d", "at most half the kernel size", "padding (2, 2)", "kernel (2, 2)");
        Contains(Message(() => new MaxPool2d(3).Call(Tensor.Zeros(1, 2, 2, 6))),
                 "MaxPool2d", "input (1, 2, 2, 6)", "too small", "kernel (3, 3)", "(1, 2, 0, 2)");
        Contains(Message(() => new MaxPool2d(2, dilation: 3).Call(Tensor.Zeros(1, 1, 3, 3))), "MaxPool2d", "dilation (3, 3)", "too small");
        Contains(Message(() => new AvgPool2d(3, stride: 0).Call(Tensor.Zeros(1, 1, 6, 6))), "AvgPool2d", "stride must be positive");
        Contains(Message(() => new AvgPool2d(2, divisorOverride: 0).Call(Tensor.Zeros(1, 1, 6, 6))), "divisor_override");
        Contains(Message(() => new AdaptiveAvgPool2d((2, -1))), "AdaptiveAvgPool2d", "non-negative", "(2, -1)");
        Contains(Message(() => new AdaptiveAvgPool2d(2).Call(Tensor.Zeros(1, 1, 0, 3))), "AdaptiveAvgPool2d", "empty plane", "(1, 1, 0, 3)");
    }

    [Fact]
    public void BatchNorm2dAndDropout2d()
    {
        Contains(Message(() => new BatchNorm2d(4).Call(Tensor.Zeros(2, 3, 4, 4))), "BatchNorm2d", "(2, 3, 4, 4)", "3 channels", "4");
        Contains(Message(() => new BatchNorm2d(3).Call(Tensor.Zeros(1, 3, 1, 1))), "more than 1 value per channel");
        Assert.Throws<ArgumentOutOfRangeException>(() => new Dropout2d(1.5));
        Assert.Throws<ArgumentOutOfRangeException>(() => Tensor.Zeros(1, 1, 2, 2).Dropout2d(-0.1));
    }
}
