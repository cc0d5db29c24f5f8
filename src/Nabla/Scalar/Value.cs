using System.Globalization;
using System.Runtime.CompilerServices;

namespace Nabla.Scalar;

/// <summary>
/// A scalar in a computation graph, as in micrograd's <c>engine.py</c>: it holds a number
/// (<see cref="Data"/>), the derivative of the final output with respect to it
/// (<see cref="Grad"/>), and the operation and inputs that produced it, so that
/// <see cref="Backward"/> can apply the chain rule from the output back to every input.
/// </summary>
/// <remarks>
/// <para>The class is split in three files: this one (state, construction, display),
/// <c>Value.Ops.cs</c> (each operation's forward next to its backward) and
/// <c>Value.Backward.cs</c> (the topological walk).</para>
/// <para>Invariant: <see cref="Data"/> is always a finite number. Non-finite input and results
/// outside an operation's domain are rejected with an exception when the value is created, so a
/// mistake shows up where it is made rather than as a NaN loss many steps later.</para>
/// <para>A graph is not thread-safe: do not build on or walk the same nodes from several
/// threads at once.</para>
/// </remarks>
public sealed partial class Value
{
    // Fields rather than auto-properties so the backward walk (in this class) reads and writes
    // them directly; the public properties below are the only way in from outside.
    internal double data;
    internal double grad;

    // The inputs of the operation that produced this value: null for a leaf, `b` null for a
    // unary operation. Two fields instead of a children array: one allocation per node, not two.
    internal readonly Value? a;
    internal readonly Value? b;

    // The constant exponent of Pow (unused by the other operations).
    internal readonly double exponent;

    internal readonly ValueOp op;

    // Scratch state of the topological sort in Backward (0 = not seen, 1 = on the stack,
    // 2 = placed in the order). Always 0 between calls: Backward resets what it marks.
    internal byte mark;

    /// <summary>Creates a leaf value: an input, a parameter or a constant.</summary>
    /// <param name="data">The number; must be finite.</param>
    /// <param name="label">An optional name shown by <see cref="ToString"/> and in graph drawings.</param>
    /// <exception cref="ArgumentException"><paramref name="data"/> is NaN or infinite.</exception>
    public Value(double data, string? label = null)
    {
        Label = label;
        if (!double.IsFinite(data))
            ThrowNotFinite(data, label);
        this.data = data;
    }

    // The result of an operation. The caller has checked its inputs; the result is checked here
    // because a finite input can still overflow (exp(1000), 1e200 * 1e200).
    private Value(double data, ValueOp op, Value a, Value? b = null, double exponent = 0)
    {
        if (!double.IsFinite(data))
            ThrowOverflow(data, op, a, b, exponent);
        this.data = data;
        this.op = op;
        this.a = a;
        this.b = b;
        this.exponent = exponent;
    }

    /// <summary>The number this value holds. Settable, e.g. for the update <c>p.Data -= lr * p.Grad</c>.</summary>
    /// <exception cref="ArgumentException">Set to NaN or infinity (for example by a diverging update).</exception>
    public double Data
    {
        get => data;
        set
        {
            if (!double.IsFinite(value))
                ThrowNotFinite(value, Label);
            data = value;
        }
    }

    /// <summary>
    /// d(output)/d(this value), filled by <see cref="Backward"/> on an output that depends on this
    /// value. Leaves accumulate across calls (reset them with <c>ZeroGrad</c> or by setting 0).
    /// </summary>
    public double Grad
    {
        get => grad;
        set => grad = value;
    }

    /// <summary>An optional name for display (<see cref="ToString"/>, graph drawings).</summary>
    public string? Label { get; set; }

    /// <summary>True for a value created by the user rather than by an operation.</summary>
    public bool IsLeaf => op == ValueOp.Leaf;

    /// <summary>
    /// The name of the operation that produced this value, as micrograd writes it:
    /// <c>+</c>, <c>*</c>, <c>**2</c>, <c>exp</c>, <c>log</c>, <c>tanh</c>, <c>ReLU</c>, <c>sigmoid</c>;
    /// the empty string for a leaf.
    /// </summary>
    public string Op => OpName(op, exponent);

    /// <summary>The inputs of the operation that produced this value (empty for a leaf).</summary>
    /// <remarks>Builds a new array on each call: meant for inspection and drawing, not for hot loops.</remarks>
    public IReadOnlyList<Value> Children =>
        a is null ? [] : b is null ? [a] : [a, b];

    /// <summary>micrograd's form, with the label when there is one: <c>Value(label=a, data=2, grad=0)</c>.</summary>
    public override string ToString()
    {
        string data = this.data.ToString(CultureInfo.InvariantCulture);
        string grad = this.grad.ToString(CultureInfo.InvariantCulture);
        return Label is null
            ? $"Value(data={data}, grad={grad})"
            : $"Value(label={Label}, data={data}, grad={grad})";
    }

    internal static string OpName(ValueOp op, double exponent) => op switch
    {
        ValueOp.Leaf => "",
        ValueOp.Add => "+",
        ValueOp.Mul => "*",
        ValueOp.Pow => "**" + exponent.ToString(CultureInfo.InvariantCulture),
        ValueOp.Exp => "exp",
        ValueOp.Log => "log",
        ValueOp.Tanh => "tanh",
        ValueOp.Relu => "ReLU",
        ValueOp.Sigmoid => "sigmoid",
        _ => throw new InvalidOperationException($"Unknown operation {op}."),
    };

    // How error messages name a value: its label when it has one, and always its number.
    internal static string Describe(Value v) =>
        v.Label is null
            ? $"Value(data={v.data.ToString(CultureInfo.InvariantCulture)})"
            : $"Value '{v.Label}' (data={v.data.ToString(CultureInfo.InvariantCulture)})";

    // Throw helpers stay out of line so the hot constructors and operators stay small enough to inline.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowNotFinite(double data, string? label) =>
        throw new ArgumentException(
            label is null
                ? $"A Value must hold a finite number, but was given {data.ToString(CultureInfo.InvariantCulture)}."
                : $"A Value must hold a finite number, but Value '{label}' was given {data.ToString(CultureInfo.InvariantCulture)}.",
            nameof(data));

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowOverflow(double result, ValueOp op, Value a, Value? b, double exponent)
    {
        string inputs = b is null ? Describe(a) : $"{Describe(a)} and {Describe(b)}";
        throw new OverflowException(
            $"{OpName(op, exponent)} of {inputs} gives {result.ToString(CultureInfo.InvariantCulture)}, " +
            "which is not a finite number: the input is too large for this operation.");
    }
}
