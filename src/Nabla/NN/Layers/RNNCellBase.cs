using Nabla.Kernels;

namespace Nabla.NN;

/// <summary>
/// What <see cref="RNNCell"/>, <see cref="LSTMCell"/> and <see cref="GRUCell"/> share (<c>torch.nn.RNNCellBase</c>):
/// one step of the recurrence on a batch (B, I), or one sample (I), with parameters <c>weight_ih</c> (G H, I),
/// <c>weight_hh</c> (G H, H), <c>bias_ih</c> and <c>bias_hh</c> (G H), initialized U(-1/sqrt(H), 1/sqrt(H)) like PyTorch's.
/// A step is the same fused kernel as the layers' (<see cref="Tensor.RnnDirection"/> over one step).
/// </summary>
public abstract class RNNCellBase : Module
{
    private readonly string cellName;
    private readonly RnnMode mode;

    private protected RNNCellBase(string cellName, RnnMode mode, int inputSize, int hiddenSize, bool bias, Generator? generator)
    {
        if (inputSize <= 0) throw new ArgumentOutOfRangeException(nameof(inputSize), $"{cellName}: input_size must be positive, got {inputSize}.");
        if (hiddenSize <= 0) throw new ArgumentOutOfRangeException(nameof(hiddenSize), $"{cellName}: hidden_size must be positive, got {hiddenSize}.");
        this.cellName = cellName;
        this.mode = mode;
        (InputSize, HiddenSize, HasBias) = (inputSize, hiddenSize, bias);
        int gates = RnnProblem.GatesOf(mode) * hiddenSize;
        RegisterParameter("weight_ih", new Parameter(Tensor.Zeros(gates, inputSize)));
        RegisterParameter("weight_hh", new Parameter(Tensor.Zeros(gates, hiddenSize)));
        RegisterParameter("bias_ih", bias ? new Parameter(Tensor.Zeros(gates)) : null);
        RegisterParameter("bias_hh", bias ? new Parameter(Tensor.Zeros(gates)) : null);
        double bound = 1 / Math.Sqrt(hiddenSize);
        foreach (var p in Parameters()) Init.Uniform(p, -bound, bound, generator);
    }

    /// <summary>I, the features of the input.</summary>
    public int InputSize { get; }

    /// <summary>H, the size of the hidden state.</summary>
    public int HiddenSize { get; }

    /// <summary>Whether the cell has the biases b_ih and b_hh.</summary>
    public bool HasBias { get; }

    /// <summary>W_ih, (G H, I).</summary>
    public Parameter WeightIh => GetParameter("weight_ih")!;

    /// <summary>W_hh, (G H, H).</summary>
    public Parameter WeightHh => GetParameter("weight_hh")!;

    /// <summary>b_ih, (G H), or null.</summary>
    public Parameter? BiasIh => GetParameter("bias_ih");

    /// <summary>b_hh, (G H), or null.</summary>
    public Parameter? BiasHh => GetParameter("bias_hh");

    /// <summary>One step from input (B, I) or (I) and states (B, H) or (H) (null for zeros): the new h and (LSTM) c, shaped like the states.</summary>
    private protected (Tensor H, Tensor? C) Step(Tensor input, Tensor? h, Tensor? c)
    {
        ArgumentNullException.ThrowIfNull(input);
        if ((input.Rank != 1 && input.Rank != 2) || input.shape[^1] != InputSize)
            throw new ArgumentException(
                $"{cellName}: input of shape {Shapes.Format(input.shape)} does not fit input_size {InputSize} (expected (batch, {InputSize}) or ({InputSize})).");
        bool batched = input.Rank == 2;
        var x = batched ? input : input.Unsqueeze(0);
        int batch = x.shape[0];
        h = CheckState(h, batch, batched, "h");
        c = CheckState(c, batch, batched, "c");
        var zeros = Tensor.Zeros(x.DType, batch, HiddenSize);
        var (y, hN, cN) = Tensor.RnnDirection(mode, x, [batch], false, h ?? zeros, mode == RnnMode.Lstm ? c ?? zeros : null,
                                              WeightIh, WeightHh, BiasIh, BiasHh);
        return batched ? (hN, cN) : (hN.Squeeze(0), cN?.Squeeze(0));
    }

    private Tensor? CheckState(Tensor? state, int batch, bool batched, string name)
    {
        if (state is null) return null;
        int[] expected = batched ? [batch, HiddenSize] : [HiddenSize];
        if (!Shapes.Equal(state.shape, expected))
            throw new ArgumentException(
                $"{cellName}: {name} has shape {Shapes.Format(state.shape)}, but expected {Shapes.Format(expected)} ({(batched ? "batch, " : "")}hidden_size).");
        return batched ? state : state.Unsqueeze(0);
    }

    /// <inheritdoc/>
    protected override string ExtraRepr() =>
        $"{InputSize}, {HiddenSize}" + (HasBias ? "" : ", bias=False") + (mode == RnnMode.Relu ? ", nonlinearity=relu" : "");
}
