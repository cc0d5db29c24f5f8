namespace Nabla.NN;

/// <summary>
/// The Huber loss (<c>torch.nn.HuberLoss</c>): with d = x - y, l = d^2 / 2 where |d| &lt; delta, else
/// delta (|d| - delta / 2): quadratic near the target and linear far from it, so outliers pull with a bounded force
/// (the gradient is d clamped to [-delta, delta]). Input and target must have the same shape.
/// </summary>
public class HuberLoss : Loss
{
    /// <summary>Creates the loss.</summary>
    /// <param name="reduction">Mean, sum, or none.</param>
    /// <param name="delta">Where the loss turns from quadratic to linear; positive.</param>
    /// <exception cref="ArgumentOutOfRangeException">delta is not positive.</exception>
    public HuberLoss(Reduction reduction = Reduction.Mean, double delta = 1.0) : base(reduction)
    {
        Functional.CheckPositive("HuberLoss", nameof(delta), delta, allowZero: false);
        Delta = delta;
    }

    /// <summary>Where the loss turns from quadratic to linear.</summary>
    public double Delta { get; }

    /// <summary>The Huber loss of <paramref name="input"/> against <paramref name="target"/>, reduced.</summary>
    /// <exception cref="ArgumentException">The shapes differ (the message names both).</exception>
    public override Tensor Forward(Tensor input, Tensor target) => Functional.HuberLoss(input, target, Reduction, Delta);

    /// <inheritdoc/>
    protected override string ExtraRepr()
    {
        string reduction = base.ExtraRepr();
        string delta = Delta == 1.0 ? "" : $"delta={PyRepr.Float(Delta)}";
        return reduction.Length > 0 && delta.Length > 0 ? reduction + ", " + delta : reduction + delta;
    }
}

public static partial class Functional
{
    /// <summary>
    /// The Huber loss (<c>F.huber_loss</c>): d^2 / 2 where |d| &lt; delta, else delta (|d| - delta / 2), d = x - y,
    /// reduced by <paramref name="reduction"/>. Composed from Where, so both branches' gradients come free.
    /// </summary>
    /// <exception cref="ArgumentException">The shapes differ.</exception>
    /// <exception cref="ArgumentOutOfRangeException">delta is not positive.</exception>
    public static Tensor HuberLoss(Tensor input, Tensor target, Reduction reduction = Reduction.Mean, double delta = 1.0)
    {
        CheckSameShape("HuberLoss", input, target);
        CheckPositive("HuberLoss", nameof(delta), delta, allowZero: false);
        var d = input - target;
        var a = d.Abs();
        var quadratic = d * d * 0.5f;
        var linear = (a - Tensor.ScalarLike(a, 0.5 * delta)) * Tensor.ScalarLike(a, delta);
        return Reduce(Tensor.Where(a.Lt(Tensor.ScalarLike(a, delta)), quadratic, linear), reduction);
    }

    internal static void CheckPositive(string loss, string name, double value, bool allowZero)
    {
        if (!(allowZero ? value >= 0 : value > 0) || double.IsInfinity(value))
            throw new ArgumentOutOfRangeException(name, $"{loss}: {name} must be {(allowZero ? "non-negative" : "positive")} and finite, got {value}.");
    }
}
