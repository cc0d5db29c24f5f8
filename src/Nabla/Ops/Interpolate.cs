using Nabla.Kernels;

namespace Nabla;

/// <summary>How <see cref="Tensor.Interpolate"/> resamples.</summary>
public enum InterpolationMode
{
    /// <summary>Each output pixel copies the input pixel it falls in (<c>mode='nearest'</c>).</summary>
    Nearest,

    /// <summary>Each output pixel mixes the four nearest input pixels by their distances (<c>mode='bilinear'</c>).</summary>
    Bilinear,
}

// y[n, c, oh, ow] = x[n, c, i(oh), j(ow)]                                           (nearest)
//                 = sum over the two row taps a and two column taps b of l_a l_b x[n, c, a, b]   (bilinear)
//   dx[n, c, a, b] += the same weights times dy: the kernels scatter dy back through the same taps.
//   Taps as PyTorch's upsample_nearest2d / upsample_bilinear2d (Kernels/UpsampleKernels.cs).
public partial class Tensor
{
    /// <summary>
    /// Resamples this (N, C, H, W) tensor to (N, C, OH, OW) (<c>torch.nn.functional.interpolate</c> in 2-D): to
    /// <paramref name="size"/>, or to floor(H * scale_factor) by floor(W * scale_factor). Nearest mode copies the
    /// pixel at floor(dst * scale); bilinear mode takes src = (dst + 0.5) scale - 0.5 (pixel areas aligned, PyTorch's
    /// default <c>align_corners=False</c>) or src = dst (H - 1) / (OH - 1) with <paramref name="alignCorners"/>
    /// (corner pixel centres aligned), where scale is 1 / scale_factor when one was given and H / OH otherwise.
    /// </summary>
    /// <param name="size">The output (height, width); give this or <paramref name="scaleFactor"/>.</param>
    /// <param name="scaleFactor">The factor for both dims; give this or <paramref name="size"/>.</param>
    /// <param name="mode">Nearest (default) or bilinear.</param>
    /// <param name="alignCorners">Bilinear only: align the corner pixels' centres instead of the pixel areas (default false).</param>
    /// <exception cref="ArgumentException">The input is not 4-D or empty, both or neither of size and scale factor are given,
    /// a size or factor is not positive, the output would be empty, or <paramref name="alignCorners"/> is set in nearest mode.</exception>
    public Tensor Interpolate(Size2d? size = null, double? scaleFactor = null, InterpolationMode mode = InterpolationMode.Nearest,
                              bool? alignCorners = null)
    {
        var (oh, ow) = UpsampleChecks.OutputSize("Interpolate", this, size, scaleFactor, mode, alignCorners);
        bool bilinear = mode == InterpolationMode.Bilinear, corners = alignCorners ?? false;
        int n = shape[0], c = shape[1], h = shape[2], w = shape[3];
        var dtype = DType == DType.Float64 ? DType.Float64 : DType.Float32;
        var x = To(dtype).Detach().Contiguous();
        var y = Empty(dtype, n, c, oh, ow);
        GradNode? node = null;
        if (dtype == DType.Float64) node = Run<double>();
        else node = Run<float>();
        return node is null ? y : y.WithGradFn(node);

        GradNode? Run<T>() where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
        {
            // Size-given resampling maps by the size ratio; a given factor maps by the factor itself (PyTorch's rule
            // when recompute_scale_factor is not set), which differs when H * factor is not a whole number.
            var rows = bilinear ? UpsampleKernels.Linear<T>(h, oh, scaleFactor, corners) : UpsampleKernels.Nearest<T>(h, oh, scaleFactor);
            var cols = bilinear ? UpsampleKernels.Linear<T>(w, ow, scaleFactor, corners) : UpsampleKernels.Nearest<T>(w, ow, scaleFactor);
            if (y.NumEl > 0) UpsampleKernels.Forward(n * c, h, w, rows, cols, bilinear, x.Memory<T>(), y.Memory<T>());
            return NeedsGrad(this) ? new InterpolateNode<T>(this, rows, cols, bilinear) : null;
        }
    }

    private sealed class InterpolateNode<T>(Tensor input, UpsampleTaps<T> rows, UpsampleTaps<T> cols, bool bilinear) : GradNode(input)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        public override string Name => bilinear ? "UpsampleBilinear2DBackward" : "UpsampleNearest2DBackward";

        protected internal override void Backward(Tensor dy)
        {
            var s = Inputs[0].shape;
            var dtype = typeof(T) == typeof(double) ? DType.Float64 : DType.Float32;
            var gy = dy.To(dtype).Contiguous();
            var dx = Empty(dtype, s);
            if (gy.NumEl > 0) UpsampleKernels.Backward(s[0] * s[1], s[2], s[3], rows, cols, bilinear, gy.Memory<T>(), dx.Memory<T>());
            AccumulateGrad(0, dx);
        }
    }
}

/// <summary>The argument checks of <see cref="Tensor.Interpolate"/> and the <c>Upsample</c> layer.</summary>
internal static class UpsampleChecks
{
    /// <summary>The settings alone (no tensor): exactly one of size and factor, positive, align_corners only when interpolating.</summary>
    public static void Settings(string op, Size2d? size, double? scaleFactor, InterpolationMode mode, bool? alignCorners)
    {
        if (size is null == scaleFactor is null)
            throw new ArgumentException($"{op}: give either size or scale_factor, not {(size is null ? "neither" : "both")}.");
        if (size is Size2d s && (s.H < 1 || s.W < 1))
            throw new ArgumentException($"{op}: size must be positive, got {s}.");
        if (scaleFactor is double f && !(f > 0 && double.IsFinite(f)))
            throw new ArgumentException($"{op}: scale_factor must be positive and finite, got {f}.");
        if (alignCorners is not null && mode == InterpolationMode.Nearest)
            throw new ArgumentException($"{op}: align_corners can only be set with mode bilinear, not nearest.");
        if (!Enum.IsDefined(mode)) throw new ArgumentException($"{op}: unknown mode {mode}.");
    }

    /// <summary>Checks the call and returns the output (height, width).</summary>
    public static (int OH, int OW) OutputSize(string op, Tensor input, Size2d? size, double? scaleFactor, InterpolationMode mode, bool? alignCorners)
    {
        PoolChecks.FourD(op, input);
        Settings(op, size, scaleFactor, mode, alignCorners);
        int h = input.shape[2], w = input.shape[3];
        if (h == 0 || w == 0)
            throw new ArgumentException($"{op}: the input {Shapes.Format(input.shape)} has an empty plane; expected non-zero H and W.");
        if (size is Size2d given) return (given.H, given.W);
        double f = scaleFactor!.Value;
        int oh = (int)Math.Floor(h * f), ow = (int)Math.Floor(w * f);
        if (oh < 1 || ow < 1)
            throw new ArgumentException(
                $"{op}: scale_factor {f} on the input {Shapes.Format(input.shape)} gives an empty output ({input.shape[0]}, {input.shape[1]}, {oh}, {ow}).");
        return (oh, ow);
    }
}
