using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Nabla.Kernels;

/// <summary>
/// The error function erf(x) = 2/sqrt(pi) * integral from 0 to x of exp(-t^2) dt, and its complement
/// erfc(x) = 1 - erf(x), which GELU needs (Phi(x) = erfc(-x/sqrt 2) / 2). .NET has neither.
/// </summary>
/// <remarks>
/// <para>
/// Double precision follows the plan of the classic fdlibm/Cody routines: a short polynomial for erf near 0,
/// and for larger |x| erfc(x) = exp(-x^2) * R(x) with R smooth and slowly varying, fitted piecewise. Working
/// with erfc rather than 1 - erf keeps the relative accuracy in the tail (erfc(5) = 1.5e-12 keeps all its
/// digits). The coefficients are our own near-minimax Chebyshev fits in 50-digit arithmetic, written by
/// <c>tools/erf_coefficients.py</c>; every fit error is below 3e-18, so what remains is rounding: a few ulp.
/// </para>
/// <para>
/// The float path needs about 1e-7 relative accuracy and must vectorize, so it uses one branch-free formula on
/// the whole half-line, erfc(z) = t * exp(-z^2 + Q(t)) with t = 1 / (1 + z/2) (the form of the Chebyshev fit in
/// Numerical Recipes' erfcc), evaluated in double lanes, where z^2 of a float is exact, and rounded to float.
/// </para>
/// </remarks>
internal static class ErrorFunction
{
    // ----- double precision -----

    /// <summary>erf(x) in double precision (relative error a few ulp).</summary>
    public static double Erf(double x)
    {
        double a = Math.Abs(x);
        if (a < 0.5) return x * Horner(ErfSmall, x * x);
        // Beyond 6, erfc < 2.2e-17 is below half an ulp of 1: erf is exactly +-1 (and NaN stays NaN).
        if (!(a < 6)) return double.IsNaN(x) ? x : double.CopySign(1.0, x);
        return double.CopySign(1.0 - ErfcPositive(a), x);
    }

    /// <summary>erfc(x) = 1 - erf(x) in double precision, accurate relative to its own (tiny) size in the right tail.</summary>
    public static double Erfc(double x)
    {
        if (double.IsNaN(x)) return x;
        double a = Math.Abs(x);
        if (a < 0.5) return 1.0 - x * Horner(ErfSmall, x * x); // erf(x) < 0.53 here: no cancellation
        double c = ErfcPositive(a);
        return x > 0 ? c : 2.0 - c;
    }

    /// <summary>erfc(a) for a &gt;= 0.5 (including +inf).</summary>
    private static double ErfcPositive(double a)
    {
        if (a >= 28) return 0; // erfc(27.3) is already below the smallest subnormal; this also keeps a*a finite
        // exp(-a^2) with a^2 split exactly into hi + lo by an FMA: rounding a*a would cost up to a^2 ulp
        // (36 at a = 6) of relative error, since exp turns an absolute error in its argument into a relative one.
        double hi = a * a, lo = Math.FusedMultiplyAdd(a, a, -hi);
        double e = Math.Exp(-hi) * (1.0 - lo); // exp(-lo) = 1 - lo to within lo^2 < 1e-28
        double r = a < 1.25 ? Horner(ErfcScaled0, a - 0.875)
                 : a < 2.25 ? Horner(ErfcScaled1, a - 1.75)
                 : a < 3.5 ? Horner(ErfcScaled2, a - 2.875)
                 : a < 6 ? Horner(ErfcScaled3, a - 4.75)
                 : Horner(ErfcAsymptotic, 1.0 / hi) / a;
        return e * r;
    }

    // ----- float precision: one formula, computed in double lanes -----

    /// <summary>erf(x) to float precision.</summary>
    public static float Erf(float x) => (float)ErfFloatPrecision(x);

    /// <summary>erfc(x) to float precision (relative error about 1e-7 everywhere, tails included).</summary>
    public static float Erfc(float x) => (float)ErfcFloatPrecision(x);

