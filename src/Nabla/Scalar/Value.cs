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
    // A node is 56 bytes: the object header and these fields, nothing else. Tens of thousands
    // are made per training step, so their size sets the cost of allocation, of the garbage
    // collector and of the cache misses in Backward. That is why the rarely used parts (the label,
    // Pow's exponent) are not fields of their own: see `labels` and Pow.

    // Fields rather than auto-properties so the backward walk (in this class) reads and writes
    // them directly; the public properties below are the only way in from outside.
    internal double data;
    internal double grad;

    // The inputs of the operation that produced this value: null for a leaf, `b` null for a
    // unary operation. Two fields instead of a children array: one allocation per node, not two.
    // Pow keeps its constant exponent in `b`, as a leaf that Backward never writes to.
    internal readonly Value? a;
    internal readonly Value? b;

    internal readonly ValueOp op;

    // The number of the last Backward pass that reached this node (see Value.Backward.cs).
    internal uint visited;

    // Labels are for display and few values have one, so they live beside the nodes rather than
    // in them. The table holds its keys weakly: a label goes away with its value.
    private static readonly ConditionalWeakTable<Value, string> labels = new();

    /// <summary>Creates a leaf value: an input, a parameter or a constant.</summary>
    /// <param name="data">The number; must be finite.</param>
    /// <param name="label">An optional name shown by <see cref="ToString"/> and in graph drawings.</param>
    /// <exception cref="ArgumentException"><paramref name="data"/> is NaN or infinite.</exception>
    public Value(double data, string? label = null)
    {
        if (!double.IsFinite(data))
            ThrowNotFinite(data, label);
        this.data = data;
        if (label is not null)
            Label = label;
    }

    // The result of an operation. The caller has checked its inputs; the result is checked here
    // because a finite input can still overflow (exp(1000), 1e200 * 1e200).
    private Value(double data, ValueOp op, Value a, Value? b = null)
    {
        if (!double.IsFinite(data))
            ThrowOverflow(data, op, a, b);
        this.data = data;
        this.op = op;
        this.a = a;
        this.b = b;
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
    public string? Label
    {
        get => labels.TryGetValue(this, out var label) ? label : null;
        set
        {
            if (value is null)
                labels.Remove(this);
            else
                labels.AddOrUpdate(this, value);
        }
    }

    /// <summary>True for a value created by the user rather than by an operation.</summary>
    public bool IsLeaf => op == ValueOp.Leaf;

    /// <summary>
    /// The name of the operation that produced this value, as micrograd writes it:
    /// <c>+</c>, <c>*</c>, <c>**2</c>, <c>exp</c>, <c>log</c>, <c>tanh</c>, <c>ReLU</c>, <c>sigmoid</c>;
    /// the empty string for a leaf.
    /// </summary>
    public string Op => OpName(op, b);

    /// <summary>The inputs of the operation that produced this value (empty for a leaf).</summary>
    /// <remarks>Builds a new array on each call: meant for inspection and drawing, not for hot loops.</remarks>
    public IReadOnlyList<Value> Children =>
        a is null ? [] : b is null || op == ValueOp.Pow ? [a] : [a, b];

    /// <summary>micrograd's form, with the label when there is one: <c>Value(label=a, data=2, grad=0)</c>.</summary>
    public override string ToString()
    {
        string data = this.data.ToString(CultureInfo.InvariantCulture);
        string grad = this.grad.ToString(CultureInfo.InvariantCulture);
        string? label = Label;
        return label is null
            ? $"Value(data={data}, grad={grad})"
            : $"Value(label={label}, data={data}, grad={grad})";
    }

    // `b` is the second input, which for Pow holds the exponent.
    internal static string OpName(ValueOp op, Value? b) => op switch
    {
        ValueOp.Leaf => "",
        ValueOp.Add => "+",
        ValueOp.Mul => "*",
        ValueOp.Pow => "**" + b!.data.ToString(CultureInfo.InvariantCulture),
        ValueOp.Exp => "exp",
        ValueOp.Log => "log",
        ValueOp.Tanh => "tanh",
        ValueOp.Relu => "ReLU",
        ValueOp.Sigmoid => "sigmoid",
        _ => throw new InvalidOperationException($"Unknown operation {op}."),
    };

    // How error messages name a value: its label when it has one, and always its number.
    internal static string Describe(Value v)
    {
        string? label = v.Label;
        string data = v.data.ToString(CultureInfo.InvariantCulture);
        return label is null ? $"Value(data={data})" : $"Value '{label}' (data={data})";
    }

    // Throw helpers stay out of line so the hot constructors and operators stay small enough to inline.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowNotFinite(double data, string? label) =>
        throw new ArgumentException(
            label is null
                ? $"A Value must hold a finite number, but was given {data.ToString(CultureInfo.InvariantCulture)}."
                : $"A Value must hold a finite number, but Value '{label}' was given {data.ToString(CultureInfo.InvariantCulture)}.",
            nameof(data));

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowOverflow(double result, ValueOp op, Value a, Value? b)
    {
        string inputs = b is null || op == ValueOp.Pow ? Describe(a) : $"{Describe(a)} and {Describe(b)}";
        throw new OverflowException(
            $"{OpName(op, b)} of {inputs} gives {result.ToString(CultureInfo.InvariantCulture)}, " +
            "which is not a finite number: the input is too large for this operation.");
    }
}
