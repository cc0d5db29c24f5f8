using System.Globalization;
using System.Text;

namespace Nabla.Scalar;

/// <summary>The result of <see cref="GradCheck.Check(Func{Value[], Value}, ReadOnlySpan{double}, double, double)"/>.</summary>
public sealed class GradCheckReport
{
    internal GradCheckReport(double output, IReadOnlyList<GradCheckEntry> inputs, double epsilon, double tolerance)
    {
        Output = output;
        Inputs = inputs;
        Epsilon = epsilon;
        Tolerance = tolerance;
        foreach (var e in inputs)
        {
            MaxAbsError = Math.Max(MaxAbsError, e.AbsError);
            MaxRelError = Math.Max(MaxRelError, e.RelError);
        }
    }

    /// <summary>The value of the expression at the checked point.</summary>
    public double Output { get; }

    /// <summary>One entry per input, in order.</summary>
    public IReadOnlyList<GradCheckEntry> Inputs { get; }

    /// <summary>The finite-difference step ε.</summary>
    public double Epsilon { get; }

    /// <summary>The tolerance each input was held to.</summary>
    public double Tolerance { get; }

    /// <summary>The largest <see cref="GradCheckEntry.AbsError"/> over the inputs.</summary>
    public double MaxAbsError { get; }

    /// <summary>The largest <see cref="GradCheckEntry.RelError"/> over the inputs.</summary>
    public double MaxRelError { get; }

    /// <summary>
    /// True when every input passes: <c>|analytic - numeric| ≤ tolerance · max(1, |analytic|, |numeric|)</c>,
    /// an absolute test for gradients below 1 and a relative one above (so neither tiny gradients
    /// nor large ones give false alarms).
    /// </summary>
    public bool Passed => Inputs.All(e => e.Passed);

    /// <summary>A table of analytic and numeric gradients and their errors, one row per input.</summary>
    public override string ToString()
    {
        var c = CultureInfo.InvariantCulture;
        var text = new StringBuilder();
        text.AppendLine(c, $"GradCheck {(Passed ? "passed" : "FAILED")}: f = {Output:G10}, eps = {Epsilon:G3}, tolerance = {Tolerance:G3}");
        text.AppendLine("input          x            analytic             numeric    abs error    rel error");
        foreach (var e in Inputs)
        {
            text.AppendLine(c,
                $"x{e.Index,-4} {e.Input,12:G6} {e.Analytic,19:G12} {e.Numeric,19:G12} {e.AbsError,12:E2} {e.RelError,12:E2}{(e.Passed ? "" : "  <-- wrong")}");
        }
        text.Append(c, $"max abs error {MaxAbsError:E2}, max rel error {MaxRelError:E2}");
        return text.ToString();
    }
}

/// <summary>The check of one input's gradient.</summary>
/// <param name="Index">The input's position.</param>
/// <param name="Input">The input's value at the checked point.</param>
/// <param name="Analytic">The gradient from <see cref="Value.Backward"/>.</param>
/// <param name="Numeric">The central-difference estimate.</param>
/// <param name="AbsError"><c>|analytic - numeric|</c>.</param>
/// <param name="RelError"><c>|analytic - numeric| / max(|analytic|, |numeric|)</c> (0 when both are 0).</param>
/// <param name="Passed">Whether this input is within the tolerance (see <see cref="GradCheckReport.Passed"/>).</param>
public sealed record GradCheckEntry(
    int Index, double Input, double Analytic, double Numeric, double AbsError, double RelError, bool Passed)
{
    internal static GradCheckEntry Create(int index, double input, double analytic, double numeric, double tolerance)
    {
        double abs = Math.Abs(analytic - numeric);
        double scale = Math.Max(Math.Abs(analytic), Math.Abs(numeric));
        double rel = scale == 0 ? 0 : abs / scale;
        // NaN never passes: `abs <= ...` is false for NaN.
        bool passed = abs <= tolerance * Math.Max(1, scale);
        return new GradCheckEntry(index, input, analytic, numeric, abs, rel, passed);
    }
}
