using System.Numerics;
using Nabla.Kernels;

namespace Nabla.Tests.Kernels;

/// <summary>
/// The elementwise driver and the operator structs against scalar references, for every length 0..256, so that
/// every combination of whole 256-bit vectors and scalar tail runs (8 floats or 4 doubles per vector), in float and
/// double. Each call also writes into a destination with guard elements after it, which must stay untouched.
/// </summary>
public class ElementwiseKernelTests
{
    private const int MaxLength = 256;
    private const int Guard = 9;
    private const double Sqrt1Over2 = 0.70710678118654752440; // as the kernel rounds x / sqrt 2: erfc is steep in the tail

    public static TheoryData<string> UnaryOps => new() { "leaky_relu", "leaky_relu_negative_slope", "gelu" };

    public static TheoryData<string> BinaryOps => new()
    {
        "relu_grad", "leaky_relu_grad", "gelu_grad", "clamp_grad", "clamp_grad_min_only", "abs_grad", "sqrt_grad",
        "std_grad", "maximum_share", "minimum_share", "eq", "ne", "lt", "le", "gt", "ge",
    };

    [Theory]
    [MemberData(nameof(UnaryOps))]
    public void UnaryOperatorMatchesScalarReferenceAtEveryLength(string name)
    {
        switch (name)
        {
            // The slope arrives as a float (LeakyRelu's parameter), so the reference uses the same float value.
            case "leaky_relu": CheckUnary(new Tensor.LeakyReluOp(0.1f), x => x > 0 ? x : (double)0.1f * x, exact: true); break;
            case "leaky_relu_negative_slope": CheckUnary(new Tensor.LeakyReluOp(-2), x => x > 0 ? x : -2 * x, exact: true); break;
            case "gelu": CheckUnary(new Tensor.GeluOp(), x => 0.5 * x * ErrorFunction.Erfc(-x * Sqrt1Over2), exact: false); break;
            default: throw new ArgumentException(name);
        }
    }

    [Theory]
    [MemberData(nameof(BinaryOps))]
    public void BinaryOperatorMatchesScalarReferenceAtEveryLength(string name)
    {
        switch (name)
        {
            case "relu_grad": CheckBinary(new Tensor.ReluGrad(), (y, g) => y > 0 ? g : 0, exact: true); break;
            case "leaky_relu_grad": CheckBinary(new Tensor.LeakyReluGrad(0.25), (x, g) => x > 0 ? g : 0.25 * g, exact: true); break;
            case "gelu_grad":
                // Phi(x) + x phi(x) crosses 0 near x = -0.75, so the error is measured against |dy|, not the result.
                CheckBinary(new Tensor.GeluGrad(), (x, g) =>
                    g * (0.5 * ErrorFunction.Erfc(-x * Sqrt1Over2) + x * Math.Exp(-x * x / 2) / Math.Sqrt(2 * Math.PI)),
                    exact: false, scaleByY: true);
                break;
            case "clamp_grad": CheckBinary(new Tensor.ClampGrad(-0.5, 0.5), (x, g) => x >= -0.5 && x <= 0.5 ? g : 0, exact: true); break;
            case "clamp_grad_min_only":
                CheckBinary(new Tensor.ClampGrad(0, double.PositiveInfinity), (x, g) => x >= 0 ? g : 0, exact: true);
                break;
            case "abs_grad": CheckBinary(new Tensor.AbsGrad(), (x, g) => Math.Sign(x) * g, exact: true); break;
            case "sqrt_grad": CheckBinary(new Tensor.SqrtGrad(), (y, g) => g / (2 * y), exact: false, positiveX: true); break;
            case "std_grad": CheckBinary(new Tensor.StdGrad(), (s, g) => s == 0 ? 0 : g / (2 * s), exact: false, positiveX: true); break;
            case "maximum_share": CheckBinary(new Tensor.MaximumShare(), (u, v) => u < v ? 0 : u == v ? 0.5 : 1, exact: true); break;
            case "minimum_share": CheckBinary(new Tensor.MinimumShare(), (u, v) => u > v ? 0 : u == v ? 0.5 : 1, exact: true); break;
            case "eq": CheckBinary(new Tensor.EqualOp(), (x, y) => x == y ? 1 : 0, exact: true); break;
            case "ne": CheckBinary(new Tensor.NotEqualOp(), (x, y) => x != y ? 1 : 0, exact: true); break;
            case "lt": CheckBinary(new Tensor.LessThanOp(), (x, y) => x < y ? 1 : 0, exact: true); break;
            case "le": CheckBinary(new Tensor.LessThanOrEqualOp(), (x, y) => x <= y ? 1 : 0, exact: true); break;
            case "gt": CheckBinary(new Tensor.GreaterThanOp(), (x, y) => x > y ? 1 : 0, exact: true); break;
            case "ge": CheckBinary(new Tensor.GreaterThanOrEqualOp(), (x, y) => x >= y ? 1 : 0, exact: true); break;
            default: throw new ArgumentException(name);
        }
    }

