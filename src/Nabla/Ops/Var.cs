using System.Numerics;
using System.Runtime.Intrinsics;
using Nabla.Kernels;

namespace Nabla;

// var(x) = sum((x - mean)^2) / (N - correction) over the dims, N the number of elements reduced.
//   Two passes (the mean first, then squared deviations): E[x^2] - E[x]^2 would cancel catastrophically when
//   the mean is large against the spread. Composite: the gradient 2 (x - mean) dy / (N - correction) comes from
//   Sub/Mul/Sum/Div (the path through the mean adds dy * sum(x - mean) = 0).
// std(x) = sqrt(var(x));  dvar += dy / (2 std), but 0 where std = 0 (PyTorch's convention; sqrt's would be inf * 0)
public partial class Tensor
{
    /// <summary>
    /// The variance over <paramref name="dims"/> (all dims when null), <c>x.var(dims, correction=1, keepdim)</c>:
    /// sum((x - mean)^2) / (N - <paramref name="correction"/>). The default correction 1 is the unbiased estimate
    /// (Bessel's correction), as PyTorch; 0 gives the population variance. N &lt;= correction gives inf or NaN.
    /// </summary>
    public Tensor Var(int[]? dims = null, bool keepDim = false, int correction = 1)
    {
        var d = dims ?? AllDims();
        var mask = ReducedDimsMask(d, "Var");
        long n = 1;
        for (int i = 0; i < Rank; i++) if (mask[i]) n *= shape[i];
        var centered = this - Mean(d, keepDim: true);
        return (centered * centered).Sum(d, keepDim) / (float)Math.Max(0, n - correction);
    }

    /// <summary>The variance over one dim (see <see cref="Var(int[], bool, int)"/>).</summary>
    public Tensor Var(int dim, bool keepDim = false, int correction = 1) => Var([dim], keepDim, correction);

    /// <summary>The standard deviation, sqrt of <see cref="Var(int[], bool, int)"/> (<c>x.std(dims, correction=1, keepdim)</c>).</summary>
    public Tensor Std(int[]? dims = null, bool keepDim = false, int correction = 1)
    {
        var v = Var(dims, keepDim, correction);
        var s = Unary(v, new SqrtKernel());
        return NeedsGrad(v) ? s.WithGradFn(new StdNode(v, s)) : s;
    }

    /// <summary>The standard deviation over one dim.</summary>
    public Tensor Std(int dim, bool keepDim = false, int correction = 1) => Std([dim], keepDim, correction);

    /// <summary>(s, dy) -> dy / (2 s), or 0 where s = 0.</summary>
    internal readonly struct StdGrad : IBinaryOperator
    {
        public T Invoke<T>(T s, T dy) where T : unmanaged, IFloatingPointIeee754<T> => s == T.Zero ? T.Zero : dy / (s + s);
        public Vector256<T> Invoke<T>(Vector256<T> s, Vector256<T> dy) where T : unmanaged, IFloatingPointIeee754<T> =>
            Vector256.ConditionalSelect(Vector256.Equals(s, Vector256<T>.Zero), Vector256<T>.Zero, dy / (s + s));
    }

    private sealed class StdNode(Tensor variance, Tensor s) : GradNode(variance)
    {
        public override string Name => "StdBackward";
        protected internal override void Backward(Tensor dy) => AccumulateGrad(0, Map(s, dy, new StdGrad()));
    }
}
