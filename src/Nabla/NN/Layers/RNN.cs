using Nabla.Kernels;

namespace Nabla.NN;

/// <summary>
/// A stacked Elman recurrent layer (<c>torch.nn.RNN</c>): h_t = tanh(W_ih x_t + b_ih + W_hh h_{t-1} + b_hh)
/// (or ReLU), over a padded batch (T, B, I) or a <see cref="PackedSequence"/>. See <see cref="RNNBase"/>.
/// </summary>
public class RNN : RNNBase
{
    /// <summary>Creates the layers and draws their parameters from <paramref name="generator"/> (default <see cref="Generator.Default"/>).</summary>
    /// <param name="inputSize">I, the features of each input step.</param>
    /// <param name="hiddenSize">H, the size of the hidden state.</param>
    /// <param name="numLayers">Stacked layers; each takes the previous one's output.</param>
    /// <param name="nonlinearity"><c>"tanh"</c> or <c>"relu"</c>.</param>
    /// <param name="bias">Whether to learn b_ih and b_hh.</param>
    /// <param name="batchFirst">Input and output as (B, T, feature) instead of (T, B, feature).</param>
    /// <param name="dropout">Dropout on the outputs of every layer but the last, in training mode.</param>
    /// <param name="bidirectional">Also run each layer from the last step to the first and concatenate.</param>
    /// <param name="generator">The random stream for the initialization.</param>
    /// <exception cref="ArgumentException">The nonlinearity is neither tanh nor relu, or a size is not positive.</exception>
    public RNN(int inputSize, int hiddenSize, int numLayers = 1, string nonlinearity = "tanh", bool bias = true, bool batchFirst = false,
               double dropout = 0, bool bidirectional = false, Generator? generator = null)
        : base("RNN", ModeOf(nonlinearity, "RNN"), inputSize, hiddenSize, numLayers, bias, batchFirst, dropout, bidirectional, generator)
    {
        Nonlinearity = nonlinearity;
    }

    /// <summary><c>"tanh"</c> or <c>"relu"</c>.</summary>
    public string Nonlinearity { get; }

    /// <summary>The output (T, B, D H) (batch-first: (B, T, D H)) for a zero initial state.</summary>
    public override Tensor Forward(Tensor input) => Forward(input, null).Output;

    /// <summary>
    /// Runs <paramref name="input"/> (T, B, I) (batch-first: (B, T, I); unbatched: (T, I)) from <paramref name="h0"/>
    /// (L D, B, H), or zeros. Returns the last layer's output at every step, (T, B, D H), and the final hidden state of
    /// every layer and direction, (L D, B, H).
    /// </summary>
    /// <exception cref="ArgumentException">The input's feature size or the state's shape does not fit the layer.</exception>
    public (Tensor Output, Tensor H) Forward(Tensor input, Tensor? h0) => RunHidden(input, h0);

    /// <summary>Runs a packed batch of sequences of different lengths; h0 and the returned state are in the original batch order.</summary>
    public (PackedSequence Output, Tensor H) Forward(PackedSequence input, Tensor? h0) => RunHidden(input, h0);

    internal static RnnMode ModeOf(string nonlinearity, string layerName) => nonlinearity switch
    {
        "tanh" => RnnMode.Tanh,
        "relu" => RnnMode.Relu,
        _ => throw new ArgumentException($"{layerName}: unknown nonlinearity '{nonlinearity}' (expected \"tanh\" or \"relu\").", nameof(nonlinearity)),
    };
}
