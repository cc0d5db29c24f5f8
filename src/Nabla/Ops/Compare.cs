using System.Numerics;
using System.Runtime.Intrinsics;
using Nabla.Kernels;

namespace Nabla;

// Elementwise comparisons with broadcasting: 1 where the relation holds, 0 where not, in the inputs' dtype
// (PyTorch returns bool tensors; Nabla has only float dtypes, and 0/1 floats multiply straight into masks).
// They are not differentiable: the result never requires grad, as in PyTorch. Comparisons with NaN are false
// except Ne. The operators <, >, <=, >= are defined; == and != are not: on a class they mean reference equality,
// and a tensor-valued == would make every `if (t == null)` and dictionary lookup surprising.
public partial class Tensor
{
    /// <summary>1 where this equals <paramref name="other"/> (broadcast), else 0 (<c>x.eq(y)</c>; C# == stays reference equality).</summary>
    public Tensor Eq(Tensor other) => BinaryMap(this, other, "Eq", new EqualOp());
    /// <summary>1 where this differs from <paramref name="other"/> (broadcast), else 0 (<c>x.ne(y)</c>).</summary>
    public Tensor Ne(Tensor other) => BinaryMap(this, other, "Ne", new NotEqualOp());
    /// <summary>1 where this is less than <paramref name="other"/> (broadcast), else 0 (<c>x.lt(y)</c>).</summary>
    public Tensor Lt(Tensor other) => BinaryMap(this, other, "Lt", new LessThanOp());
    /// <summary>1 where this is less than or equal to <paramref name="other"/> (broadcast), else 0 (<c>x.le(y)</c>).</summary>
    public Tensor Le(Tensor other) => BinaryMap(this, other, "Le", new LessThanOrEqualOp());
    /// <summary>1 where this is greater than <paramref name="other"/> (broadcast), else 0 (<c>x.gt(y)</c>).</summary>
    public Tensor Gt(Tensor other) => BinaryMap(this, other, "Gt", new GreaterThanOp());
    /// <summary>1 where this is greater than or equal to <paramref name="other"/> (broadcast), else 0 (<c>x.ge(y)</c>).</summary>
    public Tensor Ge(Tensor other) => BinaryMap(this, other, "Ge", new GreaterThanOrEqualOp());

    /// <summary>1 where an element equals <paramref name="value"/>, else 0.</summary>
    public Tensor Eq(float value) => Eq(ScalarLike(this, value));
    /// <summary>1 where an element differs from <paramref name="value"/>, else 0.</summary>
    public Tensor Ne(float value) => Ne(ScalarLike(this, value));
    /// <summary>1 where an element is less than <paramref name="value"/>, else 0.</summary>
    public Tensor Lt(float value) => Lt(ScalarLike(this, value));
    /// <summary>1 where an element is less than or equal to <paramref name="value"/>, else 0.</summary>
    public Tensor Le(float value) => Le(ScalarLike(this, value));
    /// <summary>1 where an element is greater than <paramref name="value"/>, else 0.</summary>
    public Tensor Gt(float value) => Gt(ScalarLike(this, value));
    /// <summary>1 where an element is greater than or equal to <paramref name="value"/>, else 0.</summary>
    public Tensor Ge(float value) => Ge(ScalarLike(this, value));

