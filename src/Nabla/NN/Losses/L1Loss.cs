namespace Nabla.NN;

/// <summary>
/// The absolute error (<c>torch.nn.L1Loss</c>): l = |x - y| elementwise, then the mean, the sum, or none; the
/// gradient is sign(x - y) (0 where x = y, as PyTorch). Input and target must have the same shape.
/// </summary>
public class L1Loss : Loss
{
    /// <summary>Creates the loss with the given reduction.</summary>
    public L1Loss(Reduction reduction = Reduction.Mean) : base(reduction) { }

    /// <summary>|x - y|, reduced.</summary>
    /// <exception cref="ArgumentException">The shapes differ (the message names both).</exception>
    public override Tensor Forward(Tensor input, Tensor target) => Functional.L1Loss(input, target, Reduction);
}

public static partial class Functional
{
    /// <summary>The absolute error (<c>F.l1_loss</c>): |x - y| elementwise, reduced by <paramref name="reduction"/>.</summary>
    /// <exception cref="ArgumentException">The shapes differ.</exception>
    public static Tensor L1Loss(Tensor input, Tensor target, Reduction reduction = Reduction.Mean)
    {
        CheckSameShape("L1Loss", input, target);
        return Reduce((input - target).Abs(), reduction);
    }
}
