namespace Nabla.NN;

/// <summary>
/// A 2-D convolution layer (<c>torch.nn.Conv2d</c>): input (N, C_in, H, W) to (N, C_out, OH, OW) with
/// OH = (H + 2 padding - dilation (kH - 1) - 1) / stride + 1 (likewise OW), weight (C_out, C_in / groups, kH, kW)
/// and bias (C_out,). See <see cref="Tensor.Conv2d"/>.
/// </summary>
/// <remarks>
/// Initialized as PyTorch: the weight by <see cref="Init.KaimingUniform"/> with a = sqrt(5), which is
/// U(-1/sqrt(fan_in), 1/sqrt(fan_in)) with fan_in = C_in / groups * kH * kW, and the bias from the same uniform.
/// Sizes take an int or an (h, w) tuple: <c>new Conv2d(3, 16, 3, padding: 1)</c>, <c>new Conv2d(3, 16, (3, 5))</c>.
/// </remarks>
public class Conv2d : Module
{
    /// <summary>Creates the layer and initializes its parameters from <paramref name="generator"/> (default <see cref="Generator.Default"/>).</summary>
    /// <param name="inChannels">C_in, the channels of the input.</param>
    /// <param name="outChannels">C_out, the channels of the output.</param>
    /// <param name="kernelSize">The kernel (height, width), or one int for a square kernel.</param>
    /// <param name="stride">Step between windows; default 1.</param>
    /// <param name="padding">Zeros added on both sides of each spatial dim; default 0.</param>
    /// <param name="dilation">Spacing between kernel taps; default 1.</param>
    /// <param name="groups">Channel groups convolved separately (C_in for a depthwise convolution); both channel counts must be divisible by it.</param>
    /// <param name="bias">Whether to learn an additive bias.</param>
    /// <param name="generator">The random stream for the initialization.</param>
    /// <exception cref="ArgumentException">A channel count is not positive or not divisible by groups, or a size is out of range.</exception>
    public Conv2d(int inChannels, int outChannels, Size2d kernelSize, Size2d? stride = null, Size2d? padding = null,
                  Size2d? dilation = null, int groups = 1, bool bias = true, Generator? generator = null)
    {
        Size2d s = stride ?? 1, p = padding ?? 0, d = dilation ?? 1;
        ConvLayerChecks.Check("Conv2d", inChannels, outChannels, groups, [kernelSize.H, kernelSize.W], [s.H, s.W], [p.H, p.W], [d.H, d.W]);
        (InChannels, OutChannels, KernelSize, Stride, Padding, Dilation, Groups) = (inChannels, outChannels, kernelSize, s, p, d, groups);
        var weight = RegisterParameter("weight", new Parameter(Tensor.Zeros(outChannels, inChannels / groups, KernelSize.H, KernelSize.W)));
        var b = RegisterParameter("bias", bias ? new Parameter(Tensor.Zeros(outChannels)) : null);
        ConvLayerChecks.ResetParameters(weight, b, generator);
    }

    /// <summary>C_in, the channels of the input.</summary>
    public int InChannels { get; }

    /// <summary>C_out, the channels of the output.</summary>
    public int OutChannels { get; }

    /// <summary>The kernel (height, width).</summary>
    public Size2d KernelSize { get; }

    /// <summary>Step between windows.</summary>
    public Size2d Stride { get; }

    /// <summary>Zero padding on each side.</summary>
    public Size2d Padding { get; }

    /// <summary>Spacing between kernel taps.</summary>
    public Size2d Dilation { get; }

    /// <summary>Channel groups convolved separately.</summary>
    public int Groups { get; }

    /// <summary>The weight, (C_out, C_in / groups, kH, kW).</summary>
    public Parameter Weight => GetParameter("weight")!;

    /// <summary>The bias, (C_out,), or null when the layer has none.</summary>
    public Parameter? Bias => GetParameter("bias");

    /// <summary>Convolves <paramref name="input"/> (N, C_in, H, W).</summary>
    /// <exception cref="ArgumentException">The input is not 4-D, has another channel count, or is smaller than the dilated kernel.</exception>
    public override Tensor Forward(Tensor input) => Tensor.Conv2d(input, Weight, Bias, Stride, Padding, Dilation, Groups);

    /// <inheritdoc/>
    protected override string ExtraRepr() =>
        ConvLayerChecks.Repr(InChannels, OutChannels, KernelSize.ToString(), Stride.ToString(),
                             Padding == 0 ? null : Padding.ToString(), Dilation == 1 ? null : Dilation.ToString(), Groups, Bias is not null);
}

public static partial class Functional
{
    /// <summary>2-D convolution (<c>F.conv2d</c>); see <see cref="Tensor.Conv2d"/>.</summary>
    public static Tensor Conv2d(Tensor input, Tensor weight, Tensor? bias = null, Size2d? stride = null, Size2d? padding = null,
                                Size2d? dilation = null, int groups = 1)
        => Tensor.Conv2d(input, weight, bias, stride, padding, dilation, groups);
}
