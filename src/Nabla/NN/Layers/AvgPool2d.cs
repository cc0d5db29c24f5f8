namespace Nabla.NN;

/// <summary>
/// 2-D average pooling (<c>torch.nn.AvgPool2d</c>) of an (N, C, H, W) input over kH x kW windows, counting the zero
/// padding in the divisor unless <see cref="CountIncludePad"/> is false. See <see cref="Tensor.AvgPool2d"/>.
/// </summary>
public class AvgPool2d : Module
{
    /// <summary>Creates the layer; sizes take an int or an (h, w) tuple.</summary>
    /// <param name="kernelSize">The window size.</param>
    /// <param name="stride">Step between windows; default the kernel size.</param>
    /// <param name="padding">Zero padding on both sides; at most half the kernel size.</param>
    /// <param name="ceilMode">Round the output size up, keeping a partial window at the end.</param>
    /// <param name="countIncludePad">Whether the padding counts in the divisor.</param>
    /// <param name="divisorOverride">A fixed divisor instead of the window size.</param>
    public AvgPool2d(Size2d kernelSize, Size2d? stride = null, Size2d? padding = null, bool ceilMode = false,
                     bool countIncludePad = true, int? divisorOverride = null)
    {
        KernelSize = kernelSize;
        Stride = stride ?? kernelSize;
        Padding = padding ?? 0;
        CeilMode = ceilMode;
        CountIncludePad = countIncludePad;
        DivisorOverride = divisorOverride;
    }

    /// <summary>The window size.</summary>
    public Size2d KernelSize { get; }

    /// <summary>Step between windows.</summary>
    public Size2d Stride { get; }

    /// <summary>Zero padding on each side.</summary>
    public Size2d Padding { get; }

    /// <summary>Whether the output size is rounded up.</summary>
    public bool CeilMode { get; }

    /// <summary>Whether the padding counts in the divisor.</summary>
    public bool CountIncludePad { get; }

    /// <summary>A fixed divisor, or null for the window size.</summary>
    public int? DivisorOverride { get; }

    /// <summary>Pools <paramref name="input"/> (N, C, H, W).</summary>
    /// <exception cref="ArgumentException">The input is not 4-D, a setting is out of range, or the output would be empty.</exception>
    public override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return input.AvgPool2d(KernelSize, Stride, Padding, CeilMode, CountIncludePad, DivisorOverride);
    }

    /// <inheritdoc/>
    protected override string ExtraRepr() =>
        $"kernel_size={KernelSize.ToStringAsGiven()}, stride={Stride.ToStringAsGiven()}, padding={Padding.ToStringAsGiven()}";
}

public static partial class Functional
{
    /// <summary>2-D average pooling (<c>F.avg_pool2d</c>); see <see cref="Tensor.AvgPool2d"/>.</summary>
    public static Tensor AvgPool2d(Tensor input, Size2d kernelSize, Size2d? stride = null, Size2d? padding = null, bool ceilMode = false,
                                   bool countIncludePad = true, int? divisorOverride = null)
    {
        ArgumentNullException.ThrowIfNull(input);
        return input.AvgPool2d(kernelSize, stride, padding, ceilMode, countIncludePad, divisorOverride);
    }
}
