namespace Nabla.NN;

/// <summary>
/// The squared error (<c>torch.nn.MSELoss</c>): l = (x - y)^2 elementwise, then the mean (the default), the sum
/// (the cost sum (x - y)^2 of the course notes), or none. Input and target must have the same shape.
/// </summary>
public class MSELoss : Loss
{
    /// <summary>Creates the loss with the given reduction.</summary>
    public MSELoss(Reduction reduction = Reduction.Mean) : base(reduction) { }

    /// <summary>(x - y)^2, reduced. The gradient is 2 (x - y) (divided by the element count for the mean), for both arguments.</summary>
    /// <exception cref="ArgumentException">The shapes differ (the message names both).</exception>
    public override Tensor Forward(Tensor input, Tensor target) => Functional.MseLoss(input, target, Reduction);
}

public static partial class Functional
{
    /// <summary>The squared error (<c>F.mse_loss</c>): (x - y)^2 elementwise, reduced by <paramref name="reduction"/>.</summary>
    /// <exception cref="ArgumentException">The shapes differ.</exception>
    public static Tensor MseLoss(Tensor input, Tensor target, Reduction reduction = Reduction.Mean)
    {
        CheckSameShape("MSELoss", input, target);
        var d = input - target;
        return Reduce(d * d, reduction);
    }
}
