namespace Nabla.NN;

/// <summary>
/// Channel dropout (<c>torch.nn.Dropout2d</c>) for (N, C, H, W) feature maps: in training, each whole channel is zeroed
/// with probability p and the others are scaled by 1 / (1 - p); in evaluation mode the input passes unchanged.
/// Neighbouring pixels of a feature map are strongly correlated, so dropping single pixels (<see cref="Dropout"/>)
/// regularizes little; dropping whole maps does. See <see cref="Tensor.Dropout2d"/>.
/// </summary>
public class Dropout2d : Module
{
    private readonly Generator? generator;

    /// <summary>Creates the layer.</summary>
    /// <param name="p">The probability of zeroing a channel, in [0, 1].</param>
    /// <param name="generator">The random stream for the masks; null uses <see cref="Generator.Default"/> at each call
    /// (so <see cref="Tensor.ManualSeed"/> makes runs reproducible).</param>
    /// <exception cref="ArgumentOutOfRangeException">p is outside [0, 1].</exception>
    public Dropout2d(double p = 0.5, Generator? generator = null)
    {
        if (!(p >= 0 && p <= 1))
            throw new ArgumentOutOfRangeException(nameof(p), $"Dropout2d: the probability has to be between 0 and 1, but got {p}.");
        P = p;
        this.generator = generator;
    }

    /// <summary>The probability of zeroing a channel.</summary>
    public double P { get; }

    /// <summary>In training: x[n, c] * m[n, c] / (1 - p) with m ~ Bernoulli(1 - p) per channel; in evaluation: x itself.</summary>
    /// <exception cref="ArgumentException">The input is not 4-D.</exception>
    public override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return input.Dropout2d(P, IsTraining, generator);
    }

    /// <inheritdoc/>
    protected override string ExtraRepr() => $"p={PyRepr.Float(P)}, inplace=False";
}

public static partial class Functional
{
    /// <summary>Channel dropout (<c>F.dropout2d</c>); see <see cref="Tensor.Dropout2d"/>.</summary>
    public static Tensor Dropout2d(Tensor input, double p = 0.5, bool training = true, Generator? generator = null)
    {
        ArgumentNullException.ThrowIfNull(input);
        return input.Dropout2d(p, training, generator);
    }
}
