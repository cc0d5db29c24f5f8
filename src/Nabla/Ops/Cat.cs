namespace Nabla;

// Cat: tensors joined along an existing dim (torch.cat).  With sizes n_0, n_1, ... along dim:
//   y[..., o_i + j, ...] = x_i[..., j, ...]       where o_i = n_0 + ... + n_(i-1)
//   dx_i += dy.Narrow(dim, o_i, n_i)             (a view of dy: no copy)
// Stack joins along a new dim: Cat of the inputs unsqueezed there, so it needs no backward of its own.
public partial class Tensor
{
    /// <summary>
    /// Concatenates <paramref name="tensors"/> along <paramref name="dim"/> (<c>torch.cat</c>). They must have
    /// the same number of dims and the same sizes in every dim except <paramref name="dim"/>. As in PyTorch,
    /// 1-D empty tensors (shape <c>(0,)</c>) are skipped, so a loop may start from an empty tensor. Mixed
    /// float32/float64 inputs give float64.
    /// </summary>
    /// <exception cref="ArgumentException">The list is empty, holds a scalar, or the shapes do not match.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The dim is out of range.</exception>
    public static Tensor Cat(IReadOnlyList<Tensor> tensors, int dim = 0)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        if (tensors.Count == 0) throw new ArgumentException("Cat: expected a non-empty list of tensors.", nameof(tensors));

        // The first tensor that is not a skipped (0,) one sets the shape the others must match.
        int first = 0;
        for (int i = 0; i < tensors.Count; i++)
        {
            ArgumentNullException.ThrowIfNull(tensors[i], $"{nameof(tensors)}[{i}]");
            if (!IsLegacyEmpty(tensors[i])) { first = i; break; }
        }
        var reference = tensors[first];
        if (reference.Rank == 0)
            throw new ArgumentException($"Cat: tensor {first} is zero-dimensional (a scalar) and cannot be concatenated; use Stack, or Unsqueeze it first.", nameof(tensors));
        int d = Shapes.NormalizeDim(dim, reference.Rank, "Cat");

        var dtype = DType.Float32;
        int total = 0;
        for (int i = 0; i < tensors.Count; i++)
        {
            var t = tensors[i];
            if (t.DType == DType.Float64) dtype = DType.Float64;
            if (i != first && IsLegacyEmpty(t)) continue;
            if (t.Rank != reference.Rank)
                throw new ArgumentException(
                    $"Cat: tensor {i} has shape {Shapes.Format(t.shape)} with {t.Rank} dims but tensor {first} has shape {Shapes.Format(reference.shape)} with {reference.Rank}; all tensors need the same number of dims.",
                    nameof(tensors));
            for (int k = 0; k < t.Rank; k++)
                if (k != d && t.shape[k] != reference.shape[k])
                    throw new ArgumentException(
                        $"Cat: tensor {i} has shape {Shapes.Format(t.shape)} but tensor {first} has shape {Shapes.Format(reference.shape)}; sizes must match except in the concatenation dim {dim} (they differ in dim {k}).",
                        nameof(tensors));
            total += t.shape[d];
        }

        var outShape = (int[])reference.shape.Clone();
        outShape[d] = total;
        var result = Empty(dtype, outShape);
        var offsets = new int[tensors.Count];
        int at = 0;
        for (int i = 0; i < tensors.Count; i++)
        {
            var t = tensors[i];
            offsets[i] = at;
            if (IsLegacyEmpty(t) && i != first) continue;
            // One strided copy per input into its band of the output; the layout walker turns it into row copies.
            result.Narrow(d, at, t.shape[d]).CopyFrom(t.Detach());
            at += t.shape[d];
        }
        return NeedsGrad(tensors) ? result.WithGradFn(new CatNode([.. tensors], d, offsets, first)) : result;
    }

    /// <summary>
    /// Stacks same-shaped <paramref name="tensors"/> along a new dim <paramref name="dim"/> (<c>torch.stack</c>):
    /// <c>Stack([a, b], 0)[1] == b</c>. The new dim may be at the end (dim = rank, or -1).
    /// </summary>
    /// <exception cref="ArgumentException">The list is empty or the shapes differ.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The dim is out of range.</exception>
    public static Tensor Stack(IReadOnlyList<Tensor> tensors, int dim = 0)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        if (tensors.Count == 0) throw new ArgumentException("Stack: expected a non-empty list of tensors.", nameof(tensors));
        var reference = tensors[0];
        for (int i = 1; i < tensors.Count; i++)
            if (!Shapes.Equal(tensors[i].shape, reference.shape))
                throw new ArgumentException(
                    $"Stack: tensor {i} has shape {Shapes.Format(tensors[i].shape)} but tensor 0 has shape {Shapes.Format(reference.shape)}; all tensors must have the same shape.",
                    nameof(tensors));
        int d = Shapes.NormalizeDim(dim, reference.Rank + 1, "Stack");
        var parts = new Tensor[tensors.Count];
        for (int i = 0; i < parts.Length; i++) parts[i] = tensors[i].Unsqueeze(d);
        return Cat(parts, d);
    }

    /// <summary>PyTorch skips 1-D empty tensors in cat whatever the other shapes (a legacy rule kept for compatibility).</summary>
    private static bool IsLegacyEmpty(Tensor t) => t.Rank == 1 && t.shape[0] == 0;

    private sealed class CatNode(Tensor[] parts, int dim, int[] offsets, int first) : GradNode(parts)
    {
        public override string Name => "CatBackward";

        protected internal override void Backward(Tensor dy)
        {
            for (int i = 0; i < Inputs.Count; i++)
            {
                if (!NeedsGrad(i)) continue;
                var x = Inputs[i];
                if (i != first && IsLegacyEmpty(x)) AccumulateGrad(i, ZerosLike(x));
                else AccumulateGrad(i, dy.Narrow(dim, offsets[i], x.shape[dim]));
            }
        }
    }
}
