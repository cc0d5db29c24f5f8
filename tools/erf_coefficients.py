"""Fits the polynomial coefficients used by src/Nabla/Kernels/Erf.cs, in 50-digit arithmetic (mpmath).

The approximations are near-minimax Chebyshev fits (mpmath.chebyfit) of smooth functions derived from erf:
  double precision, x >= 0:
    [0, 0.5]      erf(x)  = x * P(x^2)                    P(t) = erf(sqrt t) / sqrt t
    [0.5, 6]      erfc(x) = exp(-x^2) * R(x)              R(x) = exp(x^2) erfc(x), in four pieces, in powers of (x - centre)
    [6, inf)      erfc(x) = exp(-x^2) / x * G(1/x^2)      G(u) = x exp(x^2) erfc(x), u = 1/x^2
  float precision (evaluated in double lanes, then rounded to float), z >= 0:
    erfc(z) = t * exp(-z^2 + Q(t)),  t = 1 / (1 + z/2)    one formula on the whole half-line (no branches in SIMD)
    erf(x)  = x * S(x^2) for |x| < 0.5
The script prints the C# tables with the fit error of each piece (relative to the function). Run:
  /usr/bin/python3 tools/erf_coefficients.py
"""
import mpmath as mp

mp.mp.dps = 50
SQRT_PI = mp.sqrt(mp.pi)


def erf_over_x(t):
    return mp.erf(mp.sqrt(t)) / mp.sqrt(t) if t > 0 else 2 / SQRT_PI


def scaled_erfc(x):
    return mp.exp(x * x) * mp.erfc(x)


def asymptotic(u):
    if u == 0:
        return 1 / SQRT_PI
    x = 1 / mp.sqrt(u)
    return x * mp.exp(x * x) * mp.erfc(x)


def float_exponent(t):
    if t == 0:
        return mp.log(mp.mpf(1) / 2 / SQRT_PI)
    z = (1 / t - 1) * 2
    return mp.log(mp.erfc(z) / t) + z * z


def fit(name, f, a, b, degree, centre=None, note="", absolute=False):
    """Fits f on [a, b] by a polynomial in (x - centre) and prints it as a C# table, highest power first."""
    a, b = mp.mpf(a), mp.mpf(b)
    c = (a + b) / 2 if centre is None else mp.mpf(centre)
    poly, err = mp.chebyfit(lambda s: f(c + s), [a - c, b - c], degree + 1, error=True)
    if absolute:
        error = f"{mp.nstr(err, 2)} absolute"
    else:
        error = f"{mp.nstr(err / min(abs(f(a)), abs(f(b)), abs(f((a + b) / 2))), 2)} relative"
    variable = "the variable" if c == 0 else f"(x - {mp.nstr(c, 6)})"
    print(f"    // {note}: degree {degree} in {variable}, fit error {error}")
    print(f"    private static ReadOnlySpan<double> {name} =>")
    values = [repr(float(p)) for p in poly]
    print("    [")
    for i in range(0, len(values), 4):
        print("        " + ", ".join(values[i:i + 4]) + ",")
    print("    ];")
    return poly


fit("ErfSmall", erf_over_x, 0, 0.25, 9, centre=0, note="erf(x)/x for x^2 in [0, 0.25]")
for i, (a, b, d) in enumerate([(0.5, 1.25, 16), (1.25, 2.25, 16), (2.25, 3.5, 16), (3.5, 6, 18)]):
    fit(f"ErfcScaled{i}", scaled_erfc, a, b, d, note=f"exp(x^2) erfc(x) on [{a}, {b}]")
fit("ErfcAsymptotic", asymptotic, 0, mp.mpf(1) / 36, 10, centre=0, note="x exp(x^2) erfc(x) for u = 1/x^2 in [0, 1/36]")
fit("FloatErfcExponent", float_exponent, 0, 1, 10, centre=0, note="log(erfc(z)/t) + z^2 for t = 1/(1 + z/2) in [0, 1]",
    absolute=True)
fit("FloatErfSmall", erf_over_x, 0, 0.25, 4, centre=0, note="erf(x)/x for x^2 in [0, 0.25], float precision")
