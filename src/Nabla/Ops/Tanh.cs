using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.Intrinsics;
using Nabla.Kernels;

namespace Nabla;

// y = tanh(x);  dx += dy * (1 - y^2)   (reuses y: no second tanh; fused in one pass)
public partial class Tensor
{
    /// <summary>Elementwise hyperbolic tangent.</summary>
    public Tensor Tanh()
    {
        var y = Unary(this, new TanhKernel());
        return NeedsGrad(this) ? y.WithGradFn(new TanhNode(this, y)) : y;
    }

    private readonly struct TanhKernel : IUnarySpanOp
    {
        public void Invoke<T>(ReadOnlySpan<T> x, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Tanh(x, d);
    }

    /// <summary>(y, dy) -> dy * (1 - y*y).</summary>
    private readonly struct TanhGrad : IBinaryOperator
    {
        public T Invoke<T>(T y, T dy) where T : unmanaged, IFloatingPointIeee754<T> => dy * (T.One - y * y);
        public Vector256<T> Invoke<T>(Vector256<T> y, Vector256<T> dy) where T : unmanaged, IFloatingPointIeee754<T> =>
            dy * (Vector256<T>.One - y * y);
    }

    private sealed class TanhNode(Tensor x, Tensor y) : GradNode(x)
    {
        public override string Name => "TanhBackward";
        protected internal override void Backward(Tensor dy) => AccumulateGrad(0, Map(y, dy, new TanhGrad()));
    }
}
