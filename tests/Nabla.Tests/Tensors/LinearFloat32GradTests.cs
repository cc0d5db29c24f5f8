namespace Nabla.Tests.Tensors;

/// <summary>
/// Linear's float32 weight gradient is written by one GEMM straight into <c>Grad</c> (a new buffer, or added to
/// the one there): checked against dy^T x computed in double, for a fresh gradient, for accumulation across
/// backward calls and uses, and for inputs that are strided views or batched.
/// </summary>
public class LinearFloat32GradTests
{
    private static double[] Expected(Tensor dy, Tensor x) // dy^T x in double: (out, in)
    {
        var d = dy.Reshape(-1, dy.Shape[^1]).Double();
        var xs = x.Reshape(-1, x.Shape[^1]).Double();
        return d.T.MatMul(xs).ToDoubleArray();
    }

    private static void AssertClose(double[] expected, Tensor? actual)
    {
        Assert.NotNull(actual);
        var a = actual!.ToDoubleArray();
        Assert.Equal(expected.Length, a.Length);
        for (int i = 0; i < a.Length; i++)
            Assert.True(Math.Abs(a[i] - expected[i]) <= 1e-5 * (1 + Math.Abs(expected[i])), $"element {i}: {a[i]} vs {expected[i]}");
    }

    [Fact]
    public void Fresh_accumulated_and_shared_weight_gradients_match_dy_transposed_x()
    {
        var g = new Generator(5);
        var x = Tensor.Randn([7, 37], g);   // (B, in): 37 columns, a ragged SIMD tail
        var w = Tensor.Randn([19, 37], g);  // (out, in)
        var b = Tensor.Randn([19], g);
        var dy = Tensor.Randn([7, 19], g);  // (B, out)
        w.RequiresGrad = true;
        b.RequiresGrad = true;

        (Tensor.Linear(x, w, b) * dy).Sum().Backward();
        var first = Expected(dy, x);
        AssertClose(first, w.Grad);
        AssertClose(dy.Sum(0).ToDoubleArray(), b.Grad);

        // Used twice in one graph and backward again: adds 1 + 2 more times the product.
        var y = Tensor.Linear(x, w) + Tensor.Linear(x * 2f, w);
        (y * dy).Sum().Backward();
        AssertClose(first.Select(v => 4 * v).ToArray(), w.Grad);
    }

    [Fact]
    public void Strided_and_batched_inputs_match()
    {
        var g = new Generator(6);
        var xt = Tensor.Randn([33, 4], g).T;   // (4, 33) transposed view: not contiguous
        var x3 = Tensor.Randn([2, 3, 33], g);  // (2, 3, in): rows folded
        var w = Tensor.Randn([9, 33], g);
        w.RequiresGrad = true;
        var dy = Tensor.Randn([4, 9], g);
        (Tensor.Linear(xt, w) * dy).Sum().Backward();
        AssertClose(Expected(dy, xt), w.Grad);

        w.ZeroGrad();
        var dy3 = Tensor.Randn([2, 3, 9], g);
        (Tensor.Linear(x3, w) * dy3).Sum().Backward();
        AssertClose(Expected(dy3, x3), w.Grad);
    }
}