    [Fact]
    public void SelectMatchesScalarReferenceAtEveryLength()
    {
        for (int n = 0; n <= MaxLength; n++)
        {
            var c = Inputs(n, 1);
            var x = Inputs(n, 2);
            var y = Inputs(n, 3);
            if (n > 0) c[n / 2] = double.NaN; // NaN counts as true, as in PyTorch
            var expected = new double[n];
            for (int i = 0; i < n; i++) expected[i] = c[i] != 0 ? x[i] : y[i];
            Compare(n, expected, d => ElementwiseDriver.Select<double>(c, x, y, d), d => ElementwiseDriver.Select<float>(F(c), F(x), F(y), d), exact: true);
        }
    }

    [Fact]
    public void ScalarOperandMapsMatchScalarReferenceAtEveryLength()
    {
        for (int n = 0; n <= MaxLength; n++)
        {
            var x = Inputs(n, 4);
            const double s = 0.5; // present in the inputs, so ties occur
            var right = new double[n];
            var left = new double[n];
            for (int i = 0; i < n; i++)
            {
                right[i] = x[i] < s ? 1 : 0;
                left[i] = s < x[i] ? 1 : 0;
            }
            var op = new Tensor.LessThanOp();
            Compare(n, right, d => ElementwiseDriver.Map<double, Tensor.LessThanOp>(x, s, d, op),
                    d => ElementwiseDriver.Map<float, Tensor.LessThanOp>(F(x), (float)s, d, op), exact: true);
            Compare(n, left, d => ElementwiseDriver.Map<double, Tensor.LessThanOp>(s, x, d, op),
                    d => ElementwiseDriver.Map<float, Tensor.LessThanOp>((float)s, F(x), d, op), exact: true);
        }
    }

    // ----- helpers -----

    private static void CheckUnary<TOp>(TOp op, Func<double, double> reference, bool exact) where TOp : struct, IUnaryOperator
    {
        for (int n = 0; n <= MaxLength; n++)
        {
            var x = Inputs(n, 5);
            var expectedDouble = x.Select(reference).ToArray();
            var expectedFloat = F(x).Select(v => reference(v)).ToArray();
            CompareDouble(n, expectedDouble, d => ElementwiseDriver.Map<double, TOp>(x, d, op), exact);
            CompareFloat(n, expectedFloat, d => ElementwiseDriver.Map<float, TOp>(F(x), d, op), exact);
        }
    }

