using Nabla.Kernels;

namespace Nabla;

/// <summary>The argument checks of <see cref="Tensor.ConvTranspose2d"/>: every message names the op, the setting and the shapes.</summary>
internal static class ConvTransposeChecks
{
    private const string Op = "ConvTranspose2d";

    /// <summary>Checks the arguments and returns the geometry of the equivalent convolution (see <see cref="ConvTranspose2dKernels.AsConvolution"/>).</summary>
    public static Conv2dGeometry Check(Tensor input, Tensor weight, Tensor? bias, Size2d stride, Size2d padding, Size2d outputPadding,
                                       Size2d dilation, int groups)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(weight);
        if (input.Rank != 4)
        {
            string hint = input.Rank == 3 ? "; for one unbatched sample use input.Unsqueeze(0)" : "";
            throw new ArgumentException($"{Op}: expected a 4-D input (N, C_in, H, W), got shape {Shapes.Format(input.shape)}{hint}.");
        }
        if (weight.Rank != 4)
            throw new ArgumentException(
                $"{Op}: expected a 4-D weight (in_channels, out_channels / groups, kH, kW), got shape {Shapes.Format(weight.shape)}.");
        Settings(stride, padding, outputPadding, dilation, groups);
        if (input.shape[2] == 0 || input.shape[3] == 0)
            throw new ArgumentException($"{Op}: the input {Shapes.Format(input.shape)} has an empty plane; expected non-zero H and W.");
        if (weight.shape[2] < 1 || weight.shape[3] < 1)
            throw new ArgumentException($"{Op}: the weight {Shapes.Format(weight.shape)} has an empty kernel.");
        int cIn = input.shape[1], cOut = weight.shape[1] * groups;
        if (cIn != weight.shape[0])
            throw new ArgumentException(
                $"{Op}: expected input {Shapes.Format(input.shape)} to have {weight.shape[0]} channels (dim 0 of weight " +
                $"{Shapes.Format(weight.shape)}), but got {cIn} channels.");
        if (cIn % groups != 0)
            throw new ArgumentException(
                $"{Op}: in_channels = {cIn} (dim 0 of weight {Shapes.Format(weight.shape)}) is not divisible by groups = {groups}.");
        if (bias is not null && (bias.Rank != 1 || bias.shape[0] != cOut))
            throw new ArgumentException(
                $"{Op}: bias has shape {Shapes.Format(bias.shape)} but weight {Shapes.Format(weight.shape)} with groups = {groups} " +
                $"gives {cOut} output channels; expected ({cOut},).");
        int kh = weight.shape[2], kw = weight.shape[3];
        int oh = OutputSize(input.shape[2], kh, stride.H, padding.H, outputPadding.H, dilation.H);
        int ow = OutputSize(input.shape[3], kw, stride.W, padding.W, outputPadding.W, dilation.W);
        if (oh < 1 || ow < 1)
            throw new ArgumentException(
                $"{Op}: the input {Shapes.Format(input.shape)} with kernel ({kh}, {kw}), stride {stride}, padding {padding}, " +
                $"output_padding {outputPadding} and dilation {dilation} gives an empty output ({input.shape[0]}, {cOut}, {oh}, {ow}): " +
                $"the padding crops more than the full output.");
        return ConvTranspose2dKernels.AsConvolution(input.shape[0], cIn, cOut, oh, ow, kh, kw, stride.H, stride.W,
                                                    padding.H, padding.W, dilation.H, dilation.W, groups);
    }

    /// <summary>The checks that need no tensor, shared with the layer's constructor.</summary>
    public static void Settings(Size2d stride, Size2d padding, Size2d outputPadding, Size2d dilation, int groups)
    {
        if (groups < 1) throw new ArgumentException($"{Op}: groups must be positive, got {groups}.");
        if (stride.H < 1 || stride.W < 1) throw new ArgumentException($"{Op}: stride must be positive, got {stride}.");
        if (padding.H < 0 || padding.W < 0) throw new ArgumentException($"{Op}: padding must be non-negative, got {padding}.");
        if (dilation.H < 1 || dilation.W < 1) throw new ArgumentException($"{Op}: dilation must be positive, got {dilation}.");
        // PyTorch also allows output padding below the dilation; the kernels here need it below the stride, the case
        // that selects among the input sizes a strided convolution maps to the same output.
        if (outputPadding.H < 0 || outputPadding.W < 0 || outputPadding.H >= stride.H || outputPadding.W >= stride.W)
            throw new ArgumentException(
                $"{Op}: output_padding must be non-negative and smaller than the stride, got output_padding {outputPadding} with stride {stride}.");
    }

    /// <summary>(size - 1) stride - 2 padding + dilation (kernel - 1) + output padding + 1.</summary>
    public static int OutputSize(int size, int kernel, int stride, int padding, int outputPadding, int dilation) =>
        (size - 1) * stride - 2 * padding + dilation * (kernel - 1) + outputPadding + 1;
}
