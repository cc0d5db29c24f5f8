using Nabla.Kernels;

namespace Nabla.NN;

/// <summary>
/// What <see cref="RNN"/>, <see cref="LSTM"/> and <see cref="GRU"/> share (<c>torch.nn.RNNBase</c>): the stacked,
/// optionally bidirectional layers, their parameters named and shaped as PyTorch's (<c>weight_ih_l0</c> (G H, I),
/// <c>weight_hh_l0</c> (G H, H), <c>bias_ih_l0</c>, <c>bias_hh_l0</c>, <c>..._reverse</c> for the backward direction,
/// <c>weight_ih_l1</c> (G H, D H) ...), the shape checks, and the run over padded or packed input.
/// </summary>
/// <remarks>
/// Every parameter starts as U(-1/sqrt(hidden_size), 1/sqrt(hidden_size)), drawn in registration order, as PyTorch's
/// reset_parameters. Each direction of each layer is one autograd node with a hand-written backward through time
/// (<see cref="Tensor.RnnDirection"/>).
/// </remarks>
public abstract class RNNBase : Module
{
    private readonly string layerName;
    private readonly RnnMode mode;

    private protected RNNBase(string layerName, RnnMode mode, int inputSize, int hiddenSize, int numLayers, bool bias, bool batchFirst,
                              double dropout, bool bidirectional, Generator? generator)
    {
        if (inputSize <= 0) throw new ArgumentOutOfRangeException(nameof(inputSize), $"{layerName}: input_size must be positive, got {inputSize}.");
        if (hiddenSize <= 0) throw new ArgumentOutOfRangeException(nameof(hiddenSize), $"{layerName}: hidden_size must be positive, got {hiddenSize}.");
        if (numLayers <= 0) throw new ArgumentOutOfRangeException(nameof(numLayers), $"{layerName}: num_layers must be positive, got {numLayers}.");
        if (!(dropout >= 0 && dropout <= 1))
            throw new ArgumentOutOfRangeException(nameof(dropout), $"{layerName}: dropout must be a probability in [0, 1], got {dropout}.");
        this.layerName = layerName;
        this.mode = mode;
        (InputSize, HiddenSize, NumLayers, HasBias, BatchFirst, Dropout, Bidirectional) =
            (inputSize, hiddenSize, numLayers, bias, batchFirst, dropout, bidirectional);
        int gates = RnnProblem.GatesOf(mode) * hiddenSize;
        for (int layer = 0; layer < numLayers; layer++)
        {
            int layerInput = layer == 0 ? inputSize : hiddenSize * NumDirections;
            for (int direction = 0; direction < NumDirections; direction++)
            {
                string suffix = $"_l{layer}" + (direction == 1 ? "_reverse" : "");
                RegisterParameter("weight_ih" + suffix, new Parameter(Tensor.Zeros(gates, layerInput)));
                RegisterParameter("weight_hh" + suffix, new Parameter(Tensor.Zeros(gates, hiddenSize)));
                if (bias)
                {
                    RegisterParameter("bias_ih" + suffix, new Parameter(Tensor.Zeros(gates)));
                    RegisterParameter("bias_hh" + suffix, new Parameter(Tensor.Zeros(gates)));
                }
            }
        }
        ResetParameters(generator);
    }

    /// <summary>I, the features of each input step.</summary>
    public int InputSize { get; }

    /// <summary>H, the size of the hidden state.</summary>
    public int HiddenSize { get; }

    /// <summary>The number of stacked layers.</summary>
    public int NumLayers { get; }

    /// <summary>Whether the layers have the biases b_ih and b_hh.</summary>
    public bool HasBias { get; }

    /// <summary>Whether input and output are (batch, seq, feature) instead of (seq, batch, feature).</summary>
    public bool BatchFirst { get; }

    /// <summary>The dropout probability applied to the outputs of every layer but the last, in training mode.</summary>
    public double Dropout { get; }

    /// <summary>Whether each layer also runs from the last step to the first.</summary>
    public bool Bidirectional { get; }

    /// <summary>D: 2 when bidirectional, else 1.</summary>
    public int NumDirections => Bidirectional ? 2 : 1;

