namespace Nabla.NN;

/// <summary>
/// A tensor that is a learnable weight of a <see cref="Module"/> (<c>torch.nn.Parameter</c>): it requires
/// grad from the start, and modules find it by registration so that optimizers can update it.
/// </summary>
public class Parameter : Tensor
{
    /// <summary>Makes a parameter holding a contiguous copy of <paramref name="data"/>'s values (which need not require grad).</summary>
    public Parameter(Tensor data) : base(OwnCopy(data), (int[])data.shape.Clone())
    {
        RequiresGrad = true;
    }

    private static Array OwnCopy(Tensor data)
    {
        using var _ = NoGrad();
        var c = data.Detach().Clone();
        return c.storage;
    }
}
