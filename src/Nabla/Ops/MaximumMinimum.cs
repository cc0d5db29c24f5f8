using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.Intrinsics;
using Nabla.Kernels;

namespace Nabla;

// z = max(a, b) elementwise with broadcasting (NaN if either is NaN), and likewise min.
//   Maximum: da += dz * share(a, b), db += dz * share(b, a),  share(u, v) = 0 if u < v, 1/2 if u == v, else 1
//   Minimum: the same with the comparison reversed.
// Ties split the gradient half and half, as PyTorch does (so that the two shares always add up to dz).
public partial class Tensor
{
    /// <summary>Elementwise maximum of this and <paramref name="other"/> with broadcasting (<c>torch.maximum</c>); NaN wins.</summary>
    public Tensor Maximum(Tensor other)
    {
        var z = Binary(this, other, "Maximum", new MaximumKernel());
        return NeedsGrad(this, other) ? z.WithGradFn(new MaximumNode(this, other, isMax: true)) : z;
    }

    /// <summary>Elementwise minimum of this and <paramref name="other"/> with broadcasting (<c>torch.minimum</c>); NaN wins.</summary>
    public Tensor Minimum(Tensor other)
    {
        var z = Binary(this, other, "Minimum", new MinimumKernel());
        return NeedsGrad(this, other) ? z.WithGradFn(new MaximumNode(this, other, isMax: false)) : z;
    }

    private readonly struct MaximumKernel : IBinarySpanOp
    {
        public void Invoke<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Max(x, y, d);
        public void Invoke<T>(ReadOnlySpan<T> x, T y, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Max(x, y, d);
        public void Invoke<T>(T x, ReadOnlySpan<T> y, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Max(y, x, d);
    }

    private readonly struct MinimumKernel : IBinarySpanOp
    {
        public void Invoke<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Min(x, y, d);
        public void Invoke<T>(ReadOnlySpan<T> x, T y, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Min(x, y, d);
        public void Invoke<T>(T x, ReadOnlySpan<T> y, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Min(y, x, d);
    }

    /// <summary>(u, v) -> the share of the gradient of max(u, v) that goes to u: 0 if u &lt; v, 1/2 if equal, else 1.</summary>
    internal readonly struct MaximumShare : IBinaryOperator
    {
        public T Invoke<T>(T u, T v) where T : unmanaged, IFloatingPointIeee754<T> =>
            u < v ? T.Zero : u == v ? T.CreateTruncating(0.5) : T.One;
        public Vector256<T> Invoke<T>(Vector256<T> u, Vector256<T> v) where T : unmanaged, IFloatingPointIeee754<T> =>
            Vector256.ConditionalSelect(Vector256.LessThan(u, v), Vector256<T>.Zero,
                Vector256.ConditionalSelect(Vector256.Equals(u, v), Vector256.Create(T.CreateTruncating(0.5)), Vector256<T>.One));
    }

    /// <summary>(u, v) -> the share of the gradient of min(u, v) that goes to u: 0 if u &gt; v, 1/2 if equal, else 1.</summary>
    internal readonly struct MinimumShare : IBinaryOperator
    {
        public T Invoke<T>(T u, T v) where T : unmanaged, IFloatingPointIeee754<T> =>
            u > v ? T.Zero : u == v ? T.CreateTruncating(0.5) : T.One;
        public Vector256<T> Invoke<T>(Vector256<T> u, Vector256<T> v) where T : unmanaged, IFloatingPointIeee754<T> =>
            Vector256.ConditionalSelect(Vector256.GreaterThan(u, v), Vector256<T>.Zero,
                Vector256.ConditionalSelect(Vector256.Equals(u, v), Vector256.Create(T.CreateTruncating(0.5)), Vector256<T>.One));
    }

    private sealed class MaximumNode(Tensor a, Tensor b, bool isMax) : GradNode(a, b)
    {
        public override string Name => isMax ? "MaximumBackward" : "MinimumBackward";
        protected internal override void Backward(Tensor dz)
        {
            if (NeedsGrad(0)) AccumulateGrad(0, dz * Share(a, b));
            if (NeedsGrad(1)) AccumulateGrad(1, dz * Share(b, a));
        }

        private Tensor Share(Tensor u, Tensor v) =>
            isMax ? BinaryMap(u, v, Name, new MaximumShare()) : BinaryMap(u, v, Name, new MinimumShare());
    }
}