    /// <summary>Redraws every parameter from U(-1/sqrt(hidden_size), 1/sqrt(hidden_size)) (<c>reset_parameters</c>).</summary>
    public void ResetParameters(Generator? generator = null)
    {
        double bound = 1 / Math.Sqrt(HiddenSize);
        foreach (var p in Parameters()) Init.Uniform(p, -bound, bound, generator);
    }

    /// <summary>The parameter <c>weight_ih_l{layer}</c> (with <c>_reverse</c> for direction 1); see also the other three.</summary>
    public Parameter WeightIh(int layer, int direction = 0) => GetParameter("weight_ih" + Suffix(layer, direction))!;

    /// <summary>The parameter <c>weight_hh_l{layer}</c> (with <c>_reverse</c> for direction 1).</summary>
    public Parameter WeightHh(int layer, int direction = 0) => GetParameter("weight_hh" + Suffix(layer, direction))!;

    /// <summary>The parameter <c>bias_ih_l{layer}</c>, or null without biases.</summary>
    public Parameter? BiasIh(int layer, int direction = 0) => HasBias ? GetParameter("bias_ih" + Suffix(layer, direction)) : null;

    /// <summary>The parameter <c>bias_hh_l{layer}</c>, or null without biases.</summary>
    public Parameter? BiasHh(int layer, int direction = 0) => HasBias ? GetParameter("bias_hh" + Suffix(layer, direction)) : null;

    private static string Suffix(int layer, int direction) => $"_l{layer}" + (direction == 1 ? "_reverse" : "");

