namespace Nabla.Kernels;

/// <summary>The recurrence a recurrent layer runs: Elman with tanh or ReLU, LSTM, or GRU.</summary>
internal enum RnnMode
{
    /// <summary>h' = tanh(W_ih x + b_ih + W_hh h + b_hh).</summary>
    Tanh,

    /// <summary>h' = relu(W_ih x + b_ih + W_hh h + b_hh).</summary>
    Relu,

    /// <summary>Long short-term memory, gates i, f, g, o.</summary>
    Lstm,

    /// <summary>Gated recurrent unit, gates r, z, n.</summary>
    Gru,
}

/// <summary>
/// The sizes of one direction of one recurrent layer over a packed batch: the rows of step t are rows
/// [Offsets[t], Offsets[t] + BatchSizes[t]) of the (N, ...) data, where N is the sum of the batch sizes and the batch
/// sizes never grow (the sequences are sorted longest first). A padded batch of T steps is the case where every
/// batch size is B. A reverse direction walks the steps from last to first.
/// </summary>
internal sealed class RnnProblem
{
    public RnnProblem(RnnMode mode, int inputSize, int hiddenSize, int[] batchSizes, bool reverse)
    {
        Mode = mode;
        InputSize = inputSize;
        HiddenSize = hiddenSize;
        BatchSizes = batchSizes;
        Reverse = reverse;
        Offsets = new int[batchSizes.Length];
        int n = 0;
        for (int t = 0; t < batchSizes.Length; t++)
        {
            Offsets[t] = n;
            n += batchSizes[t];
        }
        Rows = n;
        Batch = batchSizes.Length == 0 ? 0 : batchSizes[0];
    }

    public RnnMode Mode { get; }

    /// <summary>I, the features of each input row.</summary>
    public int InputSize { get; }

    /// <summary>H, the hidden state's size.</summary>
    public int HiddenSize { get; }

    /// <summary>The number of active sequences at each step.</summary>
    public int[] BatchSizes { get; }

    /// <summary>Where each step's rows start in the packed data.</summary>
    public int[] Offsets { get; }

    /// <summary>Whether the steps run from last to first.</summary>
    public bool Reverse { get; }

    /// <summary>N, the rows of the packed data (the sum of the batch sizes).</summary>
    public int Rows { get; }

    /// <summary>B, the number of sequences (the first batch size).</summary>
    public int Batch { get; }

    /// <summary>T, the number of steps.</summary>
    public int Steps => BatchSizes.Length;

    /// <summary>The gate count G: the weights are (G H, I) and (G H, H).</summary>
    public int Gates => GatesOf(Mode);

    /// <summary>G H, the width of the gate pre-activations.</summary>
    public int GateWidth => Gates * HiddenSize;

    /// <summary>The step processed at position <paramref name="k"/> of the forward sweep.</summary>
    public int StepAt(int k) => Reverse ? Steps - 1 - k : k;

    public static int GatesOf(RnnMode mode) => mode switch { RnnMode.Lstm => 4, RnnMode.Gru => 3, _ => 1 };
}
