using System.Numerics;
using System.Runtime.Intrinsics;
using Nabla.Kernels;

namespace Nabla;

// y = x * Phi(x),  Phi(x) = erfc(-x / sqrt 2) / 2  (the exact GELU, PyTorch's default approximate='none')
// dx += dy * (Phi(x) + x * phi(x)),  phi(x) = exp(-x^2 / 2) / sqrt(2 pi)
// Phi is taken from erfc rather than (1 + erf) / 2 so that it keeps its relative accuracy for very negative x.
// float32 is computed in double lanes (ErrorFunction's float-precision erfc), float64 with the accurate erfc.
public partial class Tensor
{
    /// <summary>Elementwise Gaussian error linear unit, x * Phi(x) with Phi the standard normal CDF (<c>F.gelu(x)</c>).</summary>
    public Tensor Gelu()
    {
        var y = Map(this, new GeluOp());
        return NeedsGrad(this) ? y.WithGradFn(new GeluNode(this)) : y;
    }

    private const double Sqrt1Over2 = 0.70710678118654752440;   // 1 / sqrt(2)
    private const double InvSqrt2Pi = 0.39894228040143267794;   // 1 / sqrt(2 pi)

    /// <summary>x -> x * Phi(x).</summary>
    internal readonly struct GeluOp : IUnaryOperator
    {
        public T Invoke<T>(T x) where T : unmanaged, IFloatingPointIeee754<T>
        {
            if (typeof(T) == typeof(float)) return T.CreateTruncating((float)GeluFloat(double.CreateTruncating(x)));
            double v = double.CreateTruncating(x);
            return T.CreateTruncating(0.5 * v * ErrorFunction.Erfc(-v * Sqrt1Over2));
        }

        public Vector256<T> Invoke<T>(Vector256<T> x) where T : unmanaged, IFloatingPointIeee754<T>
        {
            if (typeof(T) == typeof(float))
            {
                var (lower, upper) = Vector256.Widen(x.AsSingle());
                return Vector256.Narrow(GeluFloat(lower), GeluFloat(upper)).As<float, T>();
            }
            // float64 is the gradient-checking path: accuracy over speed, one lane at a time.
            var v = x.AsDouble();
            return Vector256.Create(Invoke(v[0]), Invoke(v[1]), Invoke(v[2]), Invoke(v[3])).As<double, T>();
        }

        private static double GeluFloat(double x) => 0.5 * x * ErrorFunction.ErfcFloatPrecision(-x * Sqrt1Over2);

        private static Vector256<double> GeluFloat(Vector256<double> x) =>
            Vector256.Create(0.5) * x * ErrorFunction.ErfcFloatPrecision(-x * Vector256.Create(Sqrt1Over2));
    }

    /// <summary>(x, dy) -> dy * (Phi(x) + x * phi(x)).</summary>
    internal readonly struct GeluGrad : IBinaryOperator
    {
        public T Invoke<T>(T x, T dy) where T : unmanaged, IFloatingPointIeee754<T>
        {
            double v = double.CreateTruncating(x), g = double.CreateTruncating(dy);
            if (typeof(T) == typeof(float)) return T.CreateTruncating((float)GradFloat(v, g));
            double cdf = 0.5 * ErrorFunction.Erfc(-v * Sqrt1Over2);
            double pdf = Math.Exp(-0.5 * v * v) * InvSqrt2Pi;
            return T.CreateTruncating(g * (cdf + v * pdf));
        }

        public Vector256<T> Invoke<T>(Vector256<T> x, Vector256<T> dy) where T : unmanaged, IFloatingPointIeee754<T>
        {
            if (typeof(T) == typeof(float))
            {
                var (xl, xu) = Vector256.Widen(x.AsSingle());
                var (gl, gu) = Vector256.Widen(dy.AsSingle());
                return Vector256.Narrow(GradFloat(xl, gl), GradFloat(xu, gu)).As<float, T>();
            }
            var v = x.AsDouble();
            var g = dy.AsDouble();
            return Vector256.Create(Invoke(v[0], g[0]), Invoke(v[1], g[1]), Invoke(v[2], g[2]), Invoke(v[3], g[3])).As<double, T>();
        }

        private static double GradFloat(double x, double dy) =>
            dy * (0.5 * ErrorFunction.ErfcFloatPrecision(-x * Sqrt1Over2) + x * Math.Exp(-0.5 * x * x) * InvSqrt2Pi);

        private static Vector256<double> GradFloat(Vector256<double> x, Vector256<double> dy)
        {
            var half = Vector256.Create(0.5);
            var cdf = half * ErrorFunction.ErfcFloatPrecision(-x * Vector256.Create(Sqrt1Over2));
            var pdf = Vector256.Exp(-half * x * x) * Vector256.Create(InvSqrt2Pi);
            return dy * (cdf + x * pdf);
        }
    }

    private sealed class GeluNode(Tensor x) : GradNode(x)
    {
        public override string Name => "GeluBackward";
        protected internal override void Backward(Tensor dy) => AccumulateGrad(0, Map(x, dy, new GeluGrad()));
    }
}
