using Nabla.Kernels;

namespace Nabla;

// Embedding lookup: indices of any shape S pick rows of a table W (Num, Dim).
//   y[s, :] = W[idx[s], :]                       y: (S..., Dim)
//   dW[idx[s], :] += dy[s, :], except row padding_idx, which gets no gradient (PyTorch's padding_idx)
// Its own op rather than IndexSelect + Reshape: the padding row has to be left out of the gradient while still being
// read in the forward (composing that would take a second gather and a Where), and a bad index should be reported in
// the embedding's terms, at its position in the batch.
public partial class Tensor
{
    /// <summary>
    /// Looks up rows of <paramref name="weight"/> (Num, Dim) at <paramref name="indices"/> (any shape S, integers stored
    /// as floats), giving (S..., Dim). The row <paramref name="paddingIdx"/> (already in [0, Num)) gets no gradient.
    /// </summary>
    internal static Tensor EmbeddingLookup(Tensor weight, Tensor indices, int? paddingIdx)
    {
        if (weight.Rank != 2)
            throw new ArgumentException($"Embedding: the weight must be 2-D (num_embeddings, embedding_dim), but has shape {Shapes.Format(weight.shape)}.");
        int num = weight.shape[0], dim = weight.shape[1];
        var idx = ReadEmbeddingIndices(indices, num);
        var outShape = new int[indices.Rank + 1];
        indices.shape.CopyTo(outShape, 0);
        outShape[^1] = dim;

        var table = weight.IsContiguous ? weight : weight.Detach().Contiguous();
        var y = Empty(weight.DType, outShape);
        if (weight.DType == DType.Float64)
            IndexKernels.Gather<double>(table.Span<double>(), num, y.Span<double>(), idx, 1, idx.Length, dim, perSlab: true);
        else
            IndexKernels.Gather<float>(table.Span<float>(), num, y.Span<float>(), idx, 1, idx.Length, dim, perSlab: true);
        return NeedsGrad(weight) ? y.WithGradFn(new EmbeddingNode(weight, idx, paddingIdx)) : y;
    }

    /// <summary>The indices in row-major order, each checked to be a whole number in [0, num).</summary>
    private static int[] ReadEmbeddingIndices(Tensor indices, int num)
    {
        var values = indices.ToDoubleArray();
        var result = new int[values.Length];
        for (int i = 0; i < values.Length; i++)
        {
            double v = values[i];
            if (v != Math.Floor(v)) // also NaN and infinities
                throw new ArgumentException(
                    $"Embedding: indices must be whole numbers, but the element at {IndexString(indices.shape, i)} is {v} (indices of shape {Shapes.Format(indices.shape)}).");
            if (v < 0 || v >= num)
                throw new ArgumentOutOfRangeException(nameof(indices),
                    $"Embedding: index {v} at {IndexString(indices.shape, i)} is out of range for {num} embeddings (expected 0 to {num - 1}).");
            result[i] = (int)v;
        }
        return result;
    }

    private sealed class EmbeddingNode(Tensor weight, int[] index, int? paddingIdx) : GradNode(weight)
    {
        public override string Name => "EmbeddingBackward";

        protected internal override void Backward(Tensor dy)
        {
            int num = weight.shape[0], dim = weight.shape[1];
            var gy = (dy.IsContiguous ? dy : dy.Contiguous()).To(weight.DType);
            var gw = Empty(weight.DType, weight.shape); // zeros
            if (weight.DType == DType.Float64)
            {
                IndexKernels.ScatterAdd(gw.Span<double>(), num, gy.Span<double>(), index, 1, index.Length, dim, perSlab: true);
                if (paddingIdx is int p) gw.Span<double>().Slice(p * dim, dim).Clear();
            }
            else
            {
                IndexKernels.ScatterAdd(gw.Span<float>(), num, gy.Span<float>(), index, 1, index.Length, dim, perSlab: true);
                if (paddingIdx is int p) gw.Span<float>().Slice(p * dim, dim).Clear();
            }
            AccumulateGrad(0, gw);
        }
    }
}
