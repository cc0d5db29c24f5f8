using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.Intrinsics;
using Nabla.Kernels;

namespace Nabla;

// y = min(max(x, min), max);  dx += dy where min <= x <= max, else 0
// As PyTorch: the bounds are inclusive for the gradient, a missing bound is unbounded, min > max gives max
// everywhere (and no gradient), and NaN stays NaN (with no gradient).
public partial class Tensor
{
    /// <summary>
    /// Limits every element to [<paramref name="min"/>, <paramref name="max"/>] (<c>x.clamp(min, max)</c>); either
    /// bound may be null. The gradient passes where min &lt;= x &lt;= max.
    /// </summary>
    /// <exception cref="ArgumentException">Both bounds are null.</exception>
    public Tensor Clamp(float? min = null, float? max = null)
    {
        if (min is null && max is null)
            throw new ArgumentException($"Clamp: at least one of min and max must be given (tensor of shape {Shapes.Format(shape)}).");
        double lo = min ?? double.NegativeInfinity, hi = max ?? double.PositiveInfinity;
        var y = Unary(this, new ClampKernel(lo, hi));
        return NeedsGrad(this) ? y.WithGradFn(new ClampNode(this, lo, hi)) : y;
    }

    private readonly struct ClampKernel(double lo, double hi) : IUnarySpanOp
    {
        public void Invoke<T>(ReadOnlySpan<T> x, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T>
        {
            // max then min (not TensorPrimitives.Clamp, which rejects lo > hi); both propagate NaN.
            if (double.IsNegativeInfinity(lo)) x.CopyTo(d);
            else TensorPrimitives.Max(x, T.CreateTruncating(lo), d);
            if (!double.IsPositiveInfinity(hi)) TensorPrimitives.Min(d, T.CreateTruncating(hi), d);
        }
    }

    /// <summary>(x, dy) -> dy where lo &lt;= x &lt;= hi, else 0.</summary>
    internal readonly struct ClampGrad(double lo, double hi) : IBinaryOperator
    {
        public T Invoke<T>(T x, T dy) where T : unmanaged, IFloatingPointIeee754<T> =>
            x >= T.CreateTruncating(lo) && x <= T.CreateTruncating(hi) ? dy : T.Zero;
        public Vector256<T> Invoke<T>(Vector256<T> x, Vector256<T> dy) where T : unmanaged, IFloatingPointIeee754<T> =>
            Vector256.GreaterThanOrEqual(x, Vector256.Create(T.CreateTruncating(lo)))
            & Vector256.LessThanOrEqual(x, Vector256.Create(T.CreateTruncating(hi))) & dy;
    }

    private sealed class ClampNode(Tensor x, double lo, double hi) : GradNode(x)
    {
        public override string Name => "ClampBackward";
        protected internal override void Backward(Tensor dy) => AccumulateGrad(0, Map(x, dy, new ClampGrad(lo, hi)));
    }
}
