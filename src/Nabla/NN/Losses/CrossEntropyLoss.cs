namespace Nabla.NN;

/// <summary>
/// The cross-entropy between logits and classes (<c>torch.nn.CrossEntropyLoss</c>): log-softmax over the class dim
/// followed by the negative log-likelihood, for input (C), (N, C) or (N, C, d1, ...) logits and either class-index
/// targets (the input's shape without the class dim; integers stored as floats) or class probabilities (the input's shape).
/// </summary>
/// <remarks>
/// <para>With class indices y, class weights w (1 when absent), label smoothing eps and C classes, per sample:
/// loss_i = (1 - eps) * (-w[y_i] log p_i[y_i]) + eps / C * (-sum_c w_c log p_i[c]), p_i = softmax(x_i), and 0 for a sample
/// whose target is the ignore index. The mean divides the sum by sum_i w[y_i] over the samples not ignored (PyTorch's
/// weighted mean; NaN if every sample is ignored).</para>
/// <para>With probabilities q: loss_i = -sum_c w_c q'_c log p_i[c], with q' = (1 - eps) q + eps / C, and the mean divides
/// by the number of samples.</para>
/// </remarks>
public class CrossEntropyLoss : Loss
{
    /// <summary>Creates the loss.</summary>
    /// <param name="weight">A weight per class (C,), e.g. to balance rare classes; null for all 1.</param>
    /// <param name="ignoreIndex">A class-index target to skip (it contributes neither loss nor gradient, nor weight to the mean).</param>
    /// <param name="reduction">Mean (weighted, see remarks), sum, or none (one value per sample).</param>
    /// <param name="labelSmoothing">eps in [0, 1]: the share of the target spread evenly over all classes.</param>
    /// <exception cref="ArgumentOutOfRangeException">labelSmoothing is outside [0, 1].</exception>
    public CrossEntropyLoss(Tensor? weight = null, int ignoreIndex = -100, Reduction reduction = Reduction.Mean, double labelSmoothing = 0)
        : base(reduction)
    {
        Functional.CheckLabelSmoothing(labelSmoothing);
        Weight = weight;
        IgnoreIndex = ignoreIndex;
        LabelSmoothing = labelSmoothing;
    }

    /// <summary>The weight per class, or null.</summary>
    public Tensor? Weight { get; }

    /// <summary>The class-index target that is skipped.</summary>
    public int IgnoreIndex { get; }

    /// <summary>The label smoothing eps.</summary>
    public double LabelSmoothing { get; }

    /// <summary>The cross-entropy of logits <paramref name="input"/> against <paramref name="target"/> (see the class remarks).</summary>
    /// <exception cref="ArgumentException">The shapes do not fit, or a target is not a whole number.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A class target is outside [0, C) (the message names it and C).</exception>
    public override Tensor Forward(Tensor input, Tensor target) =>
        Functional.CrossEntropy(input, target, Weight, IgnoreIndex, Reduction, LabelSmoothing);

    /// <inheritdoc/>
    protected override string ExtraRepr()
    {
        var parts = new List<string>();
        if (Weight is not null) parts.Add("weight=" + Shapes.Format(Weight.shape));
        if (IgnoreIndex != -100) parts.Add($"ignore_index={IgnoreIndex}");
        if (Reduction != Reduction.Mean) parts.Add(base.ExtraRepr());
        if (LabelSmoothing != 0) parts.Add($"label_smoothing={PyRepr.Float(LabelSmoothing)}");
        return string.Join(", ", parts);
    }
}

public static partial class Functional
{
    /// <summary>
    /// The cross-entropy of logits <paramref name="input"/> (C), (N, C) or (N, C, d...) against class-index or
    /// class-probability <paramref name="target"/> (<c>F.cross_entropy</c>); the formulas are on <see cref="CrossEntropyLoss"/>.
    /// Class-index targets run one fused log-softmax and likelihood op whose gradient is softmax - onehot (smoothed and weighted).
    /// </summary>
    /// <exception cref="ArgumentException">The shapes do not fit, a target is not a whole number, or an ignore index is given with probability targets.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A class target is outside [0, C), or labelSmoothing is outside [0, 1].</exception>
    public static Tensor CrossEntropy(Tensor input, Tensor target, Tensor? weight = null, int ignoreIndex = -100,
                                      Reduction reduction = Reduction.Mean, double labelSmoothing = 0)
    {
        const string loss = "CrossEntropyLoss";
        ArgumentNullException.ThrowIfNull(target);
        int c = ClassTargets.NumClasses(loss, input);
        ClassTargets.CheckWeight(loss, weight, c);
        CheckLabelSmoothing(labelSmoothing);
        if (Shapes.Equal(target.shape, input.shape))
            return CrossEntropyWithProbabilities(input, target, weight, ignoreIndex, reduction, labelSmoothing, c);

        var targets = ClassTargets.Read(loss, input, target, c, ignoreIndex, probabilitiesAllowed: true);
        var perSample = Tensor.CrossEntropyPerSample(input, targets, weight, labelSmoothing);
        return reduction switch
        {
            Reduction.None => perSample,
            Reduction.Sum => perSample.Sum(),
            // PyTorch's weighted mean: divide by the total weight of the targets used, not by their count.
            _ => perSample.Sum() / Tensor.ScalarLike(perSample, ClassTargets.WeightSum(targets, weight)),
        };
    }

    /// <summary>Soft targets: -sum_c w_c q'_c log softmax(x)_c per sample, composed from LogSoftmax (its backward comes free, for the target too).</summary>
    private static Tensor CrossEntropyWithProbabilities(Tensor input, Tensor target, Tensor? weight, int ignoreIndex, Reduction reduction,
                                                        double labelSmoothing, int c)
    {
        if (ignoreIndex >= 0)
            throw new ArgumentException($"CrossEntropyLoss: an ignore index ({ignoreIndex}) applies to class-index targets, not to class probabilities.");
        int classDim = ClassTargets.ClassDim(input);
        var logp = input.LogSoftmax(classDim);
        var q = labelSmoothing == 0
            ? target
            : target * Tensor.ScalarLike(target, 1 - labelSmoothing) + Tensor.ScalarLike(target, labelSmoothing / c);
        var terms = logp * q;
        if (weight is not null)
        {
            // (C,) laid along the class dim: (C) for one sample, (1, C, 1, ...) for a batch.
            var shape = new int[input.Rank];
            Array.Fill(shape, 1);
            shape[classDim] = c;
            terms = terms * weight.Detach().Reshape(shape);
        }
        var perSample = -terms.Sum(classDim);
        return reduction switch
        {
            Reduction.None => perSample,
            Reduction.Sum => perSample.Sum(),
            _ => perSample.Sum() / Tensor.ScalarLike(perSample, (double)input.NumEl / c),
        };
    }

    internal static void CheckLabelSmoothing(double labelSmoothing)
    {
        if (!(labelSmoothing >= 0 && labelSmoothing <= 1))
            throw new ArgumentOutOfRangeException(nameof(labelSmoothing), $"CrossEntropyLoss: label smoothing must be in [0, 1], got {labelSmoothing}.");
    }
}
