using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.Intrinsics;
using Nabla.Kernels;

namespace Nabla;

// y = 1 / (1 + exp(-x));  dx += dy * y * (1 - y)   (reuses y; fused in one pass)
public partial class Tensor
{
    /// <summary>Elementwise logistic sigmoid.</summary>
    public Tensor Sigmoid()
    {
        var y = Unary(this, new SigmoidKernel());
        return NeedsGrad(this) ? y.WithGradFn(new SigmoidNode(this, y)) : y;
    }

    private readonly struct SigmoidKernel : IUnarySpanOp
    {
        public void Invoke<T>(ReadOnlySpan<T> x, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Sigmoid(x, d);
    }

    /// <summary>(y, dy) -> dy * y * (1 - y).</summary>
    private readonly struct SigmoidGrad : IBinaryOperator
    {
        public T Invoke<T>(T y, T dy) where T : unmanaged, IFloatingPointIeee754<T> => dy * y * (T.One - y);
        public Vector256<T> Invoke<T>(Vector256<T> y, Vector256<T> dy) where T : unmanaged, IFloatingPointIeee754<T> =>
            dy * y * (Vector256<T>.One - y);
    }

    private sealed class SigmoidNode(Tensor x, Tensor y) : GradNode(x)
    {
        public override string Name => "SigmoidBackward";
        protected internal override void Backward(Tensor dy) => AccumulateGrad(0, Map(y, dy, new SigmoidGrad()));
    }
}
