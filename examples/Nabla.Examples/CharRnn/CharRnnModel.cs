using Nabla.Data;
using Nabla.NN;

namespace Nabla.Examples.CharRnn;

/// <summary>What is needed to rebuild a character-level language model: the recurrent cell, the sizes and the characters.</summary>
/// <param name="Cell">"lstm" or "gru".</param>
/// <param name="EmbeddingDim">The size of each token's learned vector.</param>
/// <param name="HiddenSize">The recurrent layer's hidden size.</param>
/// <param name="Layers">The number of stacked recurrent layers.</param>
/// <param name="Characters">The vocabulary's characters (<see cref="CharVocabulary.Characters"/>).</param>
public sealed record CharRnnSpec(string Cell, int EmbeddingDim, int HiddenSize, int Layers, string Characters)
{
    /// <summary>The names <see cref="Cell"/> may take.</summary>
    public const string KnownCells = "lstm, gru";

    /// <summary>The vocabulary of <see cref="Characters"/>.</summary>
    public CharVocabulary Vocabulary() => new(Characters);

    /// <summary>A short description, e.g. <c>LSTM 32-256 over 29 tokens</c>.</summary>
    public override string ToString() =>
        $"{Cell.ToUpperInvariant()} {EmbeddingDim}-{HiddenSize}{(Layers > 1 ? $" x{Layers}" : "")} over {Characters.Length + CharVocabulary.SpecialCount} tokens";
}

/// <summary>The recurrent state carried from one call to the next: h for a GRU, (h, c) for an LSTM, each (layers, B, H).</summary>
public sealed record RecurrentState(Tensor H, Tensor? C);

/// <summary>
/// A character-level language model: token embedding, a recurrent layer (LSTM or GRU, batch first), and a linear
/// map from each step's hidden state to the logits of the next token. State-dict names: <c>embedding.weight</c>,
/// <c>rnn.weight_ih_l0</c>, ..., <c>head.weight</c>, <c>head.bias</c>, as the same PyTorch module would have them.
/// </summary>
public sealed class CharRnnModel : Module
{
    private readonly Embedding embedding;
    private readonly LSTM? lstm;
    private readonly GRU? gru;
    private readonly Linear head;

    /// <summary>Builds the model of <paramref name="spec"/>, drawing the initial weights from <paramref name="generator"/>.</summary>
    /// <exception cref="ArgumentException">The cell is neither lstm nor gru, or a size is not positive.</exception>
    public CharRnnModel(CharRnnSpec spec, Generator? generator = null)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (spec.EmbeddingDim < 1 || spec.HiddenSize < 1 || spec.Layers < 1)
            throw new ArgumentException($"CharRnnModel: sizes must be positive, got embedding {spec.EmbeddingDim}, hidden {spec.HiddenSize}, layers {spec.Layers}.", nameof(spec));
        Spec = spec;
        Vocabulary = spec.Vocabulary();
        int v = Vocabulary.Count;
        embedding = RegisterModule("embedding", new Embedding(v, spec.EmbeddingDim, paddingIdx: CharVocabulary.PadIndex, generator: generator));
        switch (spec.Cell)
        {
            case "lstm":
                lstm = RegisterModule("rnn", new LSTM(spec.EmbeddingDim, spec.HiddenSize, spec.Layers, batchFirst: true, generator: generator));
                break;
            case "gru":
                gru = RegisterModule("rnn", new GRU(spec.EmbeddingDim, spec.HiddenSize, spec.Layers, batchFirst: true, generator: generator));
                break;
            default:
                throw new ArgumentException($"CharRnnModel: unknown cell '{spec.Cell}'. Known: {CharRnnSpec.KnownCells}.", nameof(spec));
        }
        head = RegisterModule("head", new Linear(spec.HiddenSize, v, generator: generator));
    }

    /// <summary>The architecture.</summary>
    public CharRnnSpec Spec { get; }

    /// <summary>The tokens the model reads and predicts.</summary>
    public CharVocabulary Vocabulary { get; }

    /// <summary>The logits (B, T, V) of the next token after each step of <paramref name="tokens"/> (B, T), from a zero state.</summary>
    public override Tensor Forward(Tensor tokens) => Forward(tokens, null).Logits;

    /// <summary>
    /// The logits (B, T, V) of the next token after each step of <paramref name="tokens"/> (B, T), starting from
    /// <paramref name="state"/> (zero when null), and the state after the last step, to continue from.
    /// </summary>
    public (Tensor Logits, RecurrentState State) Forward(Tensor tokens, RecurrentState? state)
    {
        var x = embedding.Forward(tokens); // (B, T, E)
        Tensor output;                     // (B, T, H)
        RecurrentState next;
        if (lstm is not null)
        {
            (Tensor H, Tensor C)? initial = state is null ? null : (state.H, state.C ?? throw new ArgumentException("CharRnnModel: an LSTM state needs c as well as h.", nameof(state)));
            var (o, (h, c)) = lstm.Forward(x, initial);
            (output, next) = (o, new RecurrentState(h, c));
        }
        else
        {
            var (o, h) = gru!.Forward(x, state?.H);
            (output, next) = (o, new RecurrentState(h, null));
        }
        return (head.Forward(output), next); // (B, T, V)
    }
}
