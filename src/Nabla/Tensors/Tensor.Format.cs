using System.Globalization;
using System.Text;

namespace Nabla;

public partial class Tensor
{
    /// <summary>Tensors with more elements than this print abbreviated, three values from each end of every dim (PyTorch's threshold).</summary>
    private const int PrintThreshold = 1000;
    private const int PrintEdgeItems = 3;

    /// <summary>
    /// Prints like PyTorch: <c>tensor([[ 1.5000, -2.0000], ...], shape=(2, 2))</c>, with all values in one
    /// format (integer-valued, fixed with 4 decimals, or scientific when the magnitudes are far apart),
    /// abbreviated with <c>...</c> above 1000 elements, followed by the shape, dtype and grad information.
    /// </summary>
    public override string ToString()
    {
        var values = ToDoubleArray();
        bool summarize = NumEl > PrintThreshold;
        var format = ChooseFormat(values);
        int width = 0;
        foreach (double v in values) width = Math.Max(width, format(v).Length);

        var sb = new StringBuilder("tensor(");
        if (Rank == 0) sb.Append(format(values[0]));
        else AppendDim(sb, values, 0, 0, Shapes.ContiguousStrides(shape), summarize, format, width, indent: 8);
        sb.Append(", shape=").Append(Shapes.Format(shape));
        if (DType == DType.Float64) sb.Append(", dtype=float64");
        if (GradFn is not null) sb.Append(", grad_fn=<").Append(GradFn.Name).Append('>');
        else if (RequiresGrad) sb.Append(", requires_grad=True");
        return sb.Append(')').ToString();
    }

    private void AppendDim(StringBuilder sb, double[] values, int dim, int start, int[] cstrides, bool summarize,
                           Func<double, string> format, int width, int indent)
    {
        sb.Append('[');
        int n = shape[dim];
        bool cut = summarize && n > 2 * PrintEdgeItems;
        bool last = dim == Rank - 1;
        bool first = true;
        for (int i = 0; i < n; i++)
        {
            if (cut && i == PrintEdgeItems)
            {
                sb.Append(last ? ", ..." : ",\n" + new string(' ', indent) + "...");
                i = n - PrintEdgeItems - 1;
                continue;
            }
            if (!first)
            {
                if (last) sb.Append(", ");
                else sb.Append(',').Append('\n', Rank - dim - 1).Append(' ', indent);
            }
            first = false;
            int at = start + i * cstrides[dim];
            if (last) sb.Append(format(values[at]).PadLeft(width));
            else AppendDim(sb, values, dim + 1, at, cstrides, summarize, format, width, indent + 1);
        }
        sb.Append(']');
    }

    /// <summary>PyTorch's choice of number format: integers as "3.", else 4 decimals, else scientific.</summary>
    private static Func<double, string> ChooseFormat(double[] values)
    {
        var ci = CultureInfo.InvariantCulture;
        double maxAbs = 0, minAbs = double.PositiveInfinity;
        bool allIntegers = true;
        foreach (double v in values)
        {
            if (!double.IsFinite(v)) continue;
            double a = Math.Abs(v);
            maxAbs = Math.Max(maxAbs, a);
            if (a > 0) minAbs = Math.Min(minAbs, a);
            if (v != Math.Floor(v)) allIntegers = false;
        }
        static string Special(double v) => double.IsNaN(v) ? "nan" : v > 0 ? "inf" : "-inf";
        if (allIntegers && maxAbs < 1e8)
            return v => double.IsFinite(v) ? v.ToString("0", ci) + "." : Special(v);
        bool scientific = maxAbs >= 1e8 || (minAbs < 1e-4 && minAbs > 0) || (minAbs > 0 && maxAbs / minAbs > 1000);
        if (scientific)
            return v => double.IsFinite(v) ? v.ToString("0.0000e+00", ci) : Special(v);
        return v => double.IsFinite(v) ? v.ToString("0.0000", ci) : Special(v);
    }
}
