namespace Nabla.NN;

/// <summary>
/// The binary cross-entropy of logits (<c>torch.nn.BCEWithLogitsLoss</c>): a sigmoid and <see cref="BCELoss"/> in one,
/// computed in the stable form l = w ((1 - y) x + (1 + (p - 1) y) softplus(-x)), softplus(-x) = log(1 + exp(-x)) =
/// max(-x, 0) + log1p(exp(-|x|)), which never overflows and never takes the log of a rounded-off probability.
/// The gradient is w ((1 + (p - 1) y) sigmoid(x) - p y), i.e. w (sigmoid(x) - y) without a positive weight p.
/// </summary>
public class BCEWithLogitsLoss : Loss
{
    /// <summary>Creates the loss.</summary>
    /// <param name="weight">A rescaling weight broadcast against the input; null for 1.</param>
    /// <param name="reduction">Mean (over the elements), sum, or none.</param>
    /// <param name="posWeight">The weight p of positive examples, broadcast along the last dim (one per class, (C,)): p &gt; 1
    /// raises recall, p &lt; 1 precision; null for 1.</param>
    public BCEWithLogitsLoss(Tensor? weight = null, Reduction reduction = Reduction.Mean, Tensor? posWeight = null) : base(reduction)
    {
        Weight = weight;
        PosWeight = posWeight;
    }

    /// <summary>The rescaling weight, or null.</summary>
    public Tensor? Weight { get; }

    /// <summary>The weight of positive examples, or null.</summary>
    public Tensor? PosWeight { get; }

    /// <summary>The loss of logits <paramref name="input"/> against targets <paramref name="target"/> in [0, 1] (same shape).</summary>
    /// <exception cref="ArgumentException">The shapes differ, or a weight does not broadcast.</exception>
    public override Tensor Forward(Tensor input, Tensor target) =>
        Functional.BinaryCrossEntropyWithLogits(input, target, Weight, Reduction, PosWeight);

    /// <inheritdoc/>
    protected override string ExtraRepr()
    {
        var parts = new List<string>();
        if (Weight is not null) parts.Add("weight=" + Shapes.Format(Weight.shape));
        if (Reduction != Reduction.Mean) parts.Add(base.ExtraRepr());
        if (PosWeight is not null) parts.Add("pos_weight=" + Shapes.Format(PosWeight.shape));
        return string.Join(", ", parts);
    }
}

public static partial class Functional
{
    /// <summary>
    /// The binary cross-entropy of logits (<c>F.binary_cross_entropy_with_logits</c>): w ((1 - y) x + (1 + (p - 1) y) softplus(-x))
    /// elementwise, reduced by <paramref name="reduction"/>. Composed from <see cref="Tensor.Softplus"/>, so the
    /// gradients for input and target come free.
    /// </summary>
    /// <exception cref="ArgumentException">The shapes differ, or a weight does not broadcast.</exception>
    public static Tensor BinaryCrossEntropyWithLogits(Tensor input, Tensor target, Tensor? weight = null, Reduction reduction = Reduction.Mean,
                                                      Tensor? posWeight = null)
    {
        const string name = "BCEWithLogitsLoss";
        CheckSameShape(name, input, target);
        var softplus = (-input).Softplus(); // log(1 + exp(-x)) = -log sigmoid(x)
        Tensor loss;
        if (posWeight is null)
        {
            loss = (1f - target) * input + softplus;
        }
        else
        {
            var logWeight = ApplyWeight(name, "pos_weight", target, posWeight - 1f) + 1f; // 1 + (p - 1) y
            loss = (1f - target) * input + logWeight * softplus;
        }
        return Reduce(ApplyWeight(name, "weight", loss, weight), reduction);
    }
}
