using System.Numerics;
using System.Numerics.Tensors;

namespace Nabla;

// Binary cross-entropy of probabilities x against targets y, elementwise, as PyTorch computes it:
//   l = -(y * max(log x, -100) + (1 - y) * max(log(1 - x), -100))
//   dx += dy * (x - y) / max(x (1 - x), 1e-12),   dy_target += dy * (log(1 - x) - log x)
// Its own op because PyTorch's backward is not the derivative of its clamped forward: the clamp keeps the loss finite
// at x = 0 or 1, and the 1e-12 keeps the gradient finite there, where a composite (Log, Clamp, Mul) would give 0 * inf = NaN.
public partial class Tensor
{
    /// <summary>The elementwise binary cross-entropy of probabilities <paramref name="input"/> against <paramref name="target"/> (same shape).</summary>
    internal static Tensor BinaryCrossEntropy(Tensor input, Tensor target)
    {
        var x = input.Detach().Contiguous();
        if (x.NumEl > 0)
        {
            double lo = x.DType == DType.Float64 ? TensorPrimitives.Min<double>(x.Span<double>()) : TensorPrimitives.Min<float>(x.Span<float>());
            double hi = x.DType == DType.Float64 ? TensorPrimitives.Max<double>(x.Span<double>()) : TensorPrimitives.Max<float>(x.Span<float>());
            if (!(lo >= 0 && hi <= 1))
                throw new ArgumentException(
                    $"BCELoss: the input must hold probabilities in [0, 1] (for logits use BCEWithLogitsLoss), but it holds {(double.IsNaN(hi) || hi > 1 ? hi : lo)}.");
        }
        var loss = Binary(input, target, "BCELoss", new BceKernel());
        return NeedsGrad(input, target) ? loss.WithGradFn(new BceNode(input, target)) : loss;
    }

    private readonly struct BceKernel : IBinarySpanOp
    {
        public void Invoke<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T>
        {
            for (int i = 0; i < x.Length; i++) d[i] = Loss(x[i], y[i]);
        }

        public void Invoke<T>(ReadOnlySpan<T> x, T y, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T>
        {
            for (int i = 0; i < x.Length; i++) d[i] = Loss(x[i], y);
        }

        public void Invoke<T>(T x, ReadOnlySpan<T> y, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T>
        {
            for (int i = 0; i < y.Length; i++) d[i] = Loss(x, y[i]);
        }

        private static T Loss<T>(T x, T y) where T : IFloatingPointIeee754<T>
        {
            T floor = T.CreateTruncating(-100);
            return -(y * T.Max(T.Log(x), floor) + (T.One - y) * T.Max(T.Log(T.One - x), floor));
        }
    }

    /// <summary>(x, y) -> (x - y) / max(x (1 - x), 1e-12).</summary>
    private readonly struct BceInputGradKernel : IBinarySpanOp
    {
        public void Invoke<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T>
        {
            for (int i = 0; i < x.Length; i++) d[i] = Grad(x[i], y[i]);
        }

        public void Invoke<T>(ReadOnlySpan<T> x, T y, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T>
        {
            for (int i = 0; i < x.Length; i++) d[i] = Grad(x[i], y);
        }

        public void Invoke<T>(T x, ReadOnlySpan<T> y, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T>
        {
            for (int i = 0; i < y.Length; i++) d[i] = Grad(x, y[i]);
        }

        // 1e-12f, not 1e-12: PyTorch's EPSILON is a float, and at the edges the gradient is (x - y) / EPSILON itself.
        private static T Grad<T>(T x, T y) where T : IFloatingPointIeee754<T> =>
            (x - y) / T.Max(x * (T.One - x), T.CreateTruncating(1e-12f));
    }

    private sealed class BceNode(Tensor x, Tensor y) : GradNode(x, y)
    {
        public override string Name => "BinaryCrossEntropyBackward";

        protected internal override void Backward(Tensor dy)
        {
            var xv = x.Detach();
            if (NeedsGrad(0)) AccumulateGrad(0, dy * Binary(xv, y.Detach(), "BCELoss", new BceInputGradKernel()));
            if (NeedsGrad(1)) AccumulateGrad(1, dy * ((1f - xv).Log() - xv.Log()));
        }
    }
}
