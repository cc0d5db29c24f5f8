namespace Nabla.NN;

/// <summary>
/// 2-D max pooling (<c>torch.nn.MaxPool2d</c>) of an (N, C, H, W) input: each output is the largest element of its
/// window; the gradient goes to that element (the first maximum in row-major order). See <see cref="Tensor.MaxPool2d"/>.
/// </summary>
public class MaxPool2d : Module
{
    /// <summary>Creates the layer; sizes take an int or an (h, w) tuple.</summary>
    /// <param name="kernelSize">The window size.</param>
    /// <param name="stride">Step between windows; default the kernel size.</param>
    /// <param name="padding">Implicit -inf padding on both sides; at most half the kernel size.</param>
    /// <param name="dilation">Spacing between window taps.</param>
    /// <param name="ceilMode">Round the output size up, keeping a partial window at the end.</param>
    public MaxPool2d(Size2d kernelSize, Size2d? stride = null, Size2d? padding = null, Size2d? dilation = null, bool ceilMode = false)
    {
        KernelSize = kernelSize;
        Stride = stride ?? kernelSize;
        Padding = padding ?? 0;
        Dilation = dilation ?? 1;
        CeilMode = ceilMode;
    }

    /// <summary>The window size.</summary>
    public Size2d KernelSize { get; }

    /// <summary>Step between windows.</summary>
    public Size2d Stride { get; }

    /// <summary>Padding on each side.</summary>
    public Size2d Padding { get; }

    /// <summary>Spacing between window taps.</summary>
    public Size2d Dilation { get; }

    /// <summary>Whether the output size is rounded up.</summary>
    public bool CeilMode { get; }

    /// <summary>Pools <paramref name="input"/> (N, C, H, W).</summary>
    /// <exception cref="ArgumentException">The input is not 4-D, a setting is out of range, or the output would be empty.</exception>
    public override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return input.MaxPool2d(KernelSize, Stride, Padding, Dilation, CeilMode);
    }

    /// <inheritdoc/>
    protected override string ExtraRepr() =>
        $"kernel_size={KernelSize.ToStringAsGiven()}, stride={Stride.ToStringAsGiven()}, padding={Padding.ToStringAsGiven()}, " +
        $"dilation={Dilation.ToStringAsGiven()}, ceil_mode={PyRepr.Bool(CeilMode)}";
}

public static partial class Functional
{
    /// <summary>2-D max pooling (<c>F.max_pool2d</c>); see <see cref="Tensor.MaxPool2d"/>.</summary>
    public static Tensor MaxPool2d(Tensor input, Size2d kernelSize, Size2d? stride = null, Size2d? padding = null,
                                   Size2d? dilation = null, bool ceilMode = false)
    {
        ArgumentNullException.ThrowIfNull(input);
        return input.MaxPool2d(kernelSize, stride, padding, dilation, ceilMode);
    }
}
