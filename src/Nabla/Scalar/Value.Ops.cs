using System.Globalization;
using System.Runtime.CompilerServices;

namespace Nabla.Scalar;

// Each primitive operation: its forward (builds the output node) followed by its backward (adds
// the output's gradient, times the local derivative, into each input's gradient). Backward
// dispatches to these methods with a switch on ValueOp (see Value.Backward.cs); they are
// inlined there, so reading them here costs nothing at run time.
//
// Notation in the comments: y is the output node, x (or a, b) its inputs, dy = y.grad.
public sealed partial class Value
{
    // ---- Add:  y = a + b;   da += dy,  db += dy

    /// <summary><c>a + b</c>.</summary>
    public static Value operator +(Value a, Value b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        return new Value(a.data + b.data, ValueOp.Add, a, b);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AddBackward(Value y)
    {
        y.a!.grad += y.grad;
        y.b!.grad += y.grad;
    }

    // ---- Mul:  y = a * b;   da += b * dy,  db += a * dy

    /// <summary><c>a * b</c>.</summary>
    public static Value operator *(Value a, Value b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        return new Value(a.data * b.data, ValueOp.Mul, a, b);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void MulBackward(Value y)
    {
        y.a!.grad += y.b!.data * y.grad;
        y.b.grad += y.a.data * y.grad;
    }

    // ---- Pow:  y = x^p (p a constant, not differentiated);   dx += p * x^(p-1) * dy

    /// <summary><c>x ** p</c> for a constant exponent <paramref name="exponent"/> (micrograd's <c>__pow__</c>).</summary>
    /// <exception cref="ArgumentException">
    /// The exponent is not finite; or the power is undefined for this base: a negative base with a
    /// non-integer exponent (a complex number), a zero base with a negative exponent (division by
    /// zero), or a zero base with an exponent between 0 and 1 (the value is 0 but the derivative
    /// p * x^(p-1) is infinite).
    /// </exception>
    public Value Pow(double exponent)
    {
        if (!double.IsFinite(exponent))
            throw new ArgumentException(
                $"Pow needs a finite exponent, but {Describe(this)} was raised to {Format(exponent)}.", nameof(exponent));
        if (data < 0 && Math.Floor(exponent) != exponent)
            throw new ArgumentException(
                $"Pow is undefined for {Describe(this)} ** {Format(exponent)}: a negative base needs an integer exponent.",
                nameof(exponent));
        if (data == 0 && exponent < 0)
            throw new ArgumentException(
                $"Pow is undefined for {Describe(this)} ** {Format(exponent)}: zero to a negative power divides by zero.",
                nameof(exponent));
        if (data == 0 && exponent > 0 && exponent < 1)
            throw new ArgumentException(
                $"Pow is not differentiable at {Describe(this)} ** {Format(exponent)}: " +
                "the derivative p * x^(p-1) is infinite at zero for 0 < p < 1.",
                nameof(exponent));
        // The exponent rides in the second input slot as a constant leaf: Pow is rare, so one extra
        // node here is cheaper than an exponent field in every node.
        return new Value(Math.Pow(data, exponent), ValueOp.Pow, this, new Value(exponent));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void PowBackward(Value y)
    {
        double p = y.b!.data;
        // p == 0: y = 1 is constant, and 0 * x^-1 would be NaN at x = 0, so say 0 directly.
        double local = p == 0 ? 0 : p * Math.Pow(y.a!.data, p - 1);
        y.a!.grad += local * y.grad;
    }

    // ---- Exp:  y = e^x;   dx += y * dy   (reuses y: no second exp)

    /// <summary><c>exp(x)</c>.</summary>
    /// <exception cref="OverflowException">The result is too large for a double (x above about 709.78).</exception>
    public Value Exp() => new(Math.Exp(data), ValueOp.Exp, this);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void ExpBackward(Value y) => y.a!.grad += y.data * y.grad;

    // ---- Log:  y = ln x;   dx += dy / x

    /// <summary><c>log(x)</c>, the natural logarithm.</summary>
    /// <exception cref="ArgumentException">x is zero or negative.</exception>
    public Value Log()
    {
        if (data <= 0)
            throw new ArgumentException(
                $"Log is undefined for {Describe(this)}: the input must be positive.");
        return new Value(Math.Log(data), ValueOp.Log, this);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void LogBackward(Value y) => y.a!.grad += y.grad / y.a.data;

    // ---- Tanh:  y = tanh x;   dx += (1 - y^2) * dy   (reuses y: no second tanh)

    /// <summary><c>tanh(x)</c>.</summary>
    public Value Tanh() => new(Math.Tanh(data), ValueOp.Tanh, this);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void TanhBackward(Value y) => y.a!.grad += (1 - y.data * y.data) * y.grad;

    // ---- Relu:  y = max(x, 0);   dx += (y > 0 ? 1 : 0) * dy   (0 at x = 0, as micrograd and PyTorch)

    /// <summary><c>relu(x) = max(x, 0)</c>. Its derivative at 0 is taken as 0, as in micrograd and PyTorch.</summary>
    public Value Relu() => new(data > 0 ? data : 0, ValueOp.Relu, this);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void ReluBackward(Value y)
    {
        if (y.data > 0)
            y.a!.grad += y.grad;
    }

    // ---- Sigmoid:  y = 1 / (1 + e^-x);   dx += y * (1 - y) * dy   (reuses y)

    /// <summary><c>sigmoid(x) = 1 / (1 + exp(-x))</c>.</summary>
    public Value Sigmoid()
    {
        // Two forms of the same function so that exp never overflows: for x < 0, e^-x could be huge,
        // so use e^x / (1 + e^x) instead, where e^x is below 1.
        double y = data >= 0 ? 1 / (1 + Math.Exp(-data)) : Math.Exp(data) / (1 + Math.Exp(data));
        return new Value(y, ValueOp.Sigmoid, this);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void SigmoidBackward(Value y) => y.a!.grad += y.data * (1 - y.data) * y.grad;

    // ---- Derived operations: built from the primitives above, as in micrograd, so they need no
    // backward of their own. The price is an extra node or two per use, which keeps the graph
    // honest about what is computed (a drawn graph shows a - b as a + (b * -1)).

    /// <summary><c>-x</c>, computed as <c>x * -1</c>.</summary>
    public static Value operator -(Value x)
    {
        ArgumentNullException.ThrowIfNull(x);
        return x * new Value(-1);
    }

    /// <summary><c>a - b</c>, computed as <c>a + (-b)</c>.</summary>
    public static Value operator -(Value a, Value b)
    {
        ArgumentNullException.ThrowIfNull(b);
        return a + (-b);
    }

    /// <summary><c>a / b</c>, computed as <c>a * b ** -1</c>.</summary>
    /// <exception cref="ArgumentException"><paramref name="b"/> is zero.</exception>
    public static Value operator /(Value a, Value b)
    {
        ArgumentNullException.ThrowIfNull(b);
        if (b.data == 0)
            throw new ArgumentException($"Division by zero: the divisor {Describe(b)} is 0.", nameof(b));
        return a * b.Pow(-1);
    }

    // With a double on either side the number becomes a constant leaf, as micrograd wraps it in Value(other).

    /// <summary><c>a + c</c> for a constant <paramref name="c"/>.</summary>
    public static Value operator +(Value a, double c) => a + new Value(c);

    /// <summary><c>c + a</c> for a constant <paramref name="c"/>.</summary>
    public static Value operator +(double c, Value a) => new Value(c) + a;

    /// <summary><c>a - c</c>, computed as <c>a + (-c)</c>.</summary>
    public static Value operator -(Value a, double c) => a + new Value(-c);

    /// <summary><c>c - a</c>, computed as <c>c + (-a)</c>.</summary>
    public static Value operator -(double c, Value a) => new Value(c) + (-a);

    /// <summary><c>a * c</c> for a constant <paramref name="c"/>.</summary>
    public static Value operator *(Value a, double c) => a * new Value(c);

    /// <summary><c>c * a</c> for a constant <paramref name="c"/>.</summary>
    public static Value operator *(double c, Value a) => new Value(c) * a;

    /// <summary><c>a / c</c>, computed as <c>a * c^-1</c>.</summary>
    /// <exception cref="ArgumentException"><paramref name="c"/> is zero.</exception>
    public static Value operator /(Value a, double c)
    {
        ArgumentNullException.ThrowIfNull(a);
        if (c == 0)
            throw new ArgumentException($"Division by zero: {Describe(a)} divided by the constant 0.", nameof(c));
        return a * new Value(1 / c);
    }

    /// <summary><c>c / a</c>, computed as <c>c * a ** -1</c>.</summary>
    /// <exception cref="ArgumentException"><paramref name="a"/> is zero.</exception>
    public static Value operator /(double c, Value a) => new Value(c) / a;

    /// <summary>
    /// The sum of <paramref name="values"/>, as a chain of additions <c>((v0 + v1) + v2) + ...</c>;
    /// a single value is returned as it is, and a new constant 0 when there are none.
    /// </summary>
    public static Value Sum(params ReadOnlySpan<Value> values)
    {
        if (values.IsEmpty)
            return new Value(0);
        Value total = values[0];
        for (int i = 1; i < values.Length; i++)
            total += values[i];
        return total;
    }

    /// <inheritdoc cref="Sum(ReadOnlySpan{Value})"/>
    public static Value Sum(IEnumerable<Value> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        Value? total = null;
        foreach (var v in values)
            total = total is null ? v : total + v;
        return total ?? new Value(0);
    }

    private static string Format(double x) => x.ToString(CultureInfo.InvariantCulture);
}
