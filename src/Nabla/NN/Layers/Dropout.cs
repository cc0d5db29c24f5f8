namespace Nabla.NN;

/// <summary>
/// Inverted dropout (<c>torch.nn.Dropout</c>): in training, each element is zeroed with probability p and the
/// survivors are scaled by 1 / (1 - p), so the expected value is unchanged and evaluation needs no rescaling; in
/// evaluation mode (<see cref="Module.Eval"/>) it returns the input unchanged.
/// </summary>
public class Dropout : Module
{
    private readonly Generator? generator;

    /// <summary>Creates the layer.</summary>
    /// <param name="p">The probability of zeroing an element, in [0, 1].</param>
    /// <param name="generator">The random stream for the masks; null uses <see cref="Generator.Default"/> at each call
    /// (so <see cref="Tensor.ManualSeed"/> makes runs reproducible).</param>
    /// <exception cref="ArgumentOutOfRangeException">p is outside [0, 1].</exception>
    public Dropout(double p = 0.5, Generator? generator = null)
    {
        Functional.CheckDropoutProbability(p);
        P = p;
        this.generator = generator;
    }

    /// <summary>The probability of zeroing an element.</summary>
    public double P { get; }

    /// <summary>In training: x * mask / (1 - p) with mask ~ Bernoulli(1 - p); in evaluation: x itself.</summary>
    public override Tensor Forward(Tensor input) => Functional.Dropout(input, P, IsTraining, generator);

    /// <inheritdoc/>
    protected override string ExtraRepr() => $"p={PyRepr.Float(P)}, inplace=False";
}

public static partial class Functional
{
    /// <summary>
    /// Inverted dropout (<c>F.dropout</c>): when <paramref name="training"/>, y = x * m / (1 - p) with m ~ Bernoulli(1 - p)
    /// drawn from <paramref name="generator"/> (default <see cref="Generator.Default"/>), so dy/dx = m / (1 - p); otherwise
    /// (or with p = 0) the input itself. With p = 1 every element is zeroed.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">p is outside [0, 1].</exception>
    public static Tensor Dropout(Tensor input, double p = 0.5, bool training = true, Generator? generator = null)
    {
        ArgumentNullException.ThrowIfNull(input);
        CheckDropoutProbability(p);
        if (!training || p == 0) return input;
        var g = generator ?? Generator.Default;
        // The mask already holds the scale, so the forward is one multiply and the backward (dy * mask) comes free.
        double scale = p == 1 ? 0 : 1 / (1 - p);
        Tensor mask;
        if (input.DType == DType.Float64)
        {
            var m = new double[input.NumEl];
            for (int i = 0; i < m.Length; i++) m[i] = g.NextDouble() < p ? 0 : scale;
            mask = new Tensor(m, input.Shape.ToArray());
        }
        else
        {
            var m = new float[input.NumEl];
            float s = (float)scale;
            for (int i = 0; i < m.Length; i++) m[i] = g.NextDouble() < p ? 0f : s;
            mask = new Tensor(m, input.Shape.ToArray());
        }
        return input * mask;
    }

    internal static void CheckDropoutProbability(double p)
    {
        if (!(p >= 0 && p <= 1))
            throw new ArgumentOutOfRangeException(nameof(p), $"Dropout: the probability has to be between 0 and 1, but got {p}.");
    }
}
