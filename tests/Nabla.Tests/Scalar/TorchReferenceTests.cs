using System.Text.Json;
using Nabla.Scalar;

namespace Nabla.Tests.Scalar;

// Every op's value and input gradients against PyTorch in float64 (tools/scalar_fixtures.py).
public class TorchReferenceTests
{
    // The same names as OPS in tools/scalar_fixtures.py: they are the contract between the two.
    private static readonly Dictionary<string, Func<Value[], double, Value>> Ops = new()
    {
        ["add"] = (x, _) => x[0] + x[1],
        ["mul"] = (x, _) => x[0] * x[1],
        ["pow"] = (x, p) => x[0].Pow(p),
        ["exp"] = (x, _) => x[0].Exp(),
        ["log"] = (x, _) => x[0].Log(),
        ["tanh"] = (x, _) => x[0].Tanh(),
        ["relu"] = (x, _) => x[0].Relu(),
        ["sigmoid"] = (x, _) => x[0].Sigmoid(),
        ["neg"] = (x, _) => -x[0],
        ["sub"] = (x, _) => x[0] - x[1],
        ["div"] = (x, _) => x[0] / x[1],
        ["add_const"] = (x, p) => x[0] + p,
        ["const_add"] = (x, p) => p + x[0],
        ["sub_const"] = (x, p) => x[0] - p,
        ["const_sub"] = (x, p) => p - x[0],
        ["mul_const"] = (x, p) => x[0] * p,
        ["const_mul"] = (x, p) => p * x[0],
        ["div_const"] = (x, p) => x[0] / p,
        ["const_div"] = (x, p) => p / x[0],
        ["self_add"] = (x, _) => x[0] + x[0],
        ["self_mul"] = (x, _) => x[0] * x[0],
        ["double_double"] = (x, _) => (x[0] + x[0]) + (x[0] + x[0]),
        ["neuron"] = (x, _) => (x[0] * x[2] + x[1] * x[3] + x[4]).Tanh(),
        ["softplus"] = (x, _) => (1 + x[0].Exp()).Log(),
        ["mixed"] = (x, _) => (x[0] * x[1] + x[2]).Tanh() * x[0].Sigmoid() / (x[1].Pow(2) + 1)
                              - (x[2] * x[2] + 0.5).Log() + (x[0] - x[1]).Relu().Pow(3),
        ["micrograd_readme"] = (x, _) => ValueTests.MicrogradReadme(x[0], x[1]),
    };

    // Tight: a few ulps of double precision, relative above 1 and absolute below.
    private const double Tolerance = 1e-12;

    public sealed record Case(string Op, double[] Inputs, double? Param, double Value, double[] Grads)
    {
        public override string ToString() => $"{Op}({string.Join(", ", Inputs)}{(Param is null ? "" : $"; {Param}")})";
    }

    private sealed record Fixture(string Generator, string Torch, string Dtype, Case[] Cases);

    private static readonly Lazy<Fixture> fixture = new(() =>
    {
        string path = Path.Combine(AppContext.BaseDirectory, "Fixtures", "scalar_ops.json");
        var options = new JsonSerializerOptions { PropertyNameCaseInsensitive = true };
        return JsonSerializer.Deserialize<Fixture>(File.ReadAllText(path), options)
               ?? throw new InvalidDataException($"{path} is empty.");
    });

    public static TheoryData<int> CaseIndices()
    {
        var data = new TheoryData<int>();
        for (int i = 0; i < fixture.Value.Cases.Length; i++)
            data.Add(i);
        return data;
    }

    [Theory]
    [MemberData(nameof(CaseIndices))]
    public void ValueAndGradients_MatchPyTorch(int index)
    {
        var c = fixture.Value.Cases[index];
        var inputs = c.Inputs.Select(x => new Value(x)).ToArray();
        var y = Ops[c.Op](inputs, c.Param ?? 0);
        y.Backward();

        AssertClose(c.Value, y.Data, $"{c}: value");
        Assert.Equal(c.Grads.Length, inputs.Length);
        for (int i = 0; i < inputs.Length; i++)
            AssertClose(c.Grads[i], inputs[i].Grad, $"{c}: d/dx{i}");
    }

    [Fact]
    public void Fixture_CoversEveryOp_AndComesFromFloat64()
    {
        Assert.Equal("float64", fixture.Value.Dtype);
        Assert.True(fixture.Value.Cases.Length > 100, "too few cases");
        var ops = fixture.Value.Cases.Select(c => c.Op).ToHashSet();
        Assert.Equal(Ops.Keys.Order(), ops.Order());
    }

    // The comparison must be able to fail: a value off by 1e-10 relative is rejected.
    [Fact]
    public void Comparison_RejectsAValueOffByOneTenBillionth()
    {
        Assert.False(Close(24.70408163265306, 24.70408163265306 * (1 + 1e-10)));
        Assert.False(Close(0.5, 0.5 + 1e-11));
        Assert.True(Close(24.70408163265306, 24.70408163265306 * (1 + 1e-15)));
    }

    private static bool Close(double expected, double actual) =>
        Math.Abs(expected - actual) <= Tolerance * Math.Max(1, Math.Abs(expected));

    private static void AssertClose(double expected, double actual, string what) =>
        Assert.True(Close(expected, actual), $"{what}: expected {expected:R}, got {actual:R} (diff {actual - expected:E2})");
}
