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
        // One 64-bit draw gives two 32-bit uniforms; an element survives when its uniform is at least p * 2^32.
        ulong threshold = (ulong)Math.Min(p * 4294967296.0, 4294967296.0);
        Tensor mask;
        if (input.DType == DType.Float64)
        {
            var m = new double[input.NumEl];
            FillMask(m, scale, threshold, g);
            mask = new Tensor(m, input.Shape.ToArray());
        }
        else
        {
            var m = new float[input.NumEl];
            FillMask(m, (float)scale, threshold, g);
            mask = new Tensor(m, input.Shape.ToArray());
        }
        return input * mask;
    }

    /// <summary>
    /// Fills a dropout mask: each element is <paramref name="scale"/> when its 32-bit uniform draw is at least
    /// <paramref name="threshold"/> and 0 otherwise, without a branch (a coin flip per element would mispredict half the time).
    /// </summary>
    private static void FillMask<T>(T[] mask, T scale, ulong threshold, Generator g) where T : System.Numerics.INumber<T>
    {
        for (int i = 0; i < mask.Length; i += 2)
        {
            ulong r = g.NextUInt64();
            mask[i] = scale * T.CreateTruncating(Survives(r & 0xFFFFFFFFu, threshold));
            if (i + 1 < mask.Length) mask[i + 1] = scale * T.CreateTruncating(Survives(r >> 32, threshold));
        }
    }

    /// <summary>1 when <paramref name="uniform"/> (below 2^32) is at least <paramref name="threshold"/> (at most 2^32), else 0.</summary>
    private static int Survives(ulong uniform, ulong threshold) => 1 - (int)((ulong)((long)uniform - (long)threshold) >> 63);

    internal static void CheckDropoutProbability(double p)
    {
        if (!(p >= 0 && p <= 1))
            throw new ArgumentOutOfRangeException(nameof(p), $"Dropout: the probability has to be between 0 and 1, but got {p}.");
    }
}
