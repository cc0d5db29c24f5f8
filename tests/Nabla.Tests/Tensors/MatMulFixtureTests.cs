using Nabla.Autograd;
using Nabla.Tests.Support;

namespace Nabla.Tests.Tensors;

/// <summary>MatMul and Linear against PyTorch (tools/fixtures_matmul.py), forward and gradients in float64.</summary>
public class MatMulFixtureTests
{
    private const string File = "matmul_ops.json";

    private static readonly Dictionary<string, Func<Tensor[], Tensor>> Ops = new()
    {
        ["dot_1d_1d"] = t => t[0].MatMul(t[1]),
        ["mv_2d_1d"] = t => t[0].MatMul(t[1]),
        ["vm_1d_2d"] = t => t[0].MatMul(t[1]),
        ["mm_2d_2d"] = t => t[0].MatMul(t[1]),
        ["mm_odd_sizes"] = t => t[0].MatMul(t[1]),
        ["mm_transposed_a"] = t => t[0].T.MatMul(t[1]),
        ["mm_transposed_b"] = t => t[0].MatMul(t[1].T),
        ["mm_both_transposed"] = t => t[0].T.MatMul(t[1].T),
        ["mm_sliced"] = t => t[0].Slice(1, 1, 4).MatMul(t[1].Slice(0, step: 2)),
        ["bmm_3d_3d"] = t => t[0].MatMul(t[1]),
        ["bmm_3d_2d"] = t => t[0].MatMul(t[1]),
        ["bmm_2d_3d"] = t => t[0].MatMul(t[1]),
        ["bmm_broadcast_batch"] = t => t[0].MatMul(t[1]),
        ["bmm_1d_3d"] = t => t[0].MatMul(t[1]),
        ["bmm_3d_1d"] = t => t[0].MatMul(t[1]),
        ["bmm_transposed_batch"] = t => t[0].Transpose(1, 2).MatMul(t[1]),
        ["mm_empty_rows"] = t => t[0].MatMul(t[1]),
        ["mm_empty_inner"] = t => t[0].MatMul(t[1]),
        ["linear_bias"] = t => Tensor.Linear(t[0], t[1], t[2]),
        ["linear_no_bias"] = t => Tensor.Linear(t[0], t[1]),
        ["linear_3d_input"] = t => Tensor.Linear(t[0], t[1], t[2]),
        ["linear_1d_input"] = t => Tensor.Linear(t[0], t[1], t[2]),
        ["linear_transposed_input"] = t => Tensor.Linear(t[0].T, t[1], t[2]),
    };

    public static IEnumerable<object[]> Cases => TorchFixture.Names(File);

    [Theory]
    [MemberData(nameof(Cases))]
    public void MatchesPyTorch(string name)
    {
        Assert.True(Ops.ContainsKey(name), $"no Nabla computation registered for fixture case '{name}'");
        TorchFixture.Verify(TorchFixture.Get(File, name), Ops[name]);
    }

    [Fact]
    public void EveryRegisteredOpHasAFixture() =>
        Assert.Equal(Ops.Keys.OrderBy(k => k), TorchFixture.Load(File).Select(c => c.Name).OrderBy(k => k));

    [Fact]
    public void Float32MatchesFloat64WithinSinglePrecision()
    {
        var g = new Generator(7);
        var a = Tensor.Randn([33, 47], g);
        var b = Tensor.Randn([47, 29], g);
        var c32 = a.MatMul(b).ToDoubleArray();
        var c64 = a.Double().MatMul(b.Double()).ToDoubleArray();
        for (int i = 0; i < c32.Length; i++) Assert.True(Math.Abs(c32[i] - c64[i]) < 1e-4 * (1 + Math.Abs(c64[i])), $"element {i}");
    }

    [Fact]
    public void GradCheckPassesForMatMulAndLinear()
    {
        var g = new Generator(11);
        var r1 = GradCheck.Check(t => t[0].MatMul(t[1]), [Tensor.Randn([2, 3, 4], g), Tensor.Randn([4, 5], g)]);
        Assert.True(r1.Passed, r1.Message);
        var r2 = GradCheck.Check(t => Tensor.Linear(t[0], t[1], t[2]), [Tensor.Randn([3, 4], g), Tensor.Randn([2, 4], g), Tensor.Randn([2], g)]);
        Assert.True(r2.Passed, r2.Message);
    }

    [Fact]
    public void BadShapesAreNamed()
    {
        var ex = Assert.Throws<ArgumentException>(() => Tensor.Zeros(2, 3).MatMul(Tensor.Zeros(4, 5)));
        Assert.Contains("(2, 3) @ (4, 5)", ex.Message);
        ex = Assert.Throws<ArgumentException>(() => Tensor.Zeros(2, 3, 4).MatMul(Tensor.Zeros(5, 4, 2)));
        Assert.Contains("broadcast", ex.Message);
        ex = Assert.Throws<ArgumentException>(() => Tensor.Linear(Tensor.Zeros(2, 3), Tensor.Zeros(4, 5)));
        Assert.Contains("(2, 3)", ex.Message);
        Assert.Contains("(4, 5)", ex.Message);
    }
}
