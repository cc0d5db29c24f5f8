namespace Nabla;

// Reshape/View: the same elements read with another shape.  dx += dy.Reshape(x.shape)
public partial class Tensor
{
    /// <summary>
    /// The same elements with a new shape (<c>x.reshape</c>); one size may be -1 to be inferred.
    /// A view of the same storage when this tensor is contiguous, else a contiguous copy.
    /// </summary>
    /// <exception cref="ArgumentException">The new shape's element count differs.</exception>
    public Tensor Reshape(params int[] newShape)
    {
        var target = InferShape(newShape, "Reshape");
        var src = IsContiguous ? this : Contiguous();
        var y = new Tensor(src.storage, src.offset, target, Shapes.ContiguousStrides(target));
        return NeedsGrad(src) ? y.WithGradFn(new ReshapeNode(src)) : y;
    }

    /// <summary>Like <see cref="Reshape"/> but never copies (<c>x.view</c>): the tensor must be contiguous.</summary>
    /// <exception cref="InvalidOperationException">The tensor is not contiguous.</exception>
    public Tensor View(params int[] newShape)
    {
        if (!IsContiguous)
            throw new InvalidOperationException(
                $"View: a tensor of shape {Shapes.Format(shape)} with strides {Shapes.Format(strides)} is not contiguous; use Reshape (which copies) or Contiguous() first.");
        return Reshape(newShape);
    }

    /// <summary>Merges dims <paramref name="startDim"/> through <paramref name="endDim"/> into one (<c>torch.flatten</c>).</summary>
    public Tensor Flatten(int startDim = 0, int endDim = -1)
    {
        if (Rank == 0) return Reshape(1);
        int s = Shapes.NormalizeDim(startDim, Rank, "Flatten"), e = Shapes.NormalizeDim(endDim, Rank, "Flatten");
        if (s > e) throw new ArgumentException($"Flatten: startDim ({startDim}) must not come after endDim ({endDim}).");
        var target = new List<int>();
        for (int d = 0; d < s; d++) target.Add(shape[d]);
        int merged = 1;
        for (int d = s; d <= e; d++) merged *= shape[d];
        target.Add(merged);
        for (int d = e + 1; d < Rank; d++) target.Add(shape[d]);
        return Reshape(target.ToArray());
    }

    /// <summary>
    /// Splits dim <paramref name="dim"/> into several dims of the given <paramref name="sizes"/> (<c>x.unflatten(dim, sizes)</c>),
    /// the inverse of <see cref="Flatten"/>; one size may be -1 to be inferred. (B, T*C).Unflatten(1, T, C) is (B, T, C).
    /// </summary>
    /// <exception cref="ArgumentException">The sizes' product differs from the size of the dim.</exception>
    public Tensor Unflatten(int dim, params int[] sizes)
    {
        ArgumentNullException.ThrowIfNull(sizes);
        int d = Shapes.NormalizeDim(dim, Rank, "Unflatten");
        if (sizes.Length == 0) throw new ArgumentException("Unflatten: sizes must not be empty.", nameof(sizes));
        var inner = (int[])sizes.Clone();
        int infer = -1;
        long known = 1;
        for (int i = 0; i < inner.Length; i++)
        {
            if (inner[i] == -1 && infer < 0) infer = i;
            else if (inner[i] < 0) throw new ArgumentException($"Unflatten: invalid sizes {Shapes.Format(sizes)} (at most one -1, no other negative size).", nameof(sizes));
            else known *= inner[i];
        }
        if (infer >= 0 && known != 0 && shape[d] % known == 0) inner[infer] = (int)(shape[d] / known);
        else if (infer >= 0 || known != shape[d])
            throw new ArgumentException(
                $"Unflatten: sizes {Shapes.Format(sizes)} do not multiply to the size {shape[d]} of dim {dim} (shape {Shapes.Format(shape)}).", nameof(sizes));
        var target = new List<int>(Rank + sizes.Length - 1);
        for (int k = 0; k < d; k++) target.Add(shape[k]);
        target.AddRange(inner);
        for (int k = d + 1; k < Rank; k++) target.Add(shape[k]);
        return Reshape(target.ToArray());
    }

    /// <summary>This tensor reshaped to <paramref name="other"/>'s shape (<c>x.reshape_as(other)</c>).</summary>
    public Tensor ReshapeAs(Tensor other) => Reshape(other.shape);

    private int[] InferShape(int[] newShape, string op)
    {
        var target = (int[])newShape.Clone();
        int infer = -1;
        long known = 1;
        for (int i = 0; i < target.Length; i++)
        {
            if (target[i] == -1)
            {
                if (infer >= 0) throw new ArgumentException($"{op}: only one dim may be -1, got {Shapes.Format(newShape)}.");
                infer = i;
            }
            else if (target[i] < 0) throw new ArgumentException($"{op}: invalid size {target[i]} in {Shapes.Format(newShape)}.");
            else known *= target[i];
        }
        if (infer >= 0)
        {
            if (known == 0 || NumEl % known != 0)
                throw new ArgumentException($"{op}: shape {Shapes.Format(newShape)} is invalid for a tensor of {NumEl} elements (shape {Shapes.Format(shape)}).");
            target[infer] = (int)(NumEl / known);
        }
        else if (known != NumEl)
        {
            throw new ArgumentException($"{op}: shape {Shapes.Format(newShape)} has {known} elements but the tensor of shape {Shapes.Format(shape)} has {NumEl}.");
        }
        return target;
    }

    private sealed class ReshapeNode(Tensor x) : GradNode(x)
    {
        public override string Name => "ReshapeBackward";
        protected internal override void Backward(Tensor dy) => AccumulateGrad(0, dy.Reshape(x.shape));
    }
}
