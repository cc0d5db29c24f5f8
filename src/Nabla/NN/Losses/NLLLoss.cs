namespace Nabla.NN;

/// <summary>
/// The negative log-likelihood (<c>torch.nn.NLLLoss</c>) of log-probabilities (C), (N, C) or (N, C, d1, ...) (the output
/// of <see cref="LogSoftmax"/> over dim 1) against class indices (the input's shape without the class dim; integers
/// stored as floats): loss_i = -w[y_i] * input[i, y_i], 0 for a target equal to the ignore index.
/// The mean divides the sum by sum_i w[y_i] over the samples not ignored (PyTorch's weighted mean).
/// </summary>
public class NLLLoss : Loss
{
    /// <summary>Creates the loss.</summary>
    /// <param name="weight">A weight per class (C,); null for all 1.</param>
    /// <param name="ignoreIndex">A target to skip (no loss, no gradient, no weight in the mean).</param>
    /// <param name="reduction">Mean (weighted), sum, or none (one value per sample).</param>
    public NLLLoss(Tensor? weight = null, int ignoreIndex = -100, Reduction reduction = Reduction.Mean) : base(reduction)
    {
        Weight = weight;
        IgnoreIndex = ignoreIndex;
    }

    /// <summary>The weight per class, or null.</summary>
    public Tensor? Weight { get; }

    /// <summary>The target that is skipped.</summary>
    public int IgnoreIndex { get; }

    /// <summary>-w[y] * input[y] per sample, reduced.</summary>
    /// <exception cref="ArgumentException">The shapes do not fit, or a target is not a whole number.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A target is outside [0, C) (the message names it and C).</exception>
    public override Tensor Forward(Tensor input, Tensor target) => Functional.NllLoss(input, target, Weight, IgnoreIndex, Reduction);

    /// <inheritdoc/>
    protected override string ExtraRepr()
    {
        var parts = new List<string>();
        if (Weight is not null) parts.Add("weight=" + Shapes.Format(Weight.shape));
        if (IgnoreIndex != -100) parts.Add($"ignore_index={IgnoreIndex}");
        if (Reduction != Reduction.Mean) parts.Add(base.ExtraRepr());
        return string.Join(", ", parts);
    }
}

public static partial class Functional
{
    /// <summary>
    /// The negative log-likelihood of log-probabilities <paramref name="input"/> against class indices <paramref name="target"/>
    /// (<c>F.nll_loss</c>): loss_i = -w[y_i] input[i, y_i], 0 where the target is <paramref name="ignoreIndex"/>; the mean
    /// divides by the sum of the weights of the targets used. Composed from Gather, so its backward comes free.
    /// </summary>
    /// <exception cref="ArgumentException">The shapes do not fit, or a target is not a whole number.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A target is outside [0, C).</exception>
    public static Tensor NllLoss(Tensor input, Tensor target, Tensor? weight = null, int ignoreIndex = -100, Reduction reduction = Reduction.Mean)
    {
        const string loss = "NLLLoss";
        ArgumentNullException.ThrowIfNull(target);
        int c = ClassTargets.NumClasses(loss, input);
        ClassTargets.CheckWeight(loss, weight, c);
        var targets = ClassTargets.Read(loss, input, target, c, ignoreIndex, probabilitiesAllowed: false);
        int classDim = ClassTargets.ClassDim(input);
        var shape = ClassTargets.TargetShape(input);

        // Ignored samples gather class 0 (any valid index) and get weight 0, so they add nothing and get no gradient.
        var w = weight?.ToDoubleArray();
        var index = new double[targets.Length];
        var sampleWeight = new double[targets.Length];
        for (int i = 0; i < targets.Length; i++)
        {
            int y = targets[i];
            index[i] = Math.Max(y, 0);
            sampleWeight[i] = y < 0 ? 0 : w is null ? 1 : w[y];
        }
        var indexTensor = Tensor.FromArray(index, [index.Length]).Reshape(shape).Unsqueeze(classDim);
        var picked = input.Gather(classDim, indexTensor).Squeeze(classDim);
        var perSample = -(picked * Tensor.FromArray(sampleWeight, [sampleWeight.Length]).Reshape(shape).To(input.DType));
        return reduction switch
        {
            Reduction.None => perSample,
            Reduction.Sum => perSample.Sum(),
            _ => perSample.Sum() / Tensor.ScalarLike(perSample, ClassTargets.WeightSum(targets, weight)),
        };
    }
}
