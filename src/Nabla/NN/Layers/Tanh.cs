namespace Nabla.NN;

/// <summary>The hyperbolic tangent (<c>torch.nn.Tanh</c>): y = tanh(x), elementwise.</summary>
public class Tanh : Module
{
    /// <summary>y = tanh(x).</summary>
    public override Tensor Forward(Tensor input) => input.Tanh();
}
