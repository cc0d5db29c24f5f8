using System.Globalization;
using System.Text;

namespace Nabla.NN;

/// <summary>One module in a <see cref="ModelSummary"/>.</summary>
/// <param name="Name">The dotted name in the model (<c>"1.0"</c>); empty for the model itself.</param>
/// <param name="Type">The module's class name (<c>Linear</c>).</param>
/// <param name="Depth">How deep it is nested: 0 for the model, 1 for its children, and so on.</param>
/// <param name="OutputShape">The shape it returned in the summary's forward pass, or null if it was not called through <see cref="Module.Call"/>.</param>
/// <param name="ParamCount">The number of elements of its own parameters (not counting its children's).</param>
public sealed record SummaryRow(string Name, string Type, int Depth, IReadOnlyList<int>? OutputShape, long ParamCount);

/// <summary>
/// The result of <see cref="Module.Summary"/>: a row per module and the totals. <see cref="ToString"/> renders the
/// table, in the spirit of torchinfo and Keras:
/// <code>
/// Layer (type)      Output Shape    Param #
/// ==========================================
/// Sequential        (2, 1)          --
///   0 (Linear)      (2, 16)         64
///   1 (ReLU)        (2, 16)         --
/// </code>
/// Sizes are in MB of 10^6 bytes, as torchinfo reports them.
/// </summary>
public sealed class ModelSummary
{
    internal ModelSummary(IReadOnlyList<SummaryRow> rows, int[] inputShape, int[] outputShape, long totalParams, long trainableParams,
                          long inputBytes, long paramBytes, long bufferBytes)
    {
        Rows = rows;
        InputShape = inputShape;
        OutputShape = outputShape;
        TotalParams = totalParams;
        TrainableParams = trainableParams;
        InputBytes = inputBytes;
        ParamBytes = paramBytes;
        BufferBytes = bufferBytes;
    }

    /// <summary>Every module, depth first (the model itself first).</summary>
    public IReadOnlyList<SummaryRow> Rows { get; }

    /// <summary>The shape of the zeros the summary fed the model.</summary>
    public IReadOnlyList<int> InputShape { get; }

    /// <summary>The shape of the model's output.</summary>
    public IReadOnlyList<int> OutputShape { get; }

    /// <summary>The number of parameter elements.</summary>
    public long TotalParams { get; }

    /// <summary>The number of parameter elements that require grad.</summary>
    public long TrainableParams { get; }

    /// <summary>The number of parameter elements that do not require grad (frozen).</summary>
    public long NonTrainableParams => TotalParams - TrainableParams;

    /// <summary>The size of the input in bytes.</summary>
    public long InputBytes { get; }

    /// <summary>The size of the parameters in bytes (4 per float32 element, 8 per float64).</summary>
    public long ParamBytes { get; }

    /// <summary>The size of the buffers (e.g. running statistics) in bytes.</summary>
    public long BufferBytes { get; }

    /// <summary>The table: one line per module, indented by depth, then the totals.</summary>
    public override string ToString()
    {
        var ci = CultureInfo.InvariantCulture;
        const string h1 = "Layer (type)", h2 = "Output Shape", h3 = "Param #";
        var cells = new List<(string Layer, string Shape, string Params)>(Rows.Count);
        foreach (var row in Rows)
        {
            string layer = new string(' ', 2 * row.Depth) + (row.Depth == 0 ? row.Type : $"{row.Name} ({row.Type})");
            string shape = row.OutputShape is null ? "--" : Shapes.Format(row.OutputShape.ToArray());
            string count = row.ParamCount == 0 ? "--" : row.ParamCount.ToString("N0", ci);
            cells.Add((layer, shape, count));
        }
        int w1 = h1.Length, w2 = h2.Length, w3 = h3.Length;
        foreach (var (layer, shape, count) in cells)
        {
            w1 = Math.Max(w1, layer.Length);
            w2 = Math.Max(w2, shape.Length);
            w3 = Math.Max(w3, count.Length);
        }
        w1 += 4; w2 += 4;
        string rule = new('=', w1 + w2 + w3);

        var sb = new StringBuilder();
        sb.AppendLine(rule);
        sb.Append(h1.PadRight(w1)).Append(h2.PadRight(w2)).AppendLine(h3.PadLeft(w3));
        sb.AppendLine(rule);
        foreach (var (layer, shape, count) in cells)
            sb.Append(layer.PadRight(w1)).Append(shape.PadRight(w2)).AppendLine(count.PadLeft(w3));
        sb.AppendLine(rule);
        sb.Append("Total params: ").AppendLine(TotalParams.ToString("N0", ci));
        sb.Append("Trainable params: ").AppendLine(TrainableParams.ToString("N0", ci));
        sb.Append("Non-trainable params: ").AppendLine(NonTrainableParams.ToString("N0", ci));
        sb.AppendLine(rule);
        sb.Append("Input size (MB): ").AppendLine(Megabytes(InputBytes));
        sb.Append("Params size (MB): ").AppendLine(Megabytes(ParamBytes));
        sb.Append("Buffers size (MB): ").AppendLine(Megabytes(BufferBytes));
        sb.Append(rule);
        return sb.ToString();

        string Megabytes(long bytes) => (bytes / 1e6).ToString("0.00", ci);
    }
}
