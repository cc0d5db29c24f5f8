using Nabla.Kernels;

namespace Nabla.NN;

/// <summary>
/// One LSTM step (<c>torch.nn.LSTMCell</c>), gates i, f, g, o: c' = f c + i g, h' = o tanh(c'), with
/// i, f, o = sigma(W_i* x + b_i* + W_h* h + b_h*) and g = tanh(...).
/// </summary>
public class LSTMCell : RNNCellBase
{
    /// <summary>Creates the cell and draws its parameters from <paramref name="generator"/> (default <see cref="Generator.Default"/>).</summary>
    /// <exception cref="ArgumentException">A size is not positive.</exception>
    public LSTMCell(int inputSize, int hiddenSize, bool bias = true, Generator? generator = null)
        : base("LSTMCell", RnnMode.Lstm, inputSize, hiddenSize, bias, generator)
    {
    }

    /// <summary>h' from a zero state.</summary>
    public override Tensor Forward(Tensor input) => Forward(input, null).H;

    /// <summary>(h', c') from input (B, I) and state (h, c), each (B, H) (or unbatched; null for zeros).</summary>
    /// <exception cref="ArgumentException">The input or a state does not fit the cell (the message names the shapes).</exception>
    public (Tensor H, Tensor C) Forward(Tensor input, (Tensor H, Tensor C)? state)
    {
        var (h, c) = Step(input, state?.H, state?.C);
        return (h, c!);
    }
}