    /// <summary>
    /// Runs a padded batch: <paramref name="input"/> (T, B, I), or (B, T, I) when batch-first, or (T, I) unbatched; states
    /// (L D, B, H), or (L D, H) unbatched, or null for zeros. Returns the output (T, B, D H) (batch-first: (B, T, D H))
    /// and the final states (L D, B, H).
    /// </summary>
    private protected (Tensor Output, Tensor H, Tensor? C) RunPadded(Tensor input, Tensor? h0, Tensor? c0)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Rank != 2 && input.Rank != 3)
            throw new ArgumentException($"{layerName}: expected input of 2 (unbatched) or 3 dimensions, got shape {Shapes.Format(input.shape)}.");
        CheckFeatures(input, input.Rank == 3 ? "(seq, batch, input_size)" : "(seq, input_size)");
        bool batched = input.Rank == 3;
        var x = batched ? (BatchFirst ? input.Transpose(0, 1) : input) : input.Unsqueeze(1); // (T, B, I)
        int steps = x.shape[0], batch = x.shape[1];
        if (steps == 0) throw new ArgumentException($"{layerName}: the input has no time steps (shape {Shapes.Format(input.shape)}).");
        h0 = PrepareState(h0, batch, batched, "h0");
        c0 = PrepareState(c0, batch, batched, "c0");
        var batchSizes = new int[steps];
        Array.Fill(batchSizes, batch);
        var (y, h, c) = RunPacked(x.Reshape(steps * batch, InputSize), batchSizes, h0, c0);
        var output = y.Reshape(steps, batch, NumDirections * HiddenSize);
        if (!batched) return (output.Squeeze(1), h.Squeeze(1), c?.Squeeze(1));
        return (BatchFirst ? output.Transpose(0, 1) : output, h, c);
    }

    /// <summary>
    /// Runs a packed batch. The states are given, and returned, in the original batch order: they are permuted into the
    /// packed order by <see cref="PackedSequence.SortedIndices"/> and back, as PyTorch does.
    /// </summary>
    private protected (PackedSequence Output, Tensor H, Tensor? C) RunPackedSequence(PackedSequence input, Tensor? h0, Tensor? c0)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Data.Rank != 2)
            throw new ArgumentException($"{layerName}: packed data must be 2-D (rows, input_size), got shape {Shapes.Format(input.Data.shape)}.");
        CheckFeatures(input.Data, "(rows, input_size)");
        int batch = input.BatchSize;
        h0 = PrepareState(h0, batch, true, "h0");
        c0 = PrepareState(c0, batch, true, "c0");
        Tensor? sorted = input.SortedIndices is null ? null : IndexTensor(input.SortedIndices);
        if (sorted is not null)
        {
            h0 = h0?.IndexSelect(1, sorted);
            c0 = c0?.IndexSelect(1, sorted);
        }
        var (y, h, c) = RunPacked(input.Data, input.BatchSizes, h0, c0);
        if (input.UnsortedIndices is not null)
        {
            var unsorted = IndexTensor(input.UnsortedIndices);
            h = h.IndexSelect(1, unsorted);
            c = c?.IndexSelect(1, unsorted);
        }
        return (input.WithData(y), h, c);
    }

    /// <summary><see cref="RunPadded"/> for the layers with a hidden state only (RNN, GRU).</summary>
    private protected (Tensor Output, Tensor H) RunHidden(Tensor input, Tensor? h0)
    {
        var (output, h, _) = RunPadded(input, h0, null);
        return (output, h);
    }

    /// <summary><see cref="RunPackedSequence"/> for the layers with a hidden state only (RNN, GRU).</summary>
    private protected (PackedSequence Output, Tensor H) RunHidden(PackedSequence input, Tensor? h0)
    {
        var (output, h, _) = RunPackedSequence(input, h0, null);
        return (output, h);
    }

    private static Tensor IndexTensor(int[] indices) => Tensor.FromArray(Array.ConvertAll(indices, i => (float)i), indices.Length);

    /// <summary>The stacked layers over packed rows x (N, I): output (N, D H) and final states (L D, B, H).</summary>
    private (Tensor Y, Tensor H, Tensor? C) RunPacked(Tensor x, int[] batchSizes, Tensor? h0, Tensor? c0)
    {
        int batch = batchSizes[0];
        var zeros = h0 is null || (mode == RnnMode.Lstm && c0 is null) ? Tensor.Zeros(x.DType, batch, HiddenSize) : null;
        var finalH = new List<Tensor>();
        var finalC = new List<Tensor>();
        var layerInput = x;
        for (int layer = 0; layer < NumLayers; layer++)
        {
            var outputs = new Tensor[NumDirections];
            for (int d = 0; d < NumDirections; d++)
            {
                int k = layer * NumDirections + d;
                var (y, h, c) = Tensor.RnnDirection(mode, layerInput, batchSizes, d == 1, h0?[k] ?? zeros!,
                                                    mode == RnnMode.Lstm ? c0?[k] ?? zeros! : null,
                                                    WeightIh(layer, d), WeightHh(layer, d), BiasIh(layer, d), BiasHh(layer, d));
                outputs[d] = y;
                finalH.Add(h);
                if (c is not null) finalC.Add(c);
            }
            layerInput = NumDirections == 1 ? outputs[0] : Tensor.Cat(outputs, 1);
            if (layer < NumLayers - 1 && Dropout > 0 && IsTraining) layerInput = Functional.Dropout(layerInput, Dropout, true);
        }
        return (layerInput, Tensor.Stack(finalH), finalC.Count > 0 ? Tensor.Stack(finalC) : null);
    }

    private void CheckFeatures(Tensor input, string layout)
    {
        if (input.shape[^1] != InputSize)
            throw new ArgumentException(
                $"{layerName}: input of shape {Shapes.Format(input.shape)} has {input.shape[^1]} features, but input_size is {InputSize} (expected {layout}).");
    }

    /// <summary>Checks a state against (L D, B, H) (or (L D, H) unbatched) and returns it as (L D, B, H).</summary>
    private Tensor? PrepareState(Tensor? state, int batch, bool batched, string name)
    {
        if (state is null) return null;
        int[] expected = batched ? [NumLayers * NumDirections, batch, HiddenSize] : [NumLayers * NumDirections, HiddenSize];
        if (!Shapes.Equal(state.shape, expected))
            throw new ArgumentException(
                $"{layerName}: {name} has shape {Shapes.Format(state.shape)}, but expected {Shapes.Format(expected)} " +
                $"(num_layers * num_directions, {(batched ? "batch, " : "")}hidden_size).");
        return batched ? state : state.Unsqueeze(1);
    }

    /// <inheritdoc/>
    protected override string ExtraRepr()
    {
        var s = $"{InputSize}, {HiddenSize}";
        if (NumLayers != 1) s += $", num_layers={NumLayers}";
        if (!HasBias) s += ", bias=False";
        if (BatchFirst) s += ", batch_first=True";
        if (Dropout != 0) s += $", dropout={PyRepr.Float(Dropout)}";
        if (Bidirectional) s += ", bidirectional=True";
        return s;
    }
}
