namespace Nabla.Scalar;

/// <summary>
/// Checks the gradients that <see cref="Value.Backward"/> computes for an expression against
/// central differences: <c>df/dx_i ≈ (f(x + ε e_i) - f(x - ε e_i)) / 2ε</c>, whose error is O(ε²).
/// </summary>
/// <remarks>
/// Use it on your own expressions: if you write a new operation or rearrange a formula and the
/// check fails, the backward pass does not compute the derivative of what the forward computes.
/// <code>
/// var report = GradCheck.Check(x => (x[0] * x[1]).Tanh() + x[0].Pow(3), [0.5, -1.5]);
/// Console.WriteLine(report);   // a table of analytic vs numeric gradients
/// if (!report.Passed) ...
/// </code>
/// </remarks>
public static class GradCheck
{
    /// <summary>The default step ε: small enough for O(ε²) truncation error near 1e-12, large enough
    /// that rounding error (about 1e-16 / ε) stays near 1e-10.</summary>
    public const double DefaultEpsilon = 1e-6;

    /// <summary>The default tolerance on the scaled error (see <see cref="GradCheckReport.Passed"/>).</summary>
    public const double DefaultTolerance = 1e-6;

    /// <summary>
    /// Builds <paramref name="expression"/> on leaves holding <paramref name="inputs"/>, runs
    /// <see cref="Value.Backward"/> on it, and compares each input's gradient with central differences.
    /// </summary>
    /// <param name="expression">A scalar expression of the input values. It is called 1 + 2n times
    /// (n inputs), each time on fresh leaves, so it must build the same expression every time.</param>
    /// <param name="inputs">The point at which to check, one number per input.</param>
    /// <param name="epsilon">The finite-difference step ε.</param>
    /// <param name="tolerance">The largest error accepted (see <see cref="GradCheckReport.Passed"/>).</param>
    /// <exception cref="ArgumentException"><paramref name="inputs"/> is empty, or ε or the tolerance is not positive.</exception>
    public static GradCheckReport Check(
        Func<Value[], Value> expression,
        ReadOnlySpan<double> inputs,
        double epsilon = DefaultEpsilon,
        double tolerance = DefaultTolerance) =>
        Check(expression, inputs, epsilon, tolerance, afterBackward: null);

    /// <summary>Checks a one-input expression <c>f(x)</c> at <paramref name="x"/>.</summary>
    /// <inheritdoc cref="Check(Func{Value[], Value}, ReadOnlySpan{double}, double, double)"/>
    public static GradCheckReport Check(
        Func<Value, Value> expression, double x,
        double epsilon = DefaultEpsilon, double tolerance = DefaultTolerance)
    {
        ArgumentNullException.ThrowIfNull(expression);
        return Check(v => expression(v[0]), [x], epsilon, tolerance);
    }

    /// <summary>Checks a two-input expression <c>f(x, y)</c> at (<paramref name="x"/>, <paramref name="y"/>).</summary>
    /// <inheritdoc cref="Check(Func{Value[], Value}, ReadOnlySpan{double}, double, double)"/>
    public static GradCheckReport Check(
        Func<Value, Value, Value> expression, double x, double y,
        double epsilon = DefaultEpsilon, double tolerance = DefaultTolerance)
    {
        ArgumentNullException.ThrowIfNull(expression);
        return Check(v => expression(v[0], v[1]), [x, y], epsilon, tolerance);
    }

    // `afterBackward` lets a test tamper with the analytic gradients, to prove that the check fails
    // when they are wrong.
    internal static GradCheckReport Check(
        Func<Value[], Value> expression,
        ReadOnlySpan<double> inputs,
        double epsilon,
        double tolerance,
        Action<Value[]>? afterBackward)
    {
        ArgumentNullException.ThrowIfNull(expression);
        if (inputs.IsEmpty)
            throw new ArgumentException("GradCheck needs at least one input.", nameof(inputs));
        if (!(epsilon > 0) || !double.IsFinite(epsilon))
            throw new ArgumentOutOfRangeException(nameof(epsilon), epsilon, "The step must be a positive number.");
        if (!(tolerance > 0) || !double.IsFinite(tolerance))
            throw new ArgumentOutOfRangeException(nameof(tolerance), tolerance, "The tolerance must be a positive number.");

        // Analytic: one forward and one backward.
        Value[] leaves = Leaves(inputs);
        Value output = Build(expression, leaves);
        output.Backward();
        afterBackward?.Invoke(leaves);

        // Numeric: two forwards per input, each on fresh leaves so no gradient state is shared.
        double[] point = inputs.ToArray();
        var entries = new GradCheckEntry[point.Length];
        for (int i = 0; i < point.Length; i++)
        {
            double xi = point[i];
            point[i] = xi + epsilon;
            double plus = Build(expression, Leaves(point)).Data;
            point[i] = xi - epsilon;
            double minus = Build(expression, Leaves(point)).Data;
            point[i] = xi;

            double numeric = (plus - minus) / (2 * epsilon);
            entries[i] = GradCheckEntry.Create(i, xi, leaves[i].Grad, numeric, tolerance);
        }
        return new GradCheckReport(output.Data, entries, epsilon, tolerance);
    }

    private static Value[] Leaves(ReadOnlySpan<double> point)
    {
        var leaves = new Value[point.Length];
        for (int i = 0; i < point.Length; i++)
            leaves[i] = new Value(point[i], $"x{i}");
        return leaves;
    }

    private static Value Build(Func<Value[], Value> expression, Value[] leaves) =>
        expression(leaves) ?? throw new InvalidOperationException("The expression returned null instead of a Value.");
}
