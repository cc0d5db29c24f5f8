using Nabla.NN;

namespace Nabla.Tests.Gan;

/// <summary>Bad arguments to ConvTranspose2d and interpolation give exceptions that name the op, the setting and the shapes.</summary>
public class GanLayerErrorTests
{
    private static void Throws(Action action, params string[] parts)
    {
        var e = Assert.Throws<ArgumentException>(action);
        foreach (var part in parts) Assert.Contains(part, e.Message);
    }

    [Fact]
    public void ConvTransposeChannelsMustMatchTheWeight() =>
        Throws(() => Tensor.ConvTranspose2d(Tensor.Zeros(1, 3, 4, 4), Tensor.Zeros(4, 2, 3, 3)),
               "ConvTranspose2d", "(1, 3, 4, 4)", "(4, 2, 3, 3)", "4 channels", "got 3");

    [Fact]
    public void ConvTransposeOutputPaddingMustBeSmallerThanTheStride()
    {
        Throws(() => Tensor.ConvTranspose2d(Tensor.Zeros(1, 2, 4, 4), Tensor.Zeros(2, 2, 3, 3), stride: 2, outputPadding: 2),
               "ConvTranspose2d", "output_padding", "(2, 2)", "stride");
        Throws(() => new ConvTranspose2d(2, 2, 3, outputPadding: 1), "ConvTranspose2d", "output_padding");
    }

    [Fact]
    public void ConvTransposeEmptyOutput() =>
        Throws(() => Tensor.ConvTranspose2d(Tensor.Zeros(1, 2, 1, 1), Tensor.Zeros(2, 2, 1, 1), padding: 1),
               "ConvTranspose2d", "empty output", "(1, 2, -1, -1)");

    [Fact]
    public void ConvTransposeRanksGroupsAndBias()
    {
        Throws(() => Tensor.ConvTranspose2d(Tensor.Zeros(2, 4, 4), Tensor.Zeros(2, 2, 3, 3)), "4-D input", "Unsqueeze(0)");
        Throws(() => Tensor.ConvTranspose2d(Tensor.Zeros(1, 2, 4, 4), Tensor.Zeros(2, 2, 3)), "4-D weight");
        Throws(() => Tensor.ConvTranspose2d(Tensor.Zeros(1, 3, 4, 4), Tensor.Zeros(3, 2, 3, 3), groups: 2), "not divisible by groups");
        Throws(() => Tensor.ConvTranspose2d(Tensor.Zeros(1, 2, 4, 4), Tensor.Zeros(2, 3, 3, 3), Tensor.Zeros(2)), "bias", "(3,)");
        Throws(() => new ConvTranspose2d(3, 4, 3, groups: 2), "in_channels = 3");
    }

    [Fact]
    public void InterpolateSettings()
    {
        var x = Tensor.Zeros(1, 2, 3, 4);
        Throws(() => x.Interpolate(), "Interpolate", "neither");
        Throws(() => x.Interpolate(size: 4, scaleFactor: 2), "both");
        Throws(() => x.Interpolate(scaleFactor: 0.1), "empty output", "(1, 2, 0, 0)");
        Throws(() => x.Interpolate(scaleFactor: -1), "scale_factor must be positive");
        Throws(() => x.Interpolate(size: (0, 3)), "size must be positive");
        Throws(() => x.Interpolate(scaleFactor: 2, alignCorners: true), "align_corners", "nearest");
        Throws(() => Tensor.Zeros(2, 3, 4).Interpolate(scaleFactor: 2), "4-D input");
        Throws(() => new Upsample(), "Upsample", "neither");
    }

    [Fact]
    public void UpsampleNearestRepeatsPixels()
    {
        var x = Tensor.FromArray([1f, 2f, 3f, 4f], [1, 1, 2, 2]);
        Assert.Equal([1.0, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4], new Upsample(scaleFactor: 2).Forward(x).ToDoubleArray());
    }
}
