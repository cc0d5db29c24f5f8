namespace Nabla.NN;

/// <summary>
/// The smooth L1 loss (<c>torch.nn.SmoothL1Loss</c>): with d = x - y, l = d^2 / (2 beta) where |d| &lt; beta, else
/// |d| - beta / 2. It is the Huber loss divided by beta (so its linear part has slope 1); beta = 0 gives the L1 loss.
/// </summary>
public class SmoothL1Loss : Loss
{
    /// <summary>Creates the loss.</summary>
    /// <param name="reduction">Mean, sum, or none.</param>
    /// <param name="beta">Where the loss turns from quadratic to linear; non-negative.</param>
    /// <exception cref="ArgumentOutOfRangeException">beta is negative.</exception>
    public SmoothL1Loss(Reduction reduction = Reduction.Mean, double beta = 1.0) : base(reduction)
    {
        Functional.CheckPositive("SmoothL1Loss", nameof(beta), beta, allowZero: true);
        Beta = beta;
    }

    /// <summary>Where the loss turns from quadratic to linear.</summary>
    public double Beta { get; }

    /// <summary>The smooth L1 loss of <paramref name="input"/> against <paramref name="target"/>, reduced.</summary>
    /// <exception cref="ArgumentException">The shapes differ (the message names both).</exception>
    public override Tensor Forward(Tensor input, Tensor target) => Functional.SmoothL1Loss(input, target, Reduction, Beta);

    /// <inheritdoc/>
    protected override string ExtraRepr()
    {
        string reduction = base.ExtraRepr();
        string beta = Beta == 1.0 ? "" : $"beta={PyRepr.Float(Beta)}";
        return reduction.Length > 0 && beta.Length > 0 ? reduction + ", " + beta : reduction + beta;
    }
}

public static partial class Functional
{
    /// <summary>
    /// The smooth L1 loss (<c>F.smooth_l1_loss</c>): d^2 / (2 beta) where |d| &lt; beta, else |d| - beta / 2, d = x - y,
    /// reduced by <paramref name="reduction"/>; beta = 0 is the L1 loss.
    /// </summary>
    /// <exception cref="ArgumentException">The shapes differ.</exception>
    /// <exception cref="ArgumentOutOfRangeException">beta is negative.</exception>
    public static Tensor SmoothL1Loss(Tensor input, Tensor target, Reduction reduction = Reduction.Mean, double beta = 1.0)
    {
        CheckSameShape("SmoothL1Loss", input, target);
        CheckPositive("SmoothL1Loss", nameof(beta), beta, allowZero: true);
        if (beta == 0) return Reduce((input - target).Abs(), reduction);
        var d = input - target;
        var a = d.Abs();
        var quadratic = d * d * Tensor.ScalarLike(d, 0.5 / beta);
        var linear = a - Tensor.ScalarLike(a, 0.5 * beta);
        return Reduce(Tensor.Where(a.Lt(Tensor.ScalarLike(a, beta)), quadratic, linear), reduction);
    }
}
