using Nabla.Kernels;

namespace Nabla.NN;

/// <summary>
/// A stacked long short-term memory layer (<c>torch.nn.LSTM</c>), gates in PyTorch's order i, f, g, o:
/// i = sigma(W_ii x + b_ii + W_hi h + b_hi), f = sigma(...), g = tanh(...), o = sigma(...),
/// c' = f c + i g, h' = o tanh(c'); over a padded batch (T, B, I) or a <see cref="PackedSequence"/>. See <see cref="RNNBase"/>.
/// </summary>
public class LSTM : RNNBase
{
    /// <summary>Creates the layers and draws their parameters from <paramref name="generator"/> (default <see cref="Generator.Default"/>).</summary>
    /// <param name="inputSize">I, the features of each input step.</param>
    /// <param name="hiddenSize">H, the size of the hidden and cell states.</param>
    /// <param name="numLayers">Stacked layers; each takes the previous one's output.</param>
    /// <param name="bias">Whether to learn b_ih and b_hh.</param>
    /// <param name="batchFirst">Input and output as (B, T, feature) instead of (T, B, feature).</param>
    /// <param name="dropout">Dropout on the outputs of every layer but the last, in training mode.</param>
    /// <param name="bidirectional">Also run each layer from the last step to the first and concatenate.</param>
    /// <param name="generator">The random stream for the initialization.</param>
    /// <exception cref="ArgumentException">A size is not positive.</exception>
    public LSTM(int inputSize, int hiddenSize, int numLayers = 1, bool bias = true, bool batchFirst = false,
                double dropout = 0, bool bidirectional = false, Generator? generator = null)
        : base("LSTM", RnnMode.Lstm, inputSize, hiddenSize, numLayers, bias, batchFirst, dropout, bidirectional, generator)
    {
    }

    /// <summary>The output (T, B, D H) (batch-first: (B, T, D H)) for a zero initial state.</summary>
    public override Tensor Forward(Tensor input) => Forward(input, null).Output;

    /// <summary>
    /// Runs <paramref name="input"/> (T, B, I) (batch-first: (B, T, I); unbatched: (T, I)) from <paramref name="state"/>
    /// = (h0, c0), each (L D, B, H), or zeros. Returns the last layer's output at every step, (T, B, D H), and the final
    /// hidden and cell states of every layer and direction, (L D, B, H) each.
    /// </summary>
    /// <exception cref="ArgumentException">The input's feature size or a state's shape does not fit the layer.</exception>
    public (Tensor Output, (Tensor H, Tensor C) State) Forward(Tensor input, (Tensor H, Tensor C)? state)
    {
        var (output, h, c) = RunPadded(input, state?.H, state?.C);
        return (output, (h, c!));
    }

    /// <summary>Runs a packed batch of sequences of different lengths; the states are in the original batch order.</summary>
    public (PackedSequence Output, (Tensor H, Tensor C) State) Forward(PackedSequence input, (Tensor H, Tensor C)? state)
    {
        var (output, h, c) = RunPackedSequence(input, state?.H, state?.C);
        return (output, (h, c!));
    }
}
