using Nabla.Kernels;

namespace Nabla.NN;

/// <summary>
/// One GRU step (<c>torch.nn.GRUCell</c>), gates r, z, n: n = tanh(W_in x + b_in + r (W_hn h + b_hn)),
/// h' = (1 - z) n + z h, with r, z = sigma(W_i* x + b_i* + W_h* h + b_h*).
/// </summary>
public class GRUCell : RNNCellBase
{
    /// <summary>Creates the cell and draws its parameters from <paramref name="generator"/> (default <see cref="Generator.Default"/>).</summary>
    /// <exception cref="ArgumentException">A size is not positive.</exception>
    public GRUCell(int inputSize, int hiddenSize, bool bias = true, Generator? generator = null)
        : base("GRUCell", RnnMode.Gru, inputSize, hiddenSize, bias, generator)
    {
    }

    /// <summary>h' from a zero state.</summary>
    public override Tensor Forward(Tensor input) => Forward(input, null);

    /// <inheritdoc cref="RNNCell.Forward(Tensor, Tensor?)"/>
    public Tensor Forward(Tensor input, Tensor? h) => Step(input, h, null).H;
}
