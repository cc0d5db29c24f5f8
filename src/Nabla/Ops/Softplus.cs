using System.Numerics;

namespace Nabla;

// y = log(1 + exp(x)) = max(x, 0) + log1p(exp(-|x|));  dx += dy * sigmoid(x)
// The split form never overflows (exp only of non-positive numbers), and log1p keeps the digits of tiny exp(-|x|)
// that log(1 + e) would round away (1 + 1e-17 is 1), so softplus(-40) is 4.2e-18, not 0.
public partial class Tensor
{
    /// <summary>
    /// Elementwise softplus, log(1 + exp(x)) (<c>F.softplus</c> with beta 1 and no threshold), computed as
    /// max(x, 0) + log1p(exp(-|x|)) so that it neither overflows nor loses tiny values; its derivative is sigmoid(x).
    /// </summary>
    public Tensor Softplus()
    {
        var y = Unary(this, new SoftplusKernel());
        return NeedsGrad(this) ? y.WithGradFn(new SoftplusNode(this)) : y;
    }

    /// <summary>
    /// log(1 + x) accurate for tiny x (.NET's LogP1 is log(x + 1), which is not): with u = 1 + x rounded,
    /// log(u) * x / (u - 1) cancels the rounding of u (Goldberg, "What every computer scientist should know...", thm 4).
    /// </summary>
    internal static T Log1P<T>(T x) where T : IFloatingPointIeee754<T>
    {
        T u = T.One + x;
        return u == T.One ? x : T.Log(u) * x / (u - T.One);
    }

    private readonly struct SoftplusKernel : IUnarySpanOp
    {
        public void Invoke<T>(ReadOnlySpan<T> x, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T>
        {
            for (int i = 0; i < x.Length; i++)
            {
                T v = x[i];
                d[i] = T.Max(v, T.Zero) + Log1P(T.Exp(-T.Abs(v)));
            }
        }
    }

    private sealed class SoftplusNode(Tensor x) : GradNode(x)
    {
        public override string Name => "SoftplusBackward";
        protected internal override void Backward(Tensor dy) => AccumulateGrad(0, dy * x.Detach().Sigmoid());
    }
}
