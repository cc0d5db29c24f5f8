namespace Nabla;

// Conv1d is Conv2d on images of height 1: (N, C, L) is laid out exactly as (N, C, 1, L), so the same kernels and
// node run on the same buffers with KH = 1, and the gradients come back in the 3-D shapes of the inputs.
public partial class Tensor
{
    /// <summary>
    /// 1-D convolution (<c>torch.nn.functional.conv1d</c>): <paramref name="input"/> (N, C, L), <paramref name="weight"/>
    /// (O, C / groups, kL) and an optional <paramref name="bias"/> (O,) give (N, O, OL) with
    /// OL = (L + 2 padding - dilation (kL - 1) - 1) / stride + 1. Zero padding; groups as in <see cref="Conv2d"/>.
    /// </summary>
    /// <param name="input">(N, C, L).</param>
    /// <param name="weight">(O, C / groups, kL).</param>
    /// <param name="bias">(O,), or null.</param>
    /// <param name="stride">Step between windows.</param>
    /// <param name="padding">Zeros added at both ends.</param>
    /// <param name="dilation">Spacing between kernel taps.</param>
    /// <param name="groups">Channel groups convolved separately.</param>
    /// <exception cref="ArgumentException">A rank, channel count or size does not fit (the message names the shapes).</exception>
    public static Tensor Conv1d(Tensor input, Tensor weight, Tensor? bias = null, int stride = 1, int padding = 0,
                                int dilation = 1, int groups = 1)
    {
        var g = ConvChecks.Convolution("Conv1d", input, weight, bias, [stride], [padding], [dilation], groups);
        return Convolution(g, input, weight, bias, [g.N, g.O, g.OW]);
    }
}
