namespace Nabla.NN;

/// <summary>
/// The binary cross-entropy of probabilities (<c>torch.nn.BCELoss</c>), e.g. after a <see cref="Sigmoid"/>:
/// l = -w (y log x + (1 - y) log(1 - x)) elementwise, each log clamped to at least -100 (as PyTorch) so that x = 0 or 1
/// gives a finite loss; then the mean, the sum, or none. For logits use <see cref="BCEWithLogitsLoss"/>, which is stabler.
/// </summary>
public class BCELoss : Loss
{
    /// <summary>Creates the loss.</summary>
    /// <param name="weight">A rescaling weight broadcast against the input (e.g. per sample or per output); null for 1.</param>
    /// <param name="reduction">Mean (over the elements), sum, or none.</param>
    public BCELoss(Tensor? weight = null, Reduction reduction = Reduction.Mean) : base(reduction) => Weight = weight;

    /// <summary>The rescaling weight, or null.</summary>
    public Tensor? Weight { get; }

    /// <summary>
    /// The loss of probabilities <paramref name="input"/> against <paramref name="target"/> (same shape, values in [0, 1]).
    /// The input gradient is w (x - y) / max(x (1 - x), 1e-12), finite even at 0 and 1.
    /// </summary>
    /// <exception cref="ArgumentException">The shapes differ, or the input holds a value outside [0, 1].</exception>
    public override Tensor Forward(Tensor input, Tensor target) => Functional.BinaryCrossEntropy(input, target, Weight, Reduction);

    /// <inheritdoc/>
    protected override string ExtraRepr() =>
        Weight is null ? base.ExtraRepr() : "weight=" + Shapes.Format(Weight.shape) + (Reduction == Reduction.Mean ? "" : ", " + base.ExtraRepr());
}

public static partial class Functional
{
    /// <summary>
    /// The binary cross-entropy of probabilities (<c>F.binary_cross_entropy</c>): -w (y max(log x, -100) + (1 - y) max(log(1 - x), -100))
    /// elementwise, reduced by <paramref name="reduction"/>; <paramref name="weight"/> broadcasts against the input.
    /// </summary>
    /// <exception cref="ArgumentException">The shapes differ, the weight does not broadcast, or the input holds a value outside [0, 1].</exception>
    public static Tensor BinaryCrossEntropy(Tensor input, Tensor target, Tensor? weight = null, Reduction reduction = Reduction.Mean)
    {
        CheckSameShape("BCELoss", input, target);
        var loss = Tensor.BinaryCrossEntropy(input, target);
        return Reduce(ApplyWeight("BCELoss", "weight", loss, weight), reduction);
    }

    /// <summary>Multiplies elementwise losses by a constant weight that must broadcast to their shape (and not grow it).</summary>
    internal static Tensor ApplyWeight(string lossName, string weightName, Tensor loss, Tensor? weight)
    {
        if (weight is null) return loss;
        bool fits = weight.Rank <= loss.Rank;
        for (int i = 1; fits && i <= weight.Rank; i++) fits = weight.shape[^i] == 1 || weight.shape[^i] == loss.shape[^i];
        if (!fits)
            throw new ArgumentException(
                $"{lossName}: the {weightName} of shape {Shapes.Format(weight.shape)} does not broadcast to the input's shape {Shapes.Format(loss.shape)}.");
        return loss * weight.Detach();
    }
}
