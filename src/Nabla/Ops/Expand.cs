namespace Nabla;

// Expand: a broadcast view (stride 0 along repeated dims), and Unsqueeze/Squeeze which add or drop size-1 dims.
//   Expand:  dx += dy summed back to x's shape (the shared sum-to-shape helper)
//   Unsqueeze/Squeeze are reshapes, whose backward reshapes back.
public partial class Tensor
{
    /// <summary>
    /// A view repeating size-1 dims to <paramref name="newShape"/> without copying (<c>x.expand</c>);
    /// new leading dims may be added; -1 keeps a dim's size.
    /// </summary>
    public Tensor Expand(params int[] newShape)
    {
        if (newShape.Length < Rank)
            throw new ArgumentException($"Expand: the target {Shapes.Format(newShape)} has fewer dims than the tensor's shape {Shapes.Format(shape)}.");
        int lead = newShape.Length - Rank;
        var target = (int[])newShape.Clone();
        var newStrides = new int[target.Length];
        for (int d = 0; d < target.Length; d++)
        {
            int src = d - lead;
            if (src < 0)
            {
                if (target[d] < 0) throw new ArgumentException($"Expand: -1 is not allowed for the new leading dim {d} in {Shapes.Format(newShape)}.");
                newStrides[d] = 0;
                continue;
            }
            if (target[d] == -1) target[d] = shape[src];
            if (shape[src] == target[d]) newStrides[d] = strides[src];
            else if (shape[src] == 1) newStrides[d] = 0;
            else
                throw new ArgumentException(
                    $"Expand: the tensor of shape {Shapes.Format(shape)} cannot be expanded to {Shapes.Format(newShape)}: dim {d} has size {shape[src]}, not 1.");
        }
        if (Shapes.Equal(target, shape)) return this;
        var y = new Tensor(storage, offset, target, newStrides);
        return NeedsGrad(this) ? y.WithGradFn(new ExpandNode(this)) : y;
    }

    /// <summary>A view expanded to <paramref name="other"/>'s shape.</summary>
    public Tensor ExpandAs(Tensor other) => Expand(other.shape);

    /// <summary>Inserts a size-1 dim at <paramref name="dim"/> (<c>x.unsqueeze</c>).</summary>
    public Tensor Unsqueeze(int dim)
    {
        int d = Shapes.NormalizeDim(dim, Rank + 1, "Unsqueeze");
        var target = new List<int>(shape);
        target.Insert(d, 1);
        return ViewAs(target.ToArray());
    }

    /// <summary>Removes every size-1 dim (<c>x.squeeze()</c>).</summary>
    public Tensor Squeeze()
    {
        var target = new List<int>();
        foreach (int s in shape) if (s != 1) target.Add(s);
        return target.Count == Rank ? this : ViewAs(target.ToArray());
    }

    /// <summary>Removes dim <paramref name="dim"/> if its size is 1 (<c>x.squeeze(dim)</c>), else returns the tensor unchanged.</summary>
    public Tensor Squeeze(int dim)
    {
        int d = Shapes.NormalizeDim(dim, Rank, "Squeeze");
        if (shape[d] != 1) return this;
        var target = new List<int>(shape);
        target.RemoveAt(d);
        return ViewAs(target.ToArray());
    }

    /// <summary>
    /// A view with size-1 dims added or removed: such a change never needs a copy, whatever the strides,
    /// because size-1 dims are never stepped through.
    /// </summary>
    private Tensor ViewAs(int[] target)
    {
        // Non-1 dims keep their order and strides; size-1 dims get stride 0.
        var newStrides = new int[target.Length];
        int src = 0;
        for (int d = 0; d < target.Length; d++)
        {
            if (target[d] == 1) continue;
            while (shape[src] == 1) src++;
            newStrides[d] = strides[src++];
        }
        var y = new Tensor(storage, offset, target, newStrides);
        return NeedsGrad(this) ? y.WithGradFn(new ReshapeLikeNode(this)) : y;
    }

    private sealed class ExpandNode(Tensor x) : GradNode(x)
    {
        public override string Name => "ExpandBackward";
        protected internal override void Backward(Tensor dy) => AccumulateGrad(0, dy); // summed down by AccumulateGrad
    }

    private sealed class ReshapeLikeNode(Tensor x) : GradNode(x)
    {
        public override string Name => "ViewBackward";
        protected internal override void Backward(Tensor dy) => AccumulateGrad(0, dy.Reshape(x.shape));
    }
}
