using Nabla.NN;
using Nabla.Optim;
using Nabla.Tests.Support;

namespace Nabla.Tests.Optim;

/// <summary>clip_grad_norm_ and clip_grad_value_ against PyTorch, in float64 and float32.</summary>
public class GradClipTests
{
    public static IEnumerable<object[]> Cases => OptimFixture.ClipNames;

    private static Parameter[] WithGradients(ClipCase c, DType dtype) => c.Grads.Select(g =>
    {
        var p = new Parameter(Tensor.Zeros(dtype, g?.Shape ?? [1]));
        p.Grad = g?.ToTensor().To(dtype);
        return p;
    }).ToArray();

    [Theory]
    [MemberData(nameof(Cases))]
    public void MatchesPyTorchInFloat64(string name) => Check(name, DType.Float64, 1e-12);

    [Theory]
    [MemberData(nameof(Cases))]
    public void MatchesPyTorchInFloat32(string name) => Check(name, DType.Float32, 1e-5);

    private static void Check(string name, DType dtype, double tolerance)
    {
        var c = OptimFixture.Clipping.Single(x => x.Name == name);
        var ps = WithGradients(c, dtype);
        if (c.Kind == "norm")
        {
            double normType = c.NormType.ValueKind == System.Text.Json.JsonValueKind.String ? double.PositiveInfinity : c.NormType.GetDouble();
            double total = GradClip.ClipGradNorm(ps, c.MaxNorm, normType);
            Assert.True(Math.Abs(total - c.TotalNorm) <= tolerance * Math.Abs(c.TotalNorm), $"{name}: total norm {total:R} but PyTorch gives {c.TotalNorm:R}");
        }
        else GradClip.ClipGradValue(ps, c.ClipValue);
        for (int k = 0; k < ps.Length; k++)
        {
            if (c.Clipped[k] is null) Assert.Null(ps[k].Grad);
            else TorchFixture.AssertClose(c.Clipped[k]!, ps[k].Grad!, tolerance, $"{name}: gradient {k}");
        }
    }

    [Fact]
    public void TheFixtureClipsSomeCasesAndNotOthers()
    {
        var clipped = OptimFixture.Clipping.Single(c => c.Name == "norm2_clipped");
        var unclipped = OptimFixture.Clipping.Single(c => c.Name == "norm2_unclipped");
        Assert.NotEqual(clipped.Grads[0]!.Data, clipped.Clipped[0]!.Data);
        Assert.Equal(unclipped.Grads[0]!.Data, unclipped.Clipped[0]!.Data);
    }

    [Fact]
    public void NoGradientsGiveZero()
    {
        var p = new Parameter(Tensor.Ones(3));
        Assert.Equal(0, GradClip.ClipGradNorm([p], 1.0));
    }

    [Fact]
    public void NonContiguousGradientIsClippedInPlace()
    {
        var p = new Parameter(Tensor.Zeros(DType.Float64, 2, 3));
        var grad = Tensor.FromArray(new double[] { 3, 0, 0, 4, 0, 0 }, 3, 2).T; // (2, 3) view [[3, 0, 0], [0, 4, 0]], not contiguous
        Assert.False(grad.IsContiguous);
        p.Grad = grad;
        Assert.Equal(5, GradClip.ClipGradNorm([p], 1.0), 12);
        Assert.Same(grad, p.Grad);
        double scale = 1 / (5 + 1e-6);
        var expected = new[] { 3 * scale, 0, 0, 0, 4 * scale, 0 };
        var actual = p.Grad!.ToDoubleArray();
        for (int i = 0; i < expected.Length; i++) Assert.Equal(expected[i], actual[i], 12);
    }

    [Fact]
    public void NonFiniteNormThrowsWhenAsked()
    {
        var p = new Parameter(Tensor.Zeros(3));
        p.Grad = Tensor.FromArray([1f, float.PositiveInfinity, 2f]);
        var error = Assert.Throws<InvalidOperationException>(() => GradClip.ClipGradNorm([p], 1.0, errorIfNonFinite: true));
        Assert.Contains("total norm of order 2", error.Message);
        Assert.Equal(double.PositiveInfinity, GradClip.ClipGradNorm([p], 1.0));
    }

    [Theory]
    [InlineData(-1.0, 2.0, "maxNorm")]
    [InlineData(double.NaN, 2.0, "maxNorm")]
    [InlineData(1.0, 0.0, "normType")]
    [InlineData(1.0, -2.0, "normType")]
    public void BadArgumentsAreRefused(double maxNorm, double normType, string parameter)
    {
        var error = Assert.Throws<ArgumentException>(() => GradClip.ClipGradNorm([new Parameter(Tensor.Ones(2))], maxNorm, normType));
        Assert.Equal(parameter, error.ParamName);
        Assert.Contains($"{parameter} must be", error.Message);
        Assert.Throws<ArgumentException>(() => GradClip.ClipGradValue([new Parameter(Tensor.Ones(2))], -0.5));
    }
}
