namespace Nabla;

public partial class Tensor
{
    /// <summary>
    /// Turns gradient recording off on this thread until the returned scope is disposed, as
    /// <c>torch.no_grad()</c>: <c>using (Tensor.NoGrad()) { ... }</c>. Use it for evaluation and updates.
    /// </summary>
    public static NoGradScope NoGrad() => GradMode.Disable();

    /// <summary>Whether ops on this thread currently record the graph.</summary>
    public static bool IsGradEnabled => GradMode.IsEnabled;

    /// <summary>
    /// Back-propagates from this tensor: for a one-element tensor (a loss) the seed gradient is 1;
    /// otherwise pass <paramref name="gradient"/>, the gradient of some scalar with respect to this tensor.
    /// Leaves that require grad accumulate into <see cref="Grad"/> (sum across calls, as PyTorch);
    /// call <see cref="ZeroGrad"/> or an optimizer's ZeroGrad between steps.
    /// </summary>
    /// <exception cref="InvalidOperationException">The tensor does not require grad, or is not a scalar and no gradient was given.</exception>
    /// <exception cref="ArgumentException">The gradient's shape differs from this tensor's.</exception>
    public void Backward(Tensor? gradient = null)
    {
        if (!RequiresGrad)
            throw new InvalidOperationException(
                "Backward: this tensor does not require grad and has no grad_fn. Set RequiresGrad = true on the inputs you want gradients for.");
        if (gradient is null)
        {
            if (NumEl != 1)
                throw new InvalidOperationException(
                    $"Backward: a gradient can be implicitly created only for a one-element (scalar) output, but this tensor has shape {Shapes.Format(shape)}; pass the output gradient: Backward(gradient).");
            gradient = OnesLike(this);
        }
        else if (!Shapes.Equal(gradient.shape, shape))
        {
            throw new ArgumentException(
                $"Backward: the gradient has shape {Shapes.Format(gradient.shape)} but the tensor has shape {Shapes.Format(shape)}.");
        }
        AutogradEngine.Backward(this, gradient.To(DType));
    }

    /// <summary>A tensor sharing this one's storage but outside the graph (<c>x.detach()</c>).</summary>
    public Tensor Detach() => new(storage, offset, shape, strides);

    /// <summary>True when an op on these inputs must record a node: recording is on and some input requires grad.</summary>
    internal static bool NeedsGrad(Tensor a) => GradMode.IsEnabled && a.RequiresGrad;

    /// <inheritdoc cref="NeedsGrad(Tensor)"/>
    internal static bool NeedsGrad(Tensor a, Tensor b) => GradMode.IsEnabled && (a.RequiresGrad || b.RequiresGrad);

    /// <inheritdoc cref="NeedsGrad(Tensor)"/>
    internal static bool NeedsGrad(IReadOnlyList<Tensor> inputs)
    {
        if (!GradMode.IsEnabled) return false;
        foreach (var t in inputs) if (t.RequiresGrad) return true;
        return false;
    }

    /// <summary>
    /// Sums this gradient down to <paramref name="target"/>, undoing broadcasting: leading dims that
    /// broadcasting added are summed away, and dims that were 1 in the target are summed with keepDim.
    /// Every op's backward goes through here, so no op handles broadcasting on its own.
    /// </summary>
    internal Tensor SumToShape(int[] target)
    {
        if (Shapes.Equal(shape, target)) return this;
        int lead = Rank - target.Length;
        var dims = new List<int>();
        for (int d = 0; d < Rank; d++)
            if (d < lead || (target[d - lead] == 1 && shape[d] != 1)) dims.Add(d);
        var summed = dims.Count == 0 ? this : Sum(dims.ToArray(), keepDim: true);
        return summed.Reshape(target);
    }
}
