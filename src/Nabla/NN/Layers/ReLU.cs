namespace Nabla.NN;

/// <summary>The rectified linear unit (<c>torch.nn.ReLU</c>): y = max(x, 0), elementwise; the gradient at 0 is 0.</summary>
public class ReLU : Module
{
    /// <summary>y = max(x, 0).</summary>
    public override Tensor Forward(Tensor input) => input.Relu();
}
