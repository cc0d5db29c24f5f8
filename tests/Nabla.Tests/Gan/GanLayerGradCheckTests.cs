using Nabla.Autograd;

namespace Nabla.Tests.Gan;

/// <summary>Central-difference gradient checks in float64 for ConvTranspose2d and interpolation, and a wrong backward the check rejects.</summary>
public class GanLayerGradCheckTests
{
    private static Tensor Randn(int seed, params int[] shape) => Tensor.Randn(shape, new Generator(seed));

    private static readonly Dictionary<string, (Func<Tensor[], Tensor> Function, Tensor[] Inputs)> Cases = new()
    {
        ["convt"] = (t => Tensor.ConvTranspose2d(t[0], t[1], t[2]), [Randn(1, 2, 3, 3, 4), Randn(2, 3, 2, 3, 2), Randn(3, 2)]),
        ["convt_dcgan"] = (t => Tensor.ConvTranspose2d(t[0], t[1], t[2], stride: 2, padding: 1), [Randn(4, 2, 3, 3, 3), Randn(5, 3, 2, 4, 4), Randn(6, 2)]),
        ["convt_output_padding_groups_dilation"] = (t => Tensor.ConvTranspose2d(t[0], t[1], stride: (2, 3), padding: (1, 0), outputPadding: (1, 2), groups: 2, dilation: (2, 1)),
                                                    [Randn(7, 2, 4, 3, 3), Randn(8, 4, 1, 3, 2)]),
        ["nearest_factor"] = (t => t[0].Interpolate(scaleFactor: 2), [Randn(9, 2, 2, 3, 4)]),
        ["nearest_size"] = (t => t[0].Interpolate(size: (5, 7)), [Randn(10, 1, 2, 3, 4)]),
        ["bilinear"] = (t => t[0].Interpolate(size: (5, 7), mode: InterpolationMode.Bilinear), [Randn(11, 1, 2, 3, 4)]),
        ["bilinear_align_corners"] = (t => t[0].Interpolate(scaleFactor: 1.5, mode: InterpolationMode.Bilinear, alignCorners: true), [Randn(12, 2, 1, 4, 3)]),
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
        // Same values as ConvTranspose2d(x, w), but the weight gradient also gets that of ConvTranspose2d(x, 2 w).
        var inputs = new[] { Randn(13, 1, 2, 3, 3), Randn(14, 2, 2, 3, 3) };
        var result = GradCheck.Check(t =>
        {
            var doubled = Tensor.ConvTranspose2d(t[0], t[1] * 2f, stride: 2);
            return Tensor.ConvTranspose2d(t[0], t[1], stride: 2) + (doubled - doubled.Detach());
        }, inputs);
        Assert.False(result.Passed);
    }
}
