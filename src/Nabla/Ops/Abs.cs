using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.Intrinsics;
using Nabla.Kernels;

namespace Nabla;

// y = |x|;  dx += dy * sign(x)   (sign(0) = 0, as PyTorch: no gradient at the kink)
public partial class Tensor
{
    /// <summary>Elementwise absolute value, |x| (<c>x.abs()</c>); the gradient at 0 is 0.</summary>
    public Tensor Abs()
    {
        var y = Unary(this, new AbsKernel());
        return NeedsGrad(this) ? y.WithGradFn(new AbsNode(this)) : y;
    }

    private readonly struct AbsKernel : IUnarySpanOp
    {
        public void Invoke<T>(ReadOnlySpan<T> x, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Abs(x, d);
    }

    /// <summary>(x, dy) -> dy * sign(x), with sign(0) = 0.</summary>
    internal readonly struct AbsGrad : IBinaryOperator
    {
        public T Invoke<T>(T x, T dy) where T : unmanaged, IFloatingPointIeee754<T> =>
            x > T.Zero ? dy : x < T.Zero ? -dy : T.Zero;
        public Vector256<T> Invoke<T>(Vector256<T> x, Vector256<T> dy) where T : unmanaged, IFloatingPointIeee754<T> =>
            (Vector256.GreaterThan(x, Vector256<T>.Zero) & dy) | (Vector256.LessThan(x, Vector256<T>.Zero) & -dy);
    }

    private sealed class AbsNode(Tensor x) : GradNode(x)
    {
        public override string Name => "AbsBackward";
        protected internal override void Backward(Tensor dy) => AccumulateGrad(0, Map(x, dy, new AbsGrad()));
    }
}
