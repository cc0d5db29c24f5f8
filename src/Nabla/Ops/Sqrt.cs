using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.Intrinsics;
using Nabla.Kernels;

namespace Nabla;

// y = sqrt(x);  dx += dy / (2 y)   (reuses y; +inf at x = 0 and NaN below, as PyTorch)
public partial class Tensor
{
    /// <summary>Elementwise square root (<c>x.sqrt()</c>); NaN for negative elements, as PyTorch.</summary>
    public Tensor Sqrt()
    {
        var y = Unary(this, new SqrtKernel());
        return NeedsGrad(this) ? y.WithGradFn(new SqrtNode(this, y)) : y;
    }

    private readonly struct SqrtKernel : IUnarySpanOp
    {
        public void Invoke<T>(ReadOnlySpan<T> x, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Sqrt(x, d);
    }

    /// <summary>(y, dy) -> dy / (2 y).</summary>
    internal readonly struct SqrtGrad : IBinaryOperator
    {
        public T Invoke<T>(T y, T dy) where T : unmanaged, IFloatingPointIeee754<T> => dy / (y + y);
        public Vector256<T> Invoke<T>(Vector256<T> y, Vector256<T> dy) where T : unmanaged, IFloatingPointIeee754<T> => dy / (y + y);
    }

    private sealed class SqrtNode(Tensor x, Tensor y) : GradNode(x)
    {
        public override string Name => "SqrtBackward";
        protected internal override void Backward(Tensor dy) => AccumulateGrad(0, Map(y, dy, new SqrtGrad()));
    }
}
