namespace Nabla;

/// <summary>The reverse-mode engine: orders the graph, then walks it backward once.</summary>
internal static class AutogradEngine
{
    /// <summary>
    /// Back-propagates <paramref name="gradOutput"/> from <paramref name="root"/> through the graph,
    /// adding into the <see cref="Tensor.Grad"/> of every leaf that requires grad.
    /// </summary>
    public static void Backward(Tensor root, Tensor gradOutput)
    {
        if (root.GradFn is null)
        {
            // A leaf: its gradient with respect to itself is the seed.
            Accumulate(root, gradOutput);
            return;
        }

        // Topological order by an iterative depth-first search (deep graphs must not overflow the stack).
        var order = new List<GradNode>();
        var visited = new HashSet<GradNode>(ReferenceEqualityComparer.Instance);
        var stack = new Stack<(GradNode Node, int NextInput)>();
        stack.Push((root.GradFn, 0));
        visited.Add(root.GradFn);
        while (stack.Count > 0)
        {
            var (node, next) = stack.Pop();
            var inputs = node.Inputs;
            if (next < inputs.Count)
            {
                stack.Push((node, next + 1));
                var child = inputs[next].GradFn;
                if (child is not null && visited.Add(child)) stack.Push((child, 0));
            }
            else
            {
                order.Add(node); // post-order: every input's node comes before its consumers
            }
        }

        using var _ = GradMode.Disable();
        root.GradFn.PendingGrad = gradOutput;
        for (int i = order.Count - 1; i >= 0; i--)
        {
            var node = order[i];
            var grad = node.PendingGrad;
            node.PendingGrad = null; // release the buffer as soon as it is consumed
            if (grad is not null) node.Backward(grad);
        }
    }

    /// <summary>Adds <paramref name="grad"/> into the gradient of <paramref name="tensor"/>: pending for inner nodes, <c>Grad</c> for leaves.</summary>
    public static void Accumulate(Tensor tensor, Tensor grad)
    {
        if (!Shapes.Equal(tensor.shape, grad.shape))
            throw new InvalidOperationException(
                $"Internal error: gradient of shape {Shapes.Format(grad.shape)} for a tensor of shape {Shapes.Format(tensor.shape)}.");
        if (grad.DType != tensor.DType) grad = grad.To(tensor.DType);
        var node = tensor.GradFn;
        if (node is not null)
        {
            // Never mutate a pending gradient in place: the same tensor may have been handed to several inputs.
            node.PendingGrad = node.PendingGrad is null ? grad : node.PendingGrad + grad;
            return;
        }
        if (tensor.Grad is null)
            tensor.Grad = grad.Clone(); // the leaf owns its own buffer, so later additions can be in place
        else
            tensor.Grad.AddInPlace(grad);
    }
}
