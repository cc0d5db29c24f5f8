namespace Nabla.NN;

/// <summary>A placeholder that returns its input unchanged (<c>torch.nn.Identity</c>), e.g. to switch a layer off.</summary>
public class Identity : Module
{
    /// <summary>Returns <paramref name="input"/> itself.</summary>
    public override Tensor Forward(Tensor input) => input;
}
