namespace Nabla.NN;

/// <summary>One Elman step (<c>torch.nn.RNNCell</c>): h' = tanh(W_ih x + b_ih + W_hh h + b_hh), or ReLU.</summary>
public class RNNCell : RNNCellBase
{
    /// <summary>Creates the cell and draws its parameters from <paramref name="generator"/> (default <see cref="Generator.Default"/>).</summary>
    /// <exception cref="ArgumentException">The nonlinearity is neither tanh nor relu, or a size is not positive.</exception>
    public RNNCell(int inputSize, int hiddenSize, bool bias = true, string nonlinearity = "tanh", Generator? generator = null)
        : base("RNNCell", RNN.ModeOf(nonlinearity, "RNNCell"), inputSize, hiddenSize, bias, generator)
    {
        Nonlinearity = nonlinearity;
    }

    /// <summary><c>"tanh"</c> or <c>"relu"</c>.</summary>
    public string Nonlinearity { get; }

    /// <summary>h' from a zero state.</summary>
    public override Tensor Forward(Tensor input) => Forward(input, null);

    /// <summary>h' from input (B, I) and h (B, H) (or unbatched (I) and (H); null for zeros).</summary>
    /// <exception cref="ArgumentException">The input or the state does not fit the cell (the message names the shapes).</exception>
    public Tensor Forward(Tensor input, Tensor? h) => Step(input, h, null).H;
}
