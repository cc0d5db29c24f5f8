namespace Nabla.NN;

/// <summary>
/// A 1-D convolution layer (<c>torch.nn.Conv1d</c>): input (N, C_in, L) to (N, C_out, OL) with
/// OL = (L + 2 padding - dilation (kL - 1) - 1) / stride + 1, weight (C_out, C_in / groups, kL) and bias (C_out,).
/// Initialized as <see cref="Conv2d"/>, with fan_in = C_in / groups * kL. See <see cref="Tensor.Conv1d"/>.
/// </summary>
public class Conv1d : Module
{
    /// <summary>Creates the layer and initializes its parameters from <paramref name="generator"/> (default <see cref="Generator.Default"/>).</summary>
    /// <param name="inChannels">C_in, the channels of the input.</param>
    /// <param name="outChannels">C_out, the channels of the output.</param>
    /// <param name="kernelSize">kL, the kernel length.</param>
    /// <param name="stride">Step between windows.</param>
    /// <param name="padding">Zeros added at both ends.</param>
    /// <param name="dilation">Spacing between kernel taps.</param>
    /// <param name="groups">Channel groups convolved separately; both channel counts must be divisible by it.</param>
    /// <param name="bias">Whether to learn an additive bias.</param>
    /// <param name="generator">The random stream for the initialization.</param>
    /// <exception cref="ArgumentException">A channel count is not positive or not divisible by groups, or a size is out of range.</exception>
    public Conv1d(int inChannels, int outChannels, int kernelSize, int stride = 1, int padding = 0, int dilation = 1,
                  int groups = 1, bool bias = true, Generator? generator = null)
    {
        ConvLayerChecks.Check("Conv1d", inChannels, outChannels, groups, [kernelSize], [stride], [padding], [dilation]);
        (InChannels, OutChannels, KernelSize, Stride, Padding, Dilation, Groups) =
            (inChannels, outChannels, kernelSize, stride, padding, dilation, groups);
        var weight = RegisterParameter("weight", new Parameter(Tensor.Zeros(outChannels, inChannels / groups, kernelSize)));
        var b = RegisterParameter("bias", bias ? new Parameter(Tensor.Zeros(outChannels)) : null);
        ConvLayerChecks.ResetParameters(weight, b, generator);
    }

    /// <summary>C_in, the channels of the input.</summary>
    public int InChannels { get; }

    /// <summary>C_out, the channels of the output.</summary>
    public int OutChannels { get; }

    /// <summary>kL, the kernel length.</summary>
    public int KernelSize { get; }

    /// <summary>Step between windows.</summary>
    public int Stride { get; }

    /// <summary>Zero padding at each end.</summary>
    public int Padding { get; }

    /// <summary>Spacing between kernel taps.</summary>
    public int Dilation { get; }

    /// <summary>Channel groups convolved separately.</summary>
    public int Groups { get; }

    /// <summary>The weight, (C_out, C_in / groups, kL).</summary>
    public Parameter Weight => GetParameter("weight")!;

    /// <summary>The bias, (C_out,), or null when the layer has none.</summary>
    public Parameter? Bias => GetParameter("bias");

    /// <summary>Convolves <paramref name="input"/> (N, C_in, L).</summary>
    /// <exception cref="ArgumentException">The input is not 3-D, has another channel count, or is shorter than the dilated kernel.</exception>
    public override Tensor Forward(Tensor input) => Tensor.Conv1d(input, Weight, Bias, Stride, Padding, Dilation, Groups);

    /// <inheritdoc/>
    protected override string ExtraRepr() =>
        ConvLayerChecks.Repr(InChannels, OutChannels, $"({KernelSize},)", $"({Stride},)",
                             Padding == 0 ? null : $"({Padding},)", Dilation == 1 ? null : $"({Dilation},)", Groups, Bias is not null);
}

public static partial class Functional
{
    /// <summary>1-D convolution (<c>F.conv1d</c>); see <see cref="Tensor.Conv1d"/>.</summary>
    public static Tensor Conv1d(Tensor input, Tensor weight, Tensor? bias = null, int stride = 1, int padding = 0,
                                int dilation = 1, int groups = 1)
        => Tensor.Conv1d(input, weight, bias, stride, padding, dilation, groups);
}
