using Nabla.Kernels;

namespace Nabla;

/// <summary>
/// The argument checks shared by <see cref="Tensor.Conv2d"/> and <see cref="Tensor.Conv1d"/>: every message names
/// the op and the shapes at fault, in the op's own rank (a Conv1d error shows 3-D shapes and 1-element tuples).
/// </summary>
internal static class ConvChecks
{
    /// <summary>
    /// Checks a convolution with <c>stride.Length</c> (1 or 2) spatial dims and returns its geometry in 2-D (a 1-D
    /// convolution is one of height 1).
    /// </summary>
    public static Conv2dGeometry Convolution(string op, Tensor input, Tensor weight, Tensor? bias,
                                             int[] stride, int[] padding, int[] dilation, int groups)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(weight);
        int d = stride.Length;
        string layout = d == 2 ? "(N, C, H, W)" : "(N, C, L)";
        string kernelDims = d == 2 ? "kH, kW" : "kL";
        if (input.Rank != d + 2)
        {
            string hint = input.Rank == d + 1 ? "; for one unbatched sample use input.Unsqueeze(0)" : "";
            throw new ArgumentException($"{op}: expected a {d + 2}-D input {layout}, got shape {Shapes.Format(input.shape)}{hint}.");
        }
        if (weight.Rank != d + 2)
            throw new ArgumentException(
                $"{op}: expected a {d + 2}-D weight (out_channels, in_channels / groups, {kernelDims}), got shape {Shapes.Format(weight.shape)}.");
        if (groups < 1) throw new ArgumentException($"{op}: groups must be positive, got {groups}.");
        for (int i = 0; i < d; i++)
        {
            if (stride[i] < 1) throw new ArgumentException($"{op}: stride must be positive, got {Shapes.Format(stride)}.");
            if (padding[i] < 0) throw new ArgumentException($"{op}: padding must be non-negative, got {Shapes.Format(padding)}.");
            if (dilation[i] < 1) throw new ArgumentException($"{op}: dilation must be positive, got {Shapes.Format(dilation)}.");
            if (weight.shape[2 + i] < 1)
                throw new ArgumentException($"{op}: the weight {Shapes.Format(weight.shape)} has an empty kernel.");
        }
        int c = input.shape[1], o = weight.shape[0];
        if (o % groups != 0)
            throw new ArgumentException(
                $"{op}: out_channels = {o} (dim 0 of weight {Shapes.Format(weight.shape)}) is not divisible by groups = {groups}.");
        if (c != weight.shape[1] * groups)
            throw new ArgumentException(
                $"{op}: expected input {Shapes.Format(input.shape)} to have {weight.shape[1] * groups} channels " +
                $"(weight {Shapes.Format(weight.shape)}, groups = {groups}), but got {c} channels.");
        if (bias is not null && (bias.Rank != 1 || bias.shape[0] != o))
            throw new ArgumentException(
                $"{op}: bias has shape {Shapes.Format(bias.shape)} but weight {Shapes.Format(weight.shape)} has {o} output channels; expected ({o},).");

        var padded = new int[d];
        var dilated = new int[d];
        var kernel = new int[d];
        bool tooSmall = false;
        for (int i = 0; i < d; i++)
        {
            kernel[i] = weight.shape[2 + i];
            padded[i] = input.shape[2 + i] + 2 * padding[i];
            dilated[i] = dilation[i] * (kernel[i] - 1) + 1;
            tooSmall |= padded[i] < dilated[i];
        }
        if (tooSmall)
            throw new ArgumentException(
                $"{op}: the input {Shapes.Format(input.shape)} padded by {Shapes.Format(padding)} has spatial size {Shapes.Format(padded)}, " +
                $"smaller than the dilated kernel {Shapes.Format(dilated)} (kernel {Shapes.Format(kernel)}, dilation {Shapes.Format(dilation)}): the output would be empty.");

        return d == 2
            ? new Conv2dGeometry(input.shape[0], c, input.shape[2], input.shape[3], o, kernel[0], kernel[1],
                                 stride[0], stride[1], padding[0], padding[1], dilation[0], dilation[1], groups)
            : new Conv2dGeometry(input.shape[0], c, 1, input.shape[2], o, 1, kernel[0],
                                 1, stride[0], 0, padding[0], 1, dilation[0], groups);
    }
}
