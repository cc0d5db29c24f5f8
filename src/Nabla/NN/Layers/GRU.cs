using Nabla.Kernels;

namespace Nabla.NN;

/// <summary>
/// A stacked gated recurrent unit layer (<c>torch.nn.GRU</c>), gates in PyTorch's order r, z, n:
/// r = sigma(W_ir x + b_ir + W_hr h + b_hr), z = sigma(W_iz x + b_iz + W_hz h + b_hz),
/// n = tanh(W_in x + b_in + r (W_hn h + b_hn)), h' = (1 - z) n + z h; over a padded batch (T, B, I) or a
/// <see cref="PackedSequence"/>. See <see cref="RNNBase"/>.
/// </summary>
public class GRU : RNNBase
{
    /// <summary>Creates the layers and draws their parameters from <paramref name="generator"/> (default <see cref="Generator.Default"/>).</summary>
    /// <param name="inputSize">I, the features of each input step.</param>
    /// <param name="hiddenSize">H, the size of the hidden state.</param>
    /// <param name="numLayers">Stacked layers; each takes the previous one's output.</param>
    /// <param name="bias">Whether to learn b_ih and b_hh.</param>
    /// <param name="batchFirst">Input and output as (B, T, feature) instead of (T, B, feature).</param>
    /// <param name="dropout">Dropout on the outputs of every layer but the last, in training mode.</param>
    /// <param name="bidirectional">Also run each layer from the last step to the first and concatenate.</param>
    /// <param name="generator">The random stream for the initialization.</param>
    /// <exception cref="ArgumentException">A size is not positive.</exception>
    public GRU(int inputSize, int hiddenSize, int numLayers = 1, bool bias = true, bool batchFirst = false,
               double dropout = 0, bool bidirectional = false, Generator? generator = null)
        : base("GRU", RnnMode.Gru, inputSize, hiddenSize, numLayers, bias, batchFirst, dropout, bidirectional, generator)
    {
    }

    /// <summary>The output (T, B, D H) (batch-first: (B, T, D H)) for a zero initial state.</summary>
    public override Tensor Forward(Tensor input) => Forward(input, null).Output;

    /// <inheritdoc cref="RNN.Forward(Tensor, Tensor?)"/>
    public (Tensor Output, Tensor H) Forward(Tensor input, Tensor? h0) => RunHidden(input, h0);

    /// <summary>Runs a packed batch of sequences of different lengths; h0 and the returned state are in the original batch order.</summary>
    public (PackedSequence Output, Tensor H) Forward(PackedSequence input, Tensor? h0) => RunHidden(input, h0);
}