    /// <summary>Elementwise a &lt; b as 0/1 (see <see cref="Lt(Tensor)"/>).</summary>
    public static Tensor operator <(Tensor a, Tensor b) => a.Lt(b);
    /// <summary>Elementwise a &gt; b as 0/1 (see <see cref="Gt(Tensor)"/>).</summary>
    public static Tensor operator >(Tensor a, Tensor b) => a.Gt(b);
    /// <summary>Elementwise a &lt;= b as 0/1 (see <see cref="Le(Tensor)"/>).</summary>
    public static Tensor operator <=(Tensor a, Tensor b) => a.Le(b);
    /// <summary>Elementwise a &gt;= b as 0/1 (see <see cref="Ge(Tensor)"/>).</summary>
    public static Tensor operator >=(Tensor a, Tensor b) => a.Ge(b);
    /// <summary>Elementwise a &lt; b as 0/1.</summary>
    public static Tensor operator <(Tensor a, float b) => a.Lt(b);
    /// <summary>Elementwise a &gt; b as 0/1.</summary>
    public static Tensor operator >(Tensor a, float b) => a.Gt(b);
    /// <summary>Elementwise a &lt;= b as 0/1.</summary>
    public static Tensor operator <=(Tensor a, float b) => a.Le(b);
    /// <summary>Elementwise a &gt;= b as 0/1.</summary>
    public static Tensor operator >=(Tensor a, float b) => a.Ge(b);
    /// <summary>Elementwise a &lt; b as 0/1.</summary>
    public static Tensor operator <(float a, Tensor b) => b.Gt(a);
    /// <summary>Elementwise a &gt; b as 0/1.</summary>
    public static Tensor operator >(float a, Tensor b) => b.Lt(a);
    /// <summary>Elementwise a &lt;= b as 0/1.</summary>
    public static Tensor operator <=(float a, Tensor b) => b.Ge(a);
    /// <summary>Elementwise a &gt;= b as 0/1.</summary>
    public static Tensor operator >=(float a, Tensor b) => b.Le(a);

    internal readonly struct EqualOp : IBinaryOperator
    {
        public T Invoke<T>(T x, T y) where T : unmanaged, IFloatingPointIeee754<T> => x == y ? T.One : T.Zero;
        public Vector256<T> Invoke<T>(Vector256<T> x, Vector256<T> y) where T : unmanaged, IFloatingPointIeee754<T> =>
            Vector256.Equals(x, y) & Vector256<T>.One;
    }

    internal readonly struct NotEqualOp : IBinaryOperator
    {
        public T Invoke<T>(T x, T y) where T : unmanaged, IFloatingPointIeee754<T> => x != y ? T.One : T.Zero;
        public Vector256<T> Invoke<T>(Vector256<T> x, Vector256<T> y) where T : unmanaged, IFloatingPointIeee754<T> =>
            Vector256.AndNot(Vector256<T>.One, Vector256.Equals(x, y));
    }

    internal readonly struct LessThanOp : IBinaryOperator
    {
        public T Invoke<T>(T x, T y) where T : unmanaged, IFloatingPointIeee754<T> => x < y ? T.One : T.Zero;
        public Vector256<T> Invoke<T>(Vector256<T> x, Vector256<T> y) where T : unmanaged, IFloatingPointIeee754<T> =>
            Vector256.LessThan(x, y) & Vector256<T>.One;
    }

    internal readonly struct LessThanOrEqualOp : IBinaryOperator
    {
        public T Invoke<T>(T x, T y) where T : unmanaged, IFloatingPointIeee754<T> => x <= y ? T.One : T.Zero;
        public Vector256<T> Invoke<T>(Vector256<T> x, Vector256<T> y) where T : unmanaged, IFloatingPointIeee754<T> =>
            Vector256.LessThanOrEqual(x, y) & Vector256<T>.One;
    }

    internal readonly struct GreaterThanOp : IBinaryOperator
    {
        public T Invoke<T>(T x, T y) where T : unmanaged, IFloatingPointIeee754<T> => x > y ? T.One : T.Zero;
        public Vector256<T> Invoke<T>(Vector256<T> x, Vector256<T> y) where T : unmanaged, IFloatingPointIeee754<T> =>
            Vector256.GreaterThan(x, y) & Vector256<T>.One;
    }

    internal readonly struct GreaterThanOrEqualOp : IBinaryOperator
    {
        public T Invoke<T>(T x, T y) where T : unmanaged, IFloatingPointIeee754<T> => x >= y ? T.One : T.Zero;
        public Vector256<T> Invoke<T>(Vector256<T> x, Vector256<T> y) where T : unmanaged, IFloatingPointIeee754<T> =>
            Vector256.GreaterThanOrEqual(x, y) & Vector256<T>.One;
    }
}
