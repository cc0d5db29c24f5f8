using System.Numerics;
using System.Numerics.Tensors;

namespace Nabla;

// Powers, with PyTorch's gradient conventions.
//   y = x^p (p a number):   dx += dy * p * x^(p-1)                  (0 when p = 0, even at x = 0)
//   z = a^b (b a tensor):   da += dz * b * a^(b-1)   where b != 0, else 0
//                           db += dz * z * ln(a)     except where a = 0 and b >= 0, where it is 0
// The backward formulas are built from forward ops (they run with recording off): pow is not a hot loop
// worth a fused kernel, and the masks keep exactly PyTorch's values at the special points.
public partial class Tensor
{
    /// <summary>Every element raised to <paramref name="exponent"/> (<c>x.pow(p)</c>, <c>x ** p</c>).</summary>
    public Tensor Pow(float exponent)
    {
        var y = Unary(this, new PowScalarKernel(exponent));
        return NeedsGrad(this) ? y.WithGradFn(new PowScalarNode(this, exponent)) : y;
    }

    /// <summary>Elementwise power with broadcasting, this^<paramref name="exponent"/> (<c>torch.pow(x, e)</c>).</summary>
    public Tensor Pow(Tensor exponent)
    {
        var z = Binary(this, exponent, "Pow", new PowKernel());
        return NeedsGrad(this, exponent) ? z.WithGradFn(new PowNode(this, exponent, z)) : z;
    }

    private readonly struct PowScalarKernel(double p) : IUnarySpanOp
    {
        public void Invoke<T>(ReadOnlySpan<T> x, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T>
        {
            // Squaring is by far the most common power (losses, norms): one SIMD multiply instead of pow.
            if (p == 2) TensorPrimitives.Multiply(x, x, d);
            else if (p == 1) x.CopyTo(d);
            else TensorPrimitives.Pow(x, T.CreateTruncating(p), d);
        }
    }

    private readonly struct PowKernel : IBinarySpanOp
    {
        public void Invoke<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Pow(x, y, d);
        public void Invoke<T>(ReadOnlySpan<T> x, T y, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Pow(x, y, d);
        public void Invoke<T>(T x, ReadOnlySpan<T> y, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Pow(x, y, d);
    }

    private sealed class PowScalarNode(Tensor x, float p) : GradNode(x)
    {
        public override string Name => "PowBackward";
        protected internal override void Backward(Tensor dy)
        {
            if (p == 0) { AccumulateGrad(0, ZerosLike(dy)); return; }
            var slope = p == 2 ? x * 2f : x.Pow(p - 1) * p;
            AccumulateGrad(0, dy * slope);
        }
    }

    private sealed class PowNode(Tensor a, Tensor b, Tensor z) : GradNode(a, b)
    {
        public override string Name => "PowBackward";
        protected internal override void Backward(Tensor dz)
        {
            var zero = ScalarLike(dz, 0);
            if (NeedsGrad(0)) AccumulateGrad(0, Where(b.Eq(0f), zero, dz * b * a.Pow(b - 1f)));
            if (NeedsGrad(1)) AccumulateGrad(1, Where(a.Eq(0f) * b.Ge(0f), zero, dz * z * a.Log()));
        }
    }
}
