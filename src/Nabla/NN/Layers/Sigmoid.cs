namespace Nabla.NN;

/// <summary>The logistic sigmoid (<c>torch.nn.Sigmoid</c>): y = 1 / (1 + exp(-x)), elementwise.</summary>
public class Sigmoid : Module
{
    /// <summary>y = 1 / (1 + exp(-x)).</summary>
    public override Tensor Forward(Tensor input) => input.Sigmoid();
}
