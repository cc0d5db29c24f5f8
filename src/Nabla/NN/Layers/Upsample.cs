using System.Globalization;

namespace Nabla.NN;

/// <summary>
/// Resamples (N, C, H, W) images to a fixed size or by a factor (<c>torch.nn.Upsample</c>), by nearest or bilinear
/// interpolation; see <see cref="Tensor.Interpolate"/>. <c>new Upsample(scaleFactor: 2)</c> doubles H and W by
/// repeating pixels; followed by a <see cref="Conv2d"/> it is the checkerboard-free alternative to
/// <see cref="ConvTranspose2d"/> in generators.
/// </summary>
public class Upsample : Module
{
    /// <summary>Creates the layer; give exactly one of <paramref name="size"/> and <paramref name="scaleFactor"/>.</summary>
    /// <param name="size">The output (height, width).</param>
    /// <param name="scaleFactor">The factor for both dims.</param>
    /// <param name="mode">Nearest (default) or bilinear.</param>
    /// <param name="alignCorners">Bilinear only: align the corner pixels' centres (default false, PyTorch's default).</param>
    /// <exception cref="ArgumentException">Both or neither of size and factor, a value not positive, or align_corners with nearest.</exception>
    public Upsample(Size2d? size = null, double? scaleFactor = null, InterpolationMode mode = InterpolationMode.Nearest, bool? alignCorners = null)
    {
        UpsampleChecks.Settings("Upsample", size, scaleFactor, mode, alignCorners);
        (Size, ScaleFactor, Mode, AlignCorners) = (size, scaleFactor, mode, alignCorners);
    }

    /// <summary>The output (height, width), or null when a factor is used.</summary>
    public Size2d? Size { get; }

    /// <summary>The factor for both dims, or null when a size is used.</summary>
    public double? ScaleFactor { get; }

    /// <summary>Nearest or bilinear.</summary>
    public InterpolationMode Mode { get; }

    /// <summary>Bilinear only: whether the corner pixels' centres are aligned; null in nearest mode.</summary>
    public bool? AlignCorners { get; }

    /// <summary>Resamples <paramref name="input"/> (N, C, H, W).</summary>
    public override Tensor Forward(Tensor input) => input.Interpolate(Size, ScaleFactor, Mode, AlignCorners);

    /// <inheritdoc/>
    protected override string ExtraRepr()
    {
        // PyTorch: "scale_factor=2.0, mode=nearest" or "size=(5, 7), mode=bilinear".
        string what = Size is Size2d s ? $"size={s.ToStringAsGiven()}"
            : $"scale_factor={ScaleFactor!.Value.ToString("0.0###########", CultureInfo.InvariantCulture)}";
        return $"{what}, mode={Mode.ToString().ToLowerInvariant()}";
    }
}

public static partial class Functional
{
    /// <summary>2-D resampling (<c>F.interpolate</c>); see <see cref="Tensor.Interpolate"/>.</summary>
    public static Tensor Interpolate(Tensor input, Size2d? size = null, double? scaleFactor = null,
                                     InterpolationMode mode = InterpolationMode.Nearest, bool? alignCorners = null)
        => input.Interpolate(size, scaleFactor, mode, alignCorners);
}
