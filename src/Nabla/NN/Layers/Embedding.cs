namespace Nabla.NN;

/// <summary>
/// A lookup table of learned vectors (<c>torch.nn.Embedding</c>): for indices of any shape S (integers stored as
/// floats) it returns the rows of its weight (num_embeddings, embedding_dim) at those indices, shape (S..., embedding_dim).
/// </summary>
/// <remarks>
/// The weight starts as N(0, 1) samples. With a padding index, that row starts at zero and gets no gradient, so it
/// stays a fixed "no token" vector (a padding position contributes nothing to learning).
/// </remarks>
public class Embedding : Module
{
    /// <summary>Creates the table and draws its initial values from <paramref name="generator"/> (default <see cref="Generator.Default"/>).</summary>
    /// <param name="numEmbeddings">The number of rows (the vocabulary size).</param>
    /// <param name="embeddingDim">The size of each vector.</param>
    /// <param name="paddingIdx">The padding row, or null; negative counts from the end, as in PyTorch.</param>
    /// <param name="generator">The random stream for the initialization.</param>
    /// <exception cref="ArgumentOutOfRangeException">A size is negative, or the padding index is outside [-num, num).</exception>
    public Embedding(int numEmbeddings, int embeddingDim, int? paddingIdx = null, Generator? generator = null)
    {
        if (numEmbeddings < 0) throw new ArgumentOutOfRangeException(nameof(numEmbeddings), $"Embedding: num_embeddings must be non-negative, got {numEmbeddings}.");
        if (embeddingDim < 0) throw new ArgumentOutOfRangeException(nameof(embeddingDim), $"Embedding: embedding_dim must be non-negative, got {embeddingDim}.");
        if (paddingIdx is int pad)
        {
            if (pad < -numEmbeddings || pad >= numEmbeddings)
                throw new ArgumentOutOfRangeException(nameof(paddingIdx),
                    $"Embedding: padding_idx {pad} must be within num_embeddings (expected {-numEmbeddings} to {numEmbeddings - 1}).");
            PaddingIdx = pad < 0 ? pad + numEmbeddings : pad;
        }
        NumEmbeddings = numEmbeddings;
        EmbeddingDim = embeddingDim;
        var weight = RegisterParameter("weight", new Parameter(Tensor.Zeros(numEmbeddings, embeddingDim)));
        Init.Normal(weight, 0, 1, generator);
        if (PaddingIdx is int p)
            using (Tensor.NoGrad()) weight[p].ZeroInPlace();
    }

    /// <summary>The number of rows.</summary>
    public int NumEmbeddings { get; }

    /// <summary>The size of each vector.</summary>
    public int EmbeddingDim { get; }

    /// <summary>The padding row in [0, num_embeddings), or null.</summary>
    public int? PaddingIdx { get; }

    /// <summary>The table, (num_embeddings, embedding_dim).</summary>
    public Parameter Weight => GetParameter("weight")!;

    /// <summary>y[s, :] = W[indices[s], :].</summary>
    /// <exception cref="ArgumentException">An index is not a whole number.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An index is outside [0, num_embeddings) (the message names it and its position).</exception>
    public override Tensor Forward(Tensor input) => Functional.Embedding(input, Weight, PaddingIdx);

    /// <inheritdoc/>
    protected override string ExtraRepr() =>
        $"{NumEmbeddings}, {EmbeddingDim}" + (PaddingIdx is int p ? $", padding_idx={p}" : "");
}

public static partial class Functional
{
    /// <summary>
    /// Looks up rows of <paramref name="weight"/> (num, dim) at <paramref name="input"/> (indices of any shape S, stored as
    /// floats), giving (S..., dim) (<c>F.embedding</c>): y[s, :] = W[input[s], :]; dW[i] sums dy over the positions
    /// holding i, except the row <paramref name="paddingIdx"/>, which gets no gradient.
    /// </summary>
    /// <exception cref="ArgumentException">The weight is not 2-D, or an index is not a whole number.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An index or the padding index is out of range.</exception>
    public static Tensor Embedding(Tensor input, Tensor weight, int? paddingIdx = null)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(weight);
        int? pad = paddingIdx;
        if (paddingIdx is int p && weight.Rank == 2)
        {
            int num = weight.Shape[0];
            if (p < -num || p >= num)
                throw new ArgumentOutOfRangeException(nameof(paddingIdx), $"Embedding: padding_idx {p} must be within num_embeddings (expected {-num} to {num - 1}).");
            pad = p < 0 ? p + num : p;
        }
        return Tensor.EmbeddingLookup(weight, input, pad);
    }
}
