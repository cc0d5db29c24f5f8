using System.Text;

namespace Nabla.NN;

/// <summary>
/// A 2-D transposed convolution layer (<c>torch.nn.ConvTranspose2d</c>), the learned upsampling of DCGAN-style
/// generators: input (N, C_in, H, W) to (N, C_out, OH, OW) with OH = (H - 1) stride - 2 padding + dilation (kH - 1)
/// + output_padding + 1 (likewise OW), weight (C_in, C_out / groups, kH, kW) and bias (C_out,). See
/// <see cref="Tensor.ConvTranspose2d"/>. <c>new ConvTranspose2d(64, 32, 4, stride: 2, padding: 1)</c> doubles H and W.
/// </summary>
/// <remarks>
/// Initialized as PyTorch: the weight by <see cref="Init.KaimingUniform"/> with a = sqrt(5), which is
/// U(-1/sqrt(fan_in), 1/sqrt(fan_in)) with PyTorch's fan_in for this layout, C_out / groups * kH * kW, and the bias
/// from the same uniform.
/// </remarks>
public class ConvTranspose2d : Module
{
    /// <summary>Creates the layer and initializes its parameters from <paramref name="generator"/> (default <see cref="Generator.Default"/>).</summary>
    /// <param name="inChannels">C_in, the channels of the input.</param>
    /// <param name="outChannels">C_out, the channels of the output.</param>
    /// <param name="kernelSize">The kernel (height, width), or one int for a square kernel.</param>
    /// <param name="stride">Step between the input pixels' footprints in the output; default 1.</param>
    /// <param name="padding">Rows and columns cropped from each side of the full output; default 0.</param>
    /// <param name="outputPadding">Extra rows and columns at the bottom and right, smaller than the stride; default 0.</param>
    /// <param name="groups">Channel groups; both channel counts must be divisible by it.</param>
    /// <param name="bias">Whether to learn an additive bias.</param>
    /// <param name="dilation">Spacing between kernel taps; default 1.</param>
    /// <param name="generator">The random stream for the initialization.</param>
    /// <exception cref="ArgumentException">A channel count is not positive or not divisible by groups, or a size is out of range.</exception>
    public ConvTranspose2d(int inChannels, int outChannels, Size2d kernelSize, Size2d? stride = null, Size2d? padding = null,
                           Size2d? outputPadding = null, int groups = 1, bool bias = true, Size2d? dilation = null, Generator? generator = null)
    {
        Size2d s = stride ?? 1, p = padding ?? 0, op = outputPadding ?? 0, d = dilation ?? 1;
        ConvLayerChecks.Check("ConvTranspose2d", inChannels, outChannels, groups, [kernelSize.H, kernelSize.W], [s.H, s.W], [p.H, p.W], [d.H, d.W]);
        ConvTransposeChecks.Settings(s, p, op, d, groups);
        (InChannels, OutChannels, KernelSize, Stride, Padding, OutputPadding, Dilation, Groups) = (inChannels, outChannels, kernelSize, s, p, op, d, groups);
        var weight = RegisterParameter("weight", new Parameter(Tensor.Zeros(inChannels, outChannels / groups, kernelSize.H, kernelSize.W)));
        var b = RegisterParameter("bias", bias ? new Parameter(Tensor.Zeros(outChannels)) : null);
        ConvLayerChecks.ResetParameters(weight, b, generator);
    }

    /// <summary>C_in, the channels of the input.</summary>
    public int InChannels { get; }

    /// <summary>C_out, the channels of the output.</summary>
    public int OutChannels { get; }

    /// <summary>The kernel (height, width).</summary>
    public Size2d KernelSize { get; }

    /// <summary>Step between the input pixels' footprints in the output.</summary>
    public Size2d Stride { get; }

    /// <summary>Rows and columns cropped from each side.</summary>
    public Size2d Padding { get; }

    /// <summary>Extra rows and columns at the bottom and right.</summary>
    public Size2d OutputPadding { get; }

    /// <summary>Spacing between kernel taps.</summary>
    public Size2d Dilation { get; }

    /// <summary>Channel groups.</summary>
    public int Groups { get; }

    /// <summary>The weight, (C_in, C_out / groups, kH, kW).</summary>
    public Parameter Weight => GetParameter("weight")!;

    /// <summary>The bias, (C_out,), or null when the layer has none.</summary>
    public Parameter? Bias => GetParameter("bias");

    /// <summary>Applies the transposed convolution to <paramref name="input"/> (N, C_in, H, W).</summary>
    /// <exception cref="ArgumentException">The input is not 4-D, has another channel count, or the output would be empty.</exception>
    public override Tensor Forward(Tensor input) =>
        Tensor.ConvTranspose2d(input, Weight, Bias, Stride, Padding, OutputPadding, Groups, Dilation);

    /// <inheritdoc/>
    protected override string ExtraRepr()
    {
        // PyTorch's order: padding, dilation, output_padding, groups, bias.
        var sb = new StringBuilder(ConvLayerChecks.Repr(InChannels, OutChannels, KernelSize.ToString(), Stride.ToString(),
            Padding == 0 ? null : Padding.ToString(), Dilation == 1 ? null : Dilation.ToString(), groups: 1, bias: true));
        if (OutputPadding != 0) sb.Append($", output_padding={OutputPadding}");
        if (Groups != 1) sb.Append($", groups={Groups}");
        if (Bias is null) sb.Append(", bias=False");
        return sb.ToString();
    }
}

public static partial class Functional
{
    /// <summary>2-D transposed convolution (<c>F.conv_transpose2d</c>); see <see cref="Tensor.ConvTranspose2d"/>.</summary>
    public static Tensor ConvTranspose2d(Tensor input, Tensor weight, Tensor? bias = null, Size2d? stride = null, Size2d? padding = null,
                                         Size2d? outputPadding = null, int groups = 1, Size2d? dilation = null)
        => Tensor.ConvTranspose2d(input, weight, bias, stride, padding, outputPadding, groups, dilation);
}
