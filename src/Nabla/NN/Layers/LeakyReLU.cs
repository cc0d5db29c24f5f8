namespace Nabla.NN;

/// <summary>
/// The leaky rectified linear unit (<c>torch.nn.LeakyReLU</c>): y = x for x &gt; 0, else negative_slope * x, so
/// negative inputs keep a small gradient.
/// </summary>
public class LeakyReLU : Module
{
    /// <summary>Creates the activation with the given slope for negative inputs.</summary>
    public LeakyReLU(float negativeSlope = 0.01f) => NegativeSlope = negativeSlope;

    /// <summary>The slope for negative inputs.</summary>
    public float NegativeSlope { get; }

    /// <summary>y = x if x &gt; 0 else negative_slope * x.</summary>
    public override Tensor Forward(Tensor input) => input.LeakyRelu(NegativeSlope);

    /// <inheritdoc/>
    protected override string ExtraRepr() => $"negative_slope={PyRepr.Float(NegativeSlope)}";
}
