using Nabla.Kernels;

namespace Nabla;

/// <summary>Argument checks and output sizes shared by the 2-D pooling ops; messages name the op and the shapes.</summary>
internal static class PoolChecks
{
    /// <summary>The input must be (N, C, H, W).</summary>
    public static void FourD(string op, Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Rank != 4)
        {
            string hint = input.Rank == 3 ? "; for one unbatched (C, H, W) sample use input.Unsqueeze(0)" : "";
            throw new ArgumentException($"{op}: expected a 4-D input (N, C, H, W), got shape {Shapes.Format(input.shape)}{hint}.");
        }
    }

    /// <summary>
    /// Checks a sliding-window pooling and returns its geometry. Output size as PyTorch's
    /// <c>pooling_output_shape</c>: floor((H + 2 P - D (K - 1) - 1) / S) + 1, or the ceiling with
    /// <paramref name="ceilMode"/>, minus one if the last window would then start in the right padding.
    /// </summary>
    public static Pool2dGeometry Sliding(string op, Tensor input, Size2d kernel, Size2d stride, Size2d padding, Size2d dilation, bool ceilMode)
    {
        FourD(op, input);
        if (kernel.H < 1 || kernel.W < 1) throw new ArgumentException($"{op}: kernel_size must be positive, got {kernel}.");
        if (stride.H < 1 || stride.W < 1) throw new ArgumentException($"{op}: stride must be positive, got {stride}.");
        if (dilation.H < 1 || dilation.W < 1) throw new ArgumentException($"{op}: dilation must be positive, got {dilation}.");
        // PyTorch's rule: with more padding some windows would lie wholly in the padding.
        if (padding.H < 0 || padding.W < 0 || padding.H > kernel.H / 2 || padding.W > kernel.W / 2)
            throw new ArgumentException(
                $"{op}: padding must be non-negative and at most half the kernel size, got padding {padding} for kernel {kernel}.");
        int n = input.shape[0], c = input.shape[1], h = input.shape[2], w = input.shape[3];
        int oh = OutputSize(h, kernel.H, stride.H, padding.H, dilation.H, ceilMode);
        int ow = OutputSize(w, kernel.W, stride.W, padding.W, dilation.W, ceilMode);
        if (oh < 1 || ow < 1)
            throw new ArgumentException(
                $"{op}: the input {Shapes.Format(input.shape)} is too small for kernel {kernel} (dilation {dilation}, padding {padding}, " +
                $"stride {stride}): the output would be ({n}, {c}, {oh}, {ow}).");
        return new Pool2dGeometry(n * c, h, w, oh, ow, kernel.H, kernel.W, stride.H, stride.W, padding.H, padding.W, dilation.H, dilation.W);
    }

    internal static int OutputSize(int size, int kernel, int stride, int pad, int dilation, bool ceilMode)
    {
        int span = size + 2 * pad - dilation * (kernel - 1) - 1 + (ceilMode ? stride - 1 : 0);
        int output = (int)Math.Floor((double)span / stride) + 1;
        // The last window must start inside the input or the left padding.
        if (ceilMode && (output - 1) * stride >= size + pad) output--;
        return output;
    }
}
