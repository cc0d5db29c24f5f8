namespace Nabla.NN;

/// <summary>
/// 2-D adaptive average pooling (<c>torch.nn.AdaptiveAvgPool2d</c>): any (N, C, H, W) input to (N, C, outH, outW),
/// each output the mean of a window chosen by PyTorch's formula; an output size of 1 is global average pooling.
/// See <see cref="Tensor.AdaptiveAvgPool2d"/>.
/// </summary>
public class AdaptiveAvgPool2d : Module
{
    /// <summary>Creates the layer for an output (height, width), or one int for both.</summary>
    /// <exception cref="ArgumentException">An output size is negative.</exception>
    public AdaptiveAvgPool2d(Size2d outputSize)
    {
        if (outputSize.H < 0 || outputSize.W < 0)
            throw new ArgumentException($"AdaptiveAvgPool2d: output_size must be non-negative, got {outputSize}.");
        OutputSize = outputSize;
    }

    /// <summary>The output (height, width).</summary>
    public Size2d OutputSize { get; }

    /// <summary>Pools <paramref name="input"/> (N, C, H, W) to (N, C, outH, outW).</summary>
    /// <exception cref="ArgumentException">The input is not 4-D or has an empty plane.</exception>
    public override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return input.AdaptiveAvgPool2d(OutputSize);
    }

    /// <inheritdoc/>
    protected override string ExtraRepr() => $"output_size={OutputSize.ToStringAsGiven()}";
}

public static partial class Functional
{
    /// <summary>2-D adaptive average pooling (<c>F.adaptive_avg_pool2d</c>); see <see cref="Tensor.AdaptiveAvgPool2d"/>.</summary>
    public static Tensor AdaptiveAvgPool2d(Tensor input, Size2d outputSize)
    {
        ArgumentNullException.ThrowIfNull(input);
        return input.AdaptiveAvgPool2d(outputSize);
    }
}
