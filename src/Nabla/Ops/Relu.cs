using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.Intrinsics;
using Nabla.Kernels;

namespace Nabla;

// y = max(x, 0);  dx += dy where x > 0, else 0   (PyTorch's convention: the gradient at exactly 0 is 0)
public partial class Tensor
{
    /// <summary>Elementwise rectified linear unit, max(x, 0).</summary>
    public Tensor Relu()
    {
        var y = Unary(this, new ReluKernel());
        return NeedsGrad(this) ? y.WithGradFn(new ReluNode(this, y)) : y;
    }

    private readonly struct ReluKernel : IUnarySpanOp
    {
        public void Invoke<T>(ReadOnlySpan<T> x, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Max(x, T.Zero, d);
    }

    /// <summary>(y, dy) -> dy where y > 0 (y > 0 exactly when x > 0).</summary>
    internal readonly struct ReluGrad : IBinaryOperator
    {
        public T Invoke<T>(T y, T dy) where T : unmanaged, IFloatingPointIeee754<T> => y > T.Zero ? dy : T.Zero;
        public Vector256<T> Invoke<T>(Vector256<T> y, Vector256<T> dy) where T : unmanaged, IFloatingPointIeee754<T> =>
            Vector256.ConditionalSelect(Vector256.GreaterThan(y, Vector256<T>.Zero), dy, Vector256<T>.Zero);
    }

    private sealed class ReluNode(Tensor x, Tensor y) : GradNode(x)
    {
        public override string Name => "ReluBackward";
        protected internal override void Backward(Tensor dy) => AccumulateGrad(0, Map(y, dy, new ReluGrad()));
    }
}