    private static void CheckBinary<TOp>(TOp op, Func<double, double, double> reference, bool exact, bool positiveX = false,
                                         bool scaleByY = false)
        where TOp : struct, IBinaryOperator
    {
        for (int n = 0; n <= MaxLength; n++)
        {
            var x = Inputs(n, 6);
            if (positiveX) for (int i = 0; i < n; i++) x[i] = Math.Abs(x[i]) + (i % 9 == 0 ? 0 : 0.01);
            var y = Inputs(n, 7);
            for (int i = 0; i < n; i += 5) y[i] = x[i]; // ties
            var expectedDouble = new double[n];
            var expectedFloat = new double[n];
            var xf = F(x);
            var yf = F(y);
            for (int i = 0; i < n; i++)
            {
                expectedDouble[i] = reference(x[i], y[i]);
                expectedFloat[i] = reference(xf[i], yf[i]);
            }
            CompareDouble(n, expectedDouble, d => ElementwiseDriver.Map<double, TOp>(x, y, d, op), exact, scaleByY ? y : null);
            CompareFloat(n, expectedFloat, d => ElementwiseDriver.Map<float, TOp>(xf, yf, d, op), exact, scaleByY ? y : null);
        }
    }

    private static void Compare(int n, double[] expected, SpanAction<double> runDouble, SpanAction<float> runFloat, bool exact)
    {
        CompareDouble(n, expected, runDouble, exact);
        CompareFloat(n, expected, runFloat, exact);
    }

    private delegate void SpanAction<T>(Span<T> destination);

    private static void CompareDouble(int n, double[] expected, SpanAction<double> run, bool exact, double[]? scale = null)
    {
        var buffer = new double[n + Guard];
        buffer.AsSpan(n).Fill(-12345);
        run(buffer.AsSpan(0, n));
        for (int i = 0; i < n; i++)
            AssertClose(expected[i], buffer[i], exact ? 0 : 4e-15, "double", n, i, scale?[i] ?? 0);
        for (int i = n; i < buffer.Length; i++)
            if (buffer[i] != -12345) Assert.Fail($"double, length {n}: wrote past the end at {i}");
    }

    private static void CompareFloat(int n, double[] expected, SpanAction<float> run, bool exact, double[]? scale = null)
    {
        var buffer = new float[n + Guard];
        buffer.AsSpan(n).Fill(-12345f);
        run(buffer.AsSpan(0, n));
        for (int i = 0; i < n; i++)
            AssertClose((float)expected[i], buffer[i], exact ? 0 : 4e-7, "float", n, i, scale?[i] ?? 0);
        for (int i = n; i < buffer.Length; i++)
            if (buffer[i] != -12345f) Assert.Fail($"float, length {n}: wrote past the end at {i}");
    }

    /// <summary>
    /// |actual - expected| within <paramref name="relative"/> of max(|expected|, |scale|), or below the smallest
    /// normal float (subnormals have fewer digits); exact when relative is 0.
    /// </summary>
    private static void AssertClose(double expected, double actual, double relative, string type, int length, int index, double scale = 0)
    {
        bool ok = expected.Equals(actual) ||
                  relative > 0 && Math.Abs(actual - expected) <= Math.Max(relative * Math.Max(Math.Abs(expected), Math.Abs(scale)), 1.2e-38);
        if (!ok) Assert.Fail($"{type}, length {length}, element {index}: {actual:R}, expected {expected:R}");
    }

    /// <summary>
    /// Deterministic inputs with the values that matter to masks and branches: exact zeros, values on the clamp
    /// bounds (+-0.5), negative and positive values up to |x| ~ 9, and a few large ones.
    /// </summary>
    private static double[] Inputs(int n, int seed)
    {
        var g = new Generator(seed * 1000 + n);
        var x = new double[n];
        for (int i = 0; i < n; i++)
        {
            x[i] = (i % 13) switch
            {
                0 => 0,
                4 => 0.5,
                7 => -0.5,
                11 => 30 * (g.NextDouble() - 0.5),
                _ => 3 * g.NextNormal(),
            };
        }
        return x;
    }

    private static float[] F(double[] x) => x.Select(v => (float)v).ToArray();
}
