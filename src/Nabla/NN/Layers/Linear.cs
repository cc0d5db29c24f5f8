namespace Nabla.NN;

/// <summary>
/// A fully connected layer (<c>torch.nn.Linear</c>): y = x W^T + b for input (..., in_features) and output
/// (..., out_features), with weight W (out_features, in_features) and bias b (out_features,).
/// </summary>
/// <remarks>
/// Initialized as PyTorch: W by <see cref="Init.KaimingUniform"/> with a = sqrt(5), which is U(-1/sqrt(in), 1/sqrt(in)),
/// and b from the same U(-1/sqrt(in), 1/sqrt(in)).
/// </remarks>
public class Linear : Module
{
    /// <summary>Creates the layer and initializes its parameters from <paramref name="generator"/> (default <see cref="Generator.Default"/>).</summary>
    /// <param name="inFeatures">The size of each input sample.</param>
    /// <param name="outFeatures">The size of each output sample.</param>
    /// <param name="bias">Whether to learn an additive bias.</param>
    /// <param name="generator">The random stream for the initialization.</param>
    /// <exception cref="ArgumentOutOfRangeException">A size is negative.</exception>
    public Linear(int inFeatures, int outFeatures, bool bias = true, Generator? generator = null)
    {
        if (inFeatures < 0) throw new ArgumentOutOfRangeException(nameof(inFeatures), $"Linear: in_features must be non-negative, got {inFeatures}.");
        if (outFeatures < 0) throw new ArgumentOutOfRangeException(nameof(outFeatures), $"Linear: out_features must be non-negative, got {outFeatures}.");
        InFeatures = inFeatures;
        OutFeatures = outFeatures;
        var weight = RegisterParameter("weight", new Parameter(Tensor.Zeros(outFeatures, inFeatures)));
        var b = RegisterParameter("bias", bias ? new Parameter(Tensor.Zeros(outFeatures)) : null);
        // PyTorch's reset_parameters: kaiming_uniform_(a = sqrt(5)) is U(-1/sqrt(fan_in), 1/sqrt(fan_in)).
        Init.KaimingUniform(weight, a: Math.Sqrt(5), generator: generator);
        if (b is not null && inFeatures > 0)
        {
            double bound = 1 / Math.Sqrt(inFeatures);
            Init.Uniform(b, -bound, bound, generator);
        }
    }

    /// <summary>The size of each input sample.</summary>
    public int InFeatures { get; }

    /// <summary>The size of each output sample.</summary>
    public int OutFeatures { get; }

    /// <summary>The weight W, (out_features, in_features).</summary>
    public Parameter Weight => GetParameter("weight")!;

    /// <summary>The bias b, (out_features,), or null when the layer has none.</summary>
    public Parameter? Bias => GetParameter("bias");

    /// <summary>y = x W^T + b.</summary>
    /// <exception cref="ArgumentException">The input's last dim is not in_features (the message names the shapes).</exception>
    public override Tensor Forward(Tensor input) => Tensor.Linear(input, Weight, Bias);

    /// <inheritdoc/>
    protected override string ExtraRepr() =>
        $"in_features={InFeatures}, out_features={OutFeatures}, bias={PyRepr.Bool(Bias is not null)}";
}
