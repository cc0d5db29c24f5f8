using Nabla.NN;

namespace Nabla.Examples.Sequences;

/// <summary>A classifier of padded token sequences with their lengths: logits (B, classes).</summary>
public interface ISequenceClassifier
{
    /// <summary>The logits (B, classes) of <paramref name="tokens"/> (B, T), where row b's first <paramref name="lengths"/>[b] steps are real.</summary>
    Tensor Forward(Tensor tokens, int[] lengths);

    /// <summary>The module that holds the parameters.</summary>
    Module Module { get; }
}

/// <summary>
/// Embedding, a GRU over the whole padded batch, and a linear map from each sequence's hidden state at its own last
/// step. Padding comes after a sequence's last step, so it cannot reach that state: the result is exactly what the
/// sequence alone would give.
/// </summary>
public sealed class RecurrentClassifier : Module, ISequenceClassifier
{
    private readonly Embedding embedding;
    private readonly GRU rnn;
    private readonly Linear head;

    /// <summary>Creates the layers, drawing their weights from <paramref name="generator"/>.</summary>
    public RecurrentClassifier(int tokens, int embeddingDim, int hiddenSize, int classes, Generator? generator = null)
    {
        embedding = RegisterModule("embedding", new Embedding(tokens, embeddingDim, paddingIdx: 0, generator: generator));
        rnn = RegisterModule("rnn", new GRU(embeddingDim, hiddenSize, batchFirst: true, generator: generator));
        head = RegisterModule("head", new Linear(hiddenSize, classes, generator: generator));
    }

    /// <inheritdoc/>
    public Module Module => this;

    /// <summary>Not available: the classifier needs each sequence's length; call <see cref="Forward(Tensor, int[])"/>.</summary>
    public override Tensor Forward(Tensor input) =>
        throw new NotSupportedException("RecurrentClassifier: call Forward(tokens, lengths); it needs each sequence's length.");

    /// <inheritdoc/>
    public Tensor Forward(Tensor tokens, int[] lengths)
    {
        var (output, _) = rnn.Forward(embedding.Forward(tokens), null); // (B, T, H)
        int b = output.Shape[0], h = output.Shape[2];
        // Gather step lengths[b] - 1 of row b: an index (B, 1, H) along the time dim.
        var index = new float[b * h];
        for (int i = 0; i < b; i++) Array.Fill(index, lengths[i] - 1, i * h, h);
        var last = output.Gather(1, Tensor.FromArray(index, b, 1, h)).Reshape(b, h); // (B, H)
        return head.Forward(last);
    }
}

/// <summary>
/// The bag-of-tokens baseline: the mean of the real tokens' embeddings (order thrown away), then an MLP. It sees which
/// tokens occur and how often relative to the length, which is not enough for parity.
/// </summary>
public sealed class BagOfTokensClassifier : Module, ISequenceClassifier
{
    private readonly Embedding embedding;
    private readonly Sequential mlp;

    /// <summary>Creates the layers, drawing their weights from <paramref name="generator"/>.</summary>
    public BagOfTokensClassifier(int tokens, int embeddingDim, int hiddenSize, int classes, Generator? generator = null)
    {
        embedding = RegisterModule("embedding", new Embedding(tokens, embeddingDim, paddingIdx: 0, generator: generator));
        mlp = RegisterModule("mlp", new Sequential(new Linear(embeddingDim, hiddenSize, generator: generator), new ReLU(),
                                                   new Linear(hiddenSize, classes, generator: generator)));
    }

    /// <inheritdoc/>
    public Module Module => this;

    /// <summary>Not available: the mean needs each sequence's length; call <see cref="Forward(Tensor, int[])"/>.</summary>
    public override Tensor Forward(Tensor input) =>
        throw new NotSupportedException("BagOfTokensClassifier: call Forward(tokens, lengths); it needs each sequence's length.");

    /// <inheritdoc/>
    public Tensor Forward(Tensor tokens, int[] lengths)
    {
        var sum = embedding.Forward(tokens).Sum(1); // (B, E): the padding row is zero, so only real tokens add up
        var n = Tensor.FromArray(lengths.Select(l => (float)l).ToArray(), lengths.Length, 1); // (B, 1)
        return mlp.Forward(sum / n);
    }
}