    /// <summary>erf of eight floats at once.</summary>
    public static Vector256<float> Erf(Vector256<float> x)
    {
        var (lower, upper) = Vector256.Widen(x);
        return Vector256.Narrow(ErfFloatPrecision(lower), ErfFloatPrecision(upper));
    }

    /// <summary>erfc of eight floats at once.</summary>
    public static Vector256<float> Erfc(Vector256<float> x)
    {
        var (lower, upper) = Vector256.Widen(x);
        return Vector256.Narrow(ErfcFloatPrecision(lower), ErfcFloatPrecision(upper));
    }

    /// <summary>erfc(z) with about 1e-7 relative error, for callers that round the result to float.</summary>
    internal static double ErfcFloatPrecision(double z)
    {
        double a = Math.Abs(z);
        double t = 1.0 / (1.0 + 0.5 * a);
        double r = t * Math.Exp(Horner(FloatErfcExponent, t) - a * a);
        return z >= 0 ? r : 2.0 - r; // NaN fails the test and stays NaN
    }

    /// <inheritdoc cref="ErfcFloatPrecision(double)"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector256<double> ErfcFloatPrecision(Vector256<double> z)
    {
        var a = Vector256.Abs(z);
        var t = Vector256<double>.One / (Vector256<double>.One + Vector256.Create(0.5) * a);
        var r = t * Vector256.Exp(Horner(FloatErfcExponent, t) - a * a);
        return Vector256.ConditionalSelect(Vector256.GreaterThanOrEqual(z, Vector256<double>.Zero), r, Vector256.Create(2.0) - r);
    }

    internal static double ErfFloatPrecision(double x)
    {
        double a = Math.Abs(x);
        if (a < 0.5) return x * Horner(FloatErfSmall, x * x);
        return double.CopySign(1.0 - ErfcFloatPrecision(a), x);
    }

    internal static Vector256<double> ErfFloatPrecision(Vector256<double> x)
    {
        var a = Vector256.Abs(x);
        var small = x * Horner(FloatErfSmall, x * x);
        var large = Vector256.CopySign(Vector256<double>.One - ErfcFloatPrecision(a), x);
        return Vector256.ConditionalSelect(Vector256.LessThan(a, Vector256.Create(0.5)), small, large);
    }

    // ----- polynomial evaluation (coefficients highest power first) -----

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double Horner(ReadOnlySpan<double> c, double x)
    {
        double r = c[0];
        for (int i = 1; i < c.Length; i++) r = r * x + c[i];
        return r;
    }

    // The SIMD form fuses multiply and add where the hardware can (the float path does not need the scalar
    // path's bit-for-bit reproducibility, and the dependent chain of Horner's rule is its critical path).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<double> Horner(ReadOnlySpan<double> c, Vector256<double> x)
    {
        var r = Vector256.Create(c[0]);
        for (int i = 1; i < c.Length; i++) r = Vector256.MultiplyAddEstimate(r, x, Vector256.Create(c[i]));
        return r;
    }

    // ----- coefficients: generated by tools/erf_coefficients.py (do not edit by hand) -----

