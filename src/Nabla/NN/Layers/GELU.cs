namespace Nabla.NN;

/// <summary>
/// The Gaussian error linear unit (<c>torch.nn.GELU</c>): y = x * Phi(x), Phi the standard normal CDF; with
/// approximate = "tanh", y = 0.5 x (1 + tanh(sqrt(2 / pi) (x + 0.044715 x^3))), as in GPT-2.
/// </summary>
public class GELU : Module
{
    /// <summary>Creates the activation: <paramref name="approximate"/> is "none" (exact, the default) or "tanh".</summary>
    /// <exception cref="ArgumentException">approximate is neither "none" nor "tanh".</exception>
    public GELU(string approximate = "none")
    {
        if (approximate is not ("none" or "tanh"))
            throw new ArgumentException($"GELU: approximate must be 'none' or 'tanh', got '{approximate}'.", nameof(approximate));
        Approximate = approximate;
    }

    /// <summary>"none" for the exact form, "tanh" for the tanh approximation.</summary>
    public string Approximate { get; }

    /// <summary>y = x * Phi(x), or its tanh approximation.</summary>
    public override Tensor Forward(Tensor input)
    {
        if (Approximate == "none") return input.Gelu();
        // Composed from existing ops (their backward comes free); the constants in the input's dtype, so float64 stays exact.
        var inner = (input + input * input * input * Tensor.ScalarLike(input, 0.044715)) * Tensor.ScalarLike(input, Math.Sqrt(2 / Math.PI));
        return input * 0.5f * (inner.Tanh() + 1f);
    }

    /// <inheritdoc/>
    protected override string ExtraRepr() => $"approximate='{Approximate}'";
}
