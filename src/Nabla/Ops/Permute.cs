namespace Nabla;

// Permute/Transpose: a view with reordered dims.  dx += dy.Permute(inverse permutation)
public partial class Tensor
{
    /// <summary>A view with the dims reordered: output dim i is input dim <paramref name="dims"/>[i] (<c>x.permute</c>).</summary>
    public Tensor Permute(params int[] dims)
    {
        if (dims.Length != Rank)
            throw new ArgumentException($"Permute: got {dims.Length} dims {Shapes.Format(dims)} for a tensor with {Rank} dimensions (shape {Shapes.Format(shape)}).");
        var seen = new bool[Rank];
        var newShape = new int[Rank];
        var newStrides = new int[Rank];
        var inverse = new int[Rank];
        for (int i = 0; i < Rank; i++)
        {
            int d = Shapes.NormalizeDim(dims[i], Rank, "Permute");
            if (seen[d]) throw new ArgumentException($"Permute: dim {dims[i]} repeats in {Shapes.Format(dims)}.");
            seen[d] = true;
            newShape[i] = shape[d];
            newStrides[i] = strides[d];
            inverse[d] = i;
        }
        var y = new Tensor(storage, offset, newShape, newStrides);
        return NeedsGrad(this) ? y.WithGradFn(new PermuteNode(this, inverse)) : y;
    }

    /// <summary>A view with dims <paramref name="dim0"/> and <paramref name="dim1"/> swapped (<c>x.transpose</c>).</summary>
    public Tensor Transpose(int dim0, int dim1)
    {
        int a = Shapes.NormalizeDim(dim0, Rank, "Transpose"), b = Shapes.NormalizeDim(dim1, Rank, "Transpose");
        var perm = AllDims();
        (perm[a], perm[b]) = (perm[b], perm[a]);
        return Permute(perm);
    }

    /// <summary>
    /// A view with dim <paramref name="source"/> moved to position <paramref name="destination"/> and the other dims
    /// kept in order (<c>x.movedim(source, destination)</c>): (B, H, W, C).MoveDim(-1, 1) is (B, C, H, W).
    /// </summary>
    public Tensor MoveDim(int source, int destination)
    {
        int s = Shapes.NormalizeDim(source, Rank, "MoveDim"), t = Shapes.NormalizeDim(destination, Rank, "MoveDim");
        var perm = new List<int>(Rank);
        for (int d = 0; d < Rank; d++) if (d != s) perm.Add(d);
        perm.Insert(t, s);
        return Permute(perm.ToArray());
    }

    /// <summary>The matrix transpose of a 2-D tensor (<c>x.T</c>); a 1-D tensor is returned as is.</summary>
    public Tensor T => Rank switch
    {
        < 2 => this,
        2 => Transpose(0, 1),
        _ => throw new InvalidOperationException($"T: expects a tensor with at most 2 dims, got shape {Shapes.Format(shape)}; use Transpose or Permute."),
    };

    private sealed class PermuteNode(Tensor x, int[] inverse) : GradNode(x)
    {
        public override string Name => "PermuteBackward";
        protected internal override void Backward(Tensor dy) => AccumulateGrad(0, dy.Permute(inverse));
    }
}
