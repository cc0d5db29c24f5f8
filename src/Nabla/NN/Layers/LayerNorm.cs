namespace Nabla.NN;

/// <summary>
/// Layer normalization (<c>torch.nn.LayerNorm</c>) over the last dims of the input, which must equal
/// normalized_shape: each sample is normalized on its own,
/// y = (x - E[x]) / sqrt(Var[x] + eps) * weight + bias, with the biased variance and the statistics over those dims.
/// </summary>
/// <remarks>
/// Unlike <see cref="BatchNorm1d"/> it does not depend on the batch and behaves the same in training and evaluation,
/// which is why transformers use it. The weight (ones) and bias (zeros) have the normalized shape.
/// </remarks>
public class LayerNorm : Module
{
    private readonly int[] normalizedShape;

    /// <summary>Creates the layer normalizing over the trailing dims <paramref name="normalizedShape"/>.</summary>
    /// <param name="normalizedShape">The sizes of the last dims of the input, e.g. <c>[C]</c> or <c>[H, W]</c>.</param>
    /// <param name="eps">Added to the variance for numerical stability.</param>
    /// <param name="elementwiseAffine">Whether to learn a weight and bias of the normalized shape.</param>
    /// <exception cref="ArgumentException">The normalized shape is empty or has a negative size.</exception>
    public LayerNorm(int[] normalizedShape, double eps = 1e-5, bool elementwiseAffine = true)
    {
        ArgumentNullException.ThrowIfNull(normalizedShape);
        if (normalizedShape.Length == 0)
            throw new ArgumentException("LayerNorm: the normalized shape must have at least one dim.", nameof(normalizedShape));
        Shapes.NumEl(normalizedShape); // rejects negative sizes with a message
        this.normalizedShape = (int[])normalizedShape.Clone();
        Eps = eps;
        ElementwiseAffine = elementwiseAffine;
        RegisterParameter("weight", elementwiseAffine ? new Parameter(Tensor.Ones(normalizedShape)) : null);
        RegisterParameter("bias", elementwiseAffine ? new Parameter(Tensor.Zeros(normalizedShape)) : null);
    }

    /// <summary>Creates the layer normalizing over the last dim, of size <paramref name="normalizedShape"/>.</summary>
    public LayerNorm(int normalizedShape, double eps = 1e-5, bool elementwiseAffine = true)
        : this([normalizedShape], eps, elementwiseAffine) { }

    /// <summary>The sizes of the trailing dims normalized over.</summary>
    public IReadOnlyList<int> NormalizedShape => normalizedShape;

    /// <summary>Added to the variance for numerical stability.</summary>
    public double Eps { get; }

    /// <summary>Whether the layer has a learned weight and bias.</summary>
    public bool ElementwiseAffine { get; }

    /// <summary>The scale, of the normalized shape, or null without elementwise affine.</summary>
    public Parameter? Weight => GetParameter("weight");

    /// <summary>The shift, of the normalized shape, or null without elementwise affine.</summary>
    public Parameter? Bias => GetParameter("bias");

    /// <summary>y = (x - mean) / sqrt(var + eps) * weight + bias over the trailing dims.</summary>
    /// <exception cref="ArgumentException">The input's trailing dims differ from the normalized shape.</exception>
    public override Tensor Forward(Tensor input) => Functional.LayerNorm(input, normalizedShape, Weight, Bias, Eps);

    /// <inheritdoc/>
    protected override string ExtraRepr() =>
        $"{PyRepr.Tuple(normalizedShape)}, eps={PyRepr.Float(Eps)}, elementwise_affine={PyRepr.Bool(ElementwiseAffine)}";
}

public static partial class Functional
{
    /// <summary>
    /// Layer normalization (<c>F.layer_norm</c>) of <paramref name="input"/> over its trailing dims, which must equal
    /// <paramref name="normalizedShape"/>: y = (x - E[x]) / sqrt(Var[x] + eps) * weight + bias, statistics per sample
    /// over those dims (variance biased). Weight and bias (of the normalized shape) are optional.
    /// </summary>
    /// <exception cref="ArgumentException">The input's trailing dims, or the weight's or bias's shape, differ from the normalized shape.</exception>
    public static Tensor LayerNorm(Tensor input, int[] normalizedShape, Tensor? weight = null, Tensor? bias = null, double eps = 1e-5)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(normalizedShape);
        return Tensor.LayerNorm(input, normalizedShape, weight, bias, eps);
    }
}
