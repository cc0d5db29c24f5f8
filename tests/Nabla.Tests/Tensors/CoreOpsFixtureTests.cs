using Nabla.Tests.Support;

namespace Nabla.Tests.Tensors;

/// <summary>Core ops against PyTorch (tools/fixtures_core.py): forward values and every input gradient, in float64.</summary>
public class CoreOpsFixtureTests
{
    private const string File = "core_ops.json";

    private static readonly Dictionary<string, Func<Tensor[], Tensor>> Ops = new()
    {
        ["add_same"] = t => t[0] + t[1],
        ["add_broadcast_row"] = t => t[0] + t[1],
        ["add_broadcast_both"] = t => t[0] + t[1],
        ["add_scalar_tensor"] = t => t[0] + t[1],
        ["add_size0"] = t => t[0] + t[1],
        ["sub_broadcast"] = t => t[0] - t[1],
        ["mul_broadcast"] = t => t[0] * t[1],
        ["div_broadcast"] = t => t[0] / t[1],
        ["neg"] = t => -t[0],
        ["scalar_ops"] = t => (2f - t[0]) * 3f / (t[0] + 4f) - 1.5f / (t[0] * t[0] + 1f),
        ["exp"] = t => t[0].Exp(),
        ["log"] = t => t[0].Log(),
        ["tanh"] = t => t[0].Tanh(),
        ["sigmoid"] = t => t[0].Sigmoid(),
        ["relu"] = t => t[0].Relu(),
        ["sum_all"] = t => t[0].Sum(),
        ["sum_dim1"] = t => t[0].Sum(1),
        ["sum_dim0_keepdim"] = t => t[0].Sum(0, keepDim: true),
        ["sum_dims_02"] = t => t[0].Sum([0, 2]),
        ["mean_neg_dim"] = t => t[0].Mean(-1),
        ["transpose_then_add"] = t => t[0].T + t[1],
        ["permute_mul"] = t => t[0].Permute(2, 0, 1) * t[0].Permute(2, 0, 1),
        ["slice_step"] = t => t[0].Slice(1, 1, 4, 2) * 2f,
        ["select_row"] = t => t[0][1] * t[0][2],
        ["reshape_sum"] = t => t[0].Reshape(6, 2).Sum(0),
        ["expand_mul"] = t => t[0].Expand(3, 4) * t[1],
        ["unsqueeze_squeeze"] = t => t[0].Unsqueeze(1).Squeeze() + t[0],
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
    public void VerifyFailsOnAWrongGradient()
    {
        // d(a*b)/da is b; a computation with the same values but a cut graph must be caught.
        var fixture = TorchFixture.Get(File, "mul_broadcast");
        Assert.ThrowsAny<Xunit.Sdk.XunitException>(() => TorchFixture.Verify(fixture, t => t[0] * t[1].Detach() + (t[1] - t[1].Detach())));
    }
}
