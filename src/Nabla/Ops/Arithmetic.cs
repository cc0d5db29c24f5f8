using System.Numerics;
using System.Numerics.Tensors;

namespace Nabla;

// The four arithmetic ops with broadcasting, and negation.
//   z = a + b:  da += dz,      db += dz
//   z = a - b:  da += dz,      db -= dz
//   z = a * b:  da += dz * b,  db += dz * a
//   z = a / b:  da += dz / b,  db -= dz * z / b      (reuses z = a / b)
// Gradients come back in the broadcast shape; AccumulateGrad sums them down to each input's shape.
public partial class Tensor
{
    /// <summary>Elementwise sum with broadcasting.</summary>
    public static Tensor operator +(Tensor a, Tensor b)
    {
        var z = Binary(a, b, "Add", new AddKernel());
        return NeedsGrad(a, b) ? z.WithGradFn(new AddNode(a, b)) : z;
    }

    /// <summary>Elementwise difference with broadcasting.</summary>
    public static Tensor operator -(Tensor a, Tensor b)
    {
        var z = Binary(a, b, "Sub", new SubKernel());
        return NeedsGrad(a, b) ? z.WithGradFn(new SubNode(a, b)) : z;
    }

    /// <summary>Elementwise product with broadcasting (not the matrix product: see <c>MatMul</c>).</summary>
    public static Tensor operator *(Tensor a, Tensor b)
    {
        var z = Binary(a, b, "Mul", new MulKernel());
        return NeedsGrad(a, b) ? z.WithGradFn(new MulNode(a, b)) : z;
    }

    /// <summary>Elementwise quotient with broadcasting.</summary>
    public static Tensor operator /(Tensor a, Tensor b)
    {
        var z = Binary(a, b, "Div", new DivKernel());
        return NeedsGrad(a, b) ? z.WithGradFn(new DivNode(a, b, z)) : z;
    }

    /// <summary>Elementwise negation.</summary>
    public static Tensor operator -(Tensor a)
    {
        var z = Unary(a, new NegKernel());
        return NeedsGrad(a) ? z.WithGradFn(new NegNode(a)) : z;
    }

    /// <summary>Adds a number to every element.</summary>
    public static Tensor operator +(Tensor a, float b) => a + ScalarLike(a, b);
    /// <summary>Adds a number to every element.</summary>
    public static Tensor operator +(float a, Tensor b) => ScalarLike(b, a) + b;
    /// <summary>Subtracts a number from every element.</summary>
    public static Tensor operator -(Tensor a, float b) => a - ScalarLike(a, b);
    /// <summary>Subtracts every element from a number.</summary>
    public static Tensor operator -(float a, Tensor b) => ScalarLike(b, a) - b;
    /// <summary>Multiplies every element by a number.</summary>
    public static Tensor operator *(Tensor a, float b) => a * ScalarLike(a, b);
    /// <summary>Multiplies every element by a number.</summary>
    public static Tensor operator *(float a, Tensor b) => ScalarLike(b, a) * b;
    /// <summary>Divides every element by a number.</summary>
    public static Tensor operator /(Tensor a, float b) => a / ScalarLike(a, b);
    /// <summary>Divides a number by every element.</summary>
    public static Tensor operator /(float a, Tensor b) => ScalarLike(b, a) / b;

    /// <summary>A rank-0 tensor holding <paramref name="value"/> in <paramref name="like"/>'s dtype (so float32 stays float32).</summary>
    internal static Tensor ScalarLike(Tensor like, double value) =>
        like.DType == DType.Float64 ? Scalar(value) : Scalar((float)value);

    private readonly struct AddKernel : IBinarySpanOp
    {
        public void Invoke<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Add(x, y, d);
        public void Invoke<T>(ReadOnlySpan<T> x, T y, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Add(x, y, d);
        public void Invoke<T>(T x, ReadOnlySpan<T> y, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Add(y, x, d);
    }

    private readonly struct SubKernel : IBinarySpanOp
    {
        public void Invoke<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Subtract(x, y, d);
        public void Invoke<T>(ReadOnlySpan<T> x, T y, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Subtract(x, y, d);
        public void Invoke<T>(T x, ReadOnlySpan<T> y, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Subtract(x, y, d);
    }

    private readonly struct MulKernel : IBinarySpanOp
    {
        public void Invoke<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Multiply(x, y, d);
        public void Invoke<T>(ReadOnlySpan<T> x, T y, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Multiply(x, y, d);
        public void Invoke<T>(T x, ReadOnlySpan<T> y, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Multiply(y, x, d);
    }

    private readonly struct DivKernel : IBinarySpanOp
    {
        public void Invoke<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Divide(x, y, d);
        public void Invoke<T>(ReadOnlySpan<T> x, T y, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Divide(x, y, d);
        public void Invoke<T>(T x, ReadOnlySpan<T> y, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Divide(x, y, d);
    }

    private readonly struct NegKernel : IUnarySpanOp
    {
        public void Invoke<T>(ReadOnlySpan<T> x, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Negate(x, d);
    }

    private sealed class AddNode(Tensor a, Tensor b) : GradNode(a, b)
    {
        public override string Name => "AddBackward";
        protected internal override void Backward(Tensor dz)
        {
            AccumulateGrad(0, dz);
            AccumulateGrad(1, dz);
        }
    }

    private sealed class SubNode(Tensor a, Tensor b) : GradNode(a, b)
    {
        public override string Name => "SubBackward";
        protected internal override void Backward(Tensor dz)
        {
            AccumulateGrad(0, dz);
            if (NeedsGrad(1)) AccumulateGrad(1, -dz);
        }
    }

    private sealed class MulNode(Tensor a, Tensor b) : GradNode(a, b)
    {
        public override string Name => "MulBackward";
        protected internal override void Backward(Tensor dz)
        {
            if (NeedsGrad(0)) AccumulateGrad(0, dz * b);
            if (NeedsGrad(1)) AccumulateGrad(1, dz * a);
        }
    }

    private sealed class DivNode(Tensor a, Tensor b, Tensor z) : GradNode(a, b)
    {
        public override string Name => "DivBackward";
        protected internal override void Backward(Tensor dz)
        {
            if (NeedsGrad(0)) AccumulateGrad(0, dz / b);
            if (NeedsGrad(1)) AccumulateGrad(1, -(dz * z / b));
        }
    }

    private sealed class NegNode(Tensor a) : GradNode(a)
    {
        public override string Name => "NegBackward";
        protected internal override void Backward(Tensor dz) => AccumulateGrad(0, -dz);
    }
}