    // erf(x)/x for x^2 in [0, 0.25]: degree 9 in the variable, fit error 2.3e-20 relative
    private static ReadOnlySpan<double> ErfSmall =>
    [
        -1.462091340945175e-07, 1.637123442577e-06, -1.4923003368152099e-05, 0.00012055286202005714,
        -0.0008548326510724796, 0.0052239776220169365, -0.02686617064499972, 0.1128379167095487,
        -0.3761263890318375, 1.1283791670955126,
    ];
    // exp(x^2) erfc(x) on [0.5, 1.25]: degree 16 in (x - 0.875), fit error 1.9e-19 relative
    private static ReadOnlySpan<double> ErfcScaled0 =>
    [
        2.44289434791173e-07, -8.203814380640057e-07, 2.538282411604423e-06, -8.054074972883908e-06,
        2.48452512360584e-05, -7.415925694456723e-05, 0.00021395733482268008, -0.0005950810521438815,
        0.0015904828277405767, -0.004069537666780075, 0.00992277676078587, -0.022925811484404514,
        0.04982841533137687, -0.10091439212620577, 0.1879569237731824, -0.3158338964908418,
        0.464311583202669,
    ];
    // exp(x^2) erfc(x) on [1.25, 2.25]: degree 16 in (x - 1.75), fit error 6.4e-19 relative
    private static ReadOnlySpan<double> ErfcScaled1 =>
    [
        4.417492923119904e-09, -1.7231936922238056e-08, 6.10957166942204e-08, -2.2725398650427258e-07,
        8.271612171991292e-07, -2.9280568541038017e-06, 1.0086679472532009e-05, -3.375533949775925e-05,
        0.0001095052887596298, -0.0003435333546547611, 0.0010392045224333361, -0.0030209746513779716,
        0.008404319207329055, -0.02225999524138917, 0.05576363008708727, -0.1309763455144852,
        0.2849722347374364,
    ];
    // exp(x^2) erfc(x) on [2.25, 3.5]: degree 16 in (x - 2.875), fit error 4.3e-19 relative
    private static ReadOnlySpan<double> ErfcScaled2 =>
    [
        5.417970841757592e-11, -2.534558089270988e-10, 1.076143675296877e-09, -4.851811650635396e-09,
        2.1538028748558713e-08, -9.354328657324633e-08, 3.981457679420193e-07, -1.6591311885899616e-06,
        6.760734802175023e-06, -2.6903207290691085e-05, 0.00010438965974841496, -0.00039428149689476894,
        0.001446728282842397, -0.005145047555426519, 0.017685468287535387, -0.05856329265980373,
        0.1860549346844711,
    ];
    // exp(x^2) erfc(x) on [3.5, 6]: degree 18 in (x - 4.75), fit error 2.4e-18 relative
    private static ReadOnlySpan<double> ErfcScaled3 =>
    [
        4.375213208037101e-15, -2.746518674187926e-14, 1.3818718062031088e-13, -8.455145736999659e-13,
        5.218027402895151e-12, -3.1249063672277586e-11, 1.8479899143619823e-10, -1.0807335772599074e-09,
        6.242436753087514e-09, -3.5595764153210864e-08, 2.0029196903709305e-07, -1.1115677139671447e-06,
        6.081114550571976e-06, -3.277578113583005e-05, 0.00017392830404063835, -0.000908098897029584,
        0.004661326368972341, -0.023503448598163154, 0.11630270721024731,
    ];
    // x exp(x^2) erfc(x) for u = 1/x^2 in [0, 1/36]: degree 10 in the variable, fit error 5.6e-18 relative
    private static ReadOnlySpan<double> ErfcAsymptotic =>
    [
        92075.12002292661, -25006.23066866484, 4054.3906595796225, -586.9115191209945,
        91.51417736327535, -16.660096988181703, 3.7024876063761933, -1.0578554468499726,
        0.4231421876215437, -0.28209479177385105, 0.5641895835477563,
    ];
    // log(erfc(z)/t) + z^2 for t = 1/(1 + z/2) in [0, 1]: degree 10 in the variable, fit error 9.9e-8 absolute
    private static ReadOnlySpan<double> FloatErfcExponent =>
    [
        0.004769650983782835, 0.1463613844916378, -0.7684580854963573, 1.4231719453126934,
        -1.086955619159785, 0.2567150673534732, -0.18006151233223974, 0.09577241223765601,
        0.3741760881831848, 1.0000209430461464, -1.2655122103075875,
    ];
    // erf(x)/x for x^2 in [0, 0.25], float precision: degree 4 in the variable, fit error 1.4e-9 relative
    private static ReadOnlySpan<double> FloatErfSmall =>
    [
        0.004719082567218814, -0.026757732735015517, 0.11282831428465862, -0.37612609007469805,
        1.1283791656017914,
    ];
}
