using System.Numerics;
using System.Runtime.Intrinsics;
using Nabla.Kernels;

namespace Nabla;

// y = x if x > 0 else slope * x;  dx += dy if x > 0 else slope * dy   (at exactly 0 the slope side, as PyTorch)
public partial class Tensor
{
    /// <summary>
    /// Elementwise leaky ReLU, x for x &gt; 0 and <paramref name="negativeSlope"/> * x otherwise
    /// (<c>F.leaky_relu(x, negative_slope)</c>).
    /// </summary>
    public Tensor LeakyRelu(float negativeSlope = 0.01f)
    {
        var y = Map(this, new LeakyReluOp(negativeSlope));
        return NeedsGrad(this) ? y.WithGradFn(new LeakyReluNode(this, negativeSlope)) : y;
    }

    /// <summary>x -> x if x &gt; 0 else slope * x.</summary>
    internal readonly struct LeakyReluOp(double slope) : IUnaryOperator
    {
        public T Invoke<T>(T x) where T : unmanaged, IFloatingPointIeee754<T> => x > T.Zero ? x : x * T.CreateTruncating(slope);
        public Vector256<T> Invoke<T>(Vector256<T> x) where T : unmanaged, IFloatingPointIeee754<T> =>
            Vector256.ConditionalSelect(Vector256.GreaterThan(x, Vector256<T>.Zero), x, x * Vector256.Create(T.CreateTruncating(slope)));
    }

    /// <summary>(x, dy) -> dy if x &gt; 0 else slope * dy.</summary>
    internal readonly struct LeakyReluGrad(double slope) : IBinaryOperator
    {
        public T Invoke<T>(T x, T dy) where T : unmanaged, IFloatingPointIeee754<T> => x > T.Zero ? dy : dy * T.CreateTruncating(slope);
        public Vector256<T> Invoke<T>(Vector256<T> x, Vector256<T> dy) where T : unmanaged, IFloatingPointIeee754<T> =>
            Vector256.ConditionalSelect(Vector256.GreaterThan(x, Vector256<T>.Zero), dy, dy * Vector256.Create(T.CreateTruncating(slope)));
    }

    // Saves x, not y: with a negative slope the sign of y no longer tells which side x was on.
    private sealed class LeakyReluNode(Tensor x, float slope) : GradNode(x)
    {
        public override string Name => "LeakyReluBackward";
        protected internal override void Backward(Tensor dy) => AccumulateGrad(0, Map(x, dy, new LeakyReluGrad(slope)));
    }
}
