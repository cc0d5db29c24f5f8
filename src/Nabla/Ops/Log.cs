using System.Numerics;
using System.Numerics.Tensors;

namespace Nabla;

// y = ln(x);  dx += dy / x
// As in PyTorch, log of 0 is -inf and of a negative number NaN: tensors carry such values, they do not throw
// (checking every element would cost a pass over the data on every call).
public partial class Tensor
{
    /// <summary>Elementwise natural logarithm (-inf at 0, NaN below, as PyTorch).</summary>
    public Tensor Log()
    {
        var y = Unary(this, new LogKernel());
        return NeedsGrad(this) ? y.WithGradFn(new LogNode(this)) : y;
    }

    private readonly struct LogKernel : IUnarySpanOp
    {
        public void Invoke<T>(ReadOnlySpan<T> x, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Log(x, d);
    }

    private sealed class LogNode(Tensor x) : GradNode(x)
    {
        public override string Name => "LogBackward";
        protected internal override void Backward(Tensor dy) => AccumulateGrad(0, dy / x);
    }
}
