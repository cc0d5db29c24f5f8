using System.Text;

namespace Nabla.NN;

/// <summary>The constructor checks, initialization and printout shared by <see cref="Conv1d"/> and <see cref="Conv2d"/>.</summary>
internal static class ConvLayerChecks
{
    /// <summary>Rejects settings PyTorch rejects, naming the layer.</summary>
    public static void Check(string layer, int inChannels, int outChannels, int groups, int[] kernel, int[] stride, int[] padding, int[] dilation)
    {
        if (inChannels < 1) throw new ArgumentException($"{layer}: in_channels must be positive, got {inChannels}.");
        if (outChannels < 1) throw new ArgumentException($"{layer}: out_channels must be positive, got {outChannels}.");
        if (groups < 1) throw new ArgumentException($"{layer}: groups must be positive, got {groups}.");
        if (inChannels % groups != 0) throw new ArgumentException($"{layer}: in_channels = {inChannels} is not divisible by groups = {groups}.");
        if (outChannels % groups != 0) throw new ArgumentException($"{layer}: out_channels = {outChannels} is not divisible by groups = {groups}.");
        if (kernel.Any(k => k < 1)) throw new ArgumentException($"{layer}: kernel_size must be positive, got {Shapes.Format(kernel)}.");
        if (stride.Any(s => s < 1)) throw new ArgumentException($"{layer}: stride must be positive, got {Shapes.Format(stride)}.");
        if (padding.Any(p => p < 0)) throw new ArgumentException($"{layer}: padding must be non-negative, got {Shapes.Format(padding)}.");
        if (dilation.Any(d => d < 1)) throw new ArgumentException($"{layer}: dilation must be positive, got {Shapes.Format(dilation)}.");
    }

    /// <summary>
    /// PyTorch's <c>_ConvNd.reset_parameters</c>: kaiming_uniform_(a = sqrt(5)) for the weight, which is
    /// U(-1/sqrt(fan_in), 1/sqrt(fan_in)), and the same uniform for the bias.
    /// </summary>
    public static void ResetParameters(Parameter weight, Parameter? bias, Generator? generator)
    {
        Init.KaimingUniform(weight, a: Math.Sqrt(5), generator: generator);
        var (fanIn, _) = Init.CalculateFanInAndFanOut(weight);
        if (bias is not null && fanIn > 0)
        {
            double bound = 1 / Math.Sqrt(fanIn);
            Init.Uniform(bias, -bound, bound, generator);
        }
    }

    /// <summary>PyTorch's <c>_ConvNd.extra_repr</c>: padding and dilation only when not the default (null here).</summary>
    public static string Repr(int inChannels, int outChannels, string kernel, string stride, string? padding, string? dilation, int groups, bool bias)
    {
        var sb = new StringBuilder($"{inChannels}, {outChannels}, kernel_size={kernel}, stride={stride}");
        if (padding is not null) sb.Append($", padding={padding}");
        if (dilation is not null) sb.Append($", dilation={dilation}");
        if (groups != 1) sb.Append($", groups={groups}");
        if (!bias) sb.Append(", bias=False");
        return sb.ToString();
    }
}
