using System.Numerics;
using System.Numerics.Tensors;

namespace Nabla;

// y = exp(x);  dx += dy * y   (reuses y: no second exp)
public partial class Tensor
{
    /// <summary>Elementwise e^x.</summary>
    public Tensor Exp()
    {
        var y = Unary(this, new ExpKernel());
        return NeedsGrad(this) ? y.WithGradFn(new ExpNode(this, y)) : y;
    }

    private readonly struct ExpKernel : IUnarySpanOp
    {
        public void Invoke<T>(ReadOnlySpan<T> x, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Exp(x, d);
    }

    private sealed class ExpNode(Tensor x, Tensor y) : GradNode(x)
    {
        public override string Name => "ExpBackward";
        protected internal override void Backward(Tensor dy) => AccumulateGrad(0, dy * y);
    }
}
