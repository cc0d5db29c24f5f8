
namespace Nabla.Tests.Support;

/// <summary>One recorded PyTorch computation: inputs, output gradient, output, and input gradients (all float64).</summary>
public sealed record FixtureCase(string Name, FixtureTensor[] Inputs, FixtureTensor GradOutput, FixtureTensor Output, FixtureTensor?[] Grads)
{
    public override string ToString() => Name;
}

/// <summary>A tensor as stored in a fixture file.</summary>
public sealed record FixtureTensor(int[] Shape, double[] Data, bool RequiresGrad = false)
{
    /// <summary>A float64 leaf tensor with these values.</summary>
    public Tensor ToTensor()
    {
        var t = Tensor.FromArray(Data, Shape.Length == 0 ? [] : Shape);
        if (Shape.Length == 0) t = t.Reshape();
        return t;
    }
}

/// <summary>
/// Loads fixtures written by the scripts in tools/ (see tools/fixturelib.py) and compares a Nabla
/// computation against them: the forward values, then every input gradient for the same output gradient.
/// </summary>
public static class TorchFixture
{
    public static IReadOnlyList<FixtureCase> Load(string fileName) => FixtureCases<FixtureCase>.Load(fileName);

    public static FixtureCase Get(string fileName, string name) =>
        Load(fileName).FirstOrDefault(c => c.Name == name)
        ?? throw new KeyNotFoundException($"No case '{name}' in fixture {fileName}; regenerate it with the script in tools/.");

    /// <summary>xunit MemberData: one row per case name in the file.</summary>
    public static IEnumerable<object[]> Names(string fileName) => Load(fileName).Select(c => new object[] { c.Name });

    /// <summary>
    /// Runs <paramref name="function"/> on the case's inputs in float64, checks the output against PyTorch's,
    /// backpropagates PyTorch's output gradient and checks each input gradient. Tolerances are relative to the
    /// values' scale and tight enough that a wrong formula fails.
    /// </summary>
    public static void Verify(FixtureCase fixture, Func<Tensor[], Tensor> function, double tolerance = 1e-9)
    {
        var inputs = fixture.Inputs.Select(i =>
        {
            var t = i.ToTensor();
            t.RequiresGrad = i.RequiresGrad;
            return t;
        }).ToArray();
        var output = function(inputs);
        AssertClose(fixture.Output, output, tolerance, $"{fixture.Name}: output");
        if (!output.RequiresGrad) return;
        output.Backward(fixture.GradOutput.ToTensor());
        for (int i = 0; i < inputs.Length; i++)
        {
            var expected = fixture.Grads[i];
            if (expected is null) continue;
            var actual = inputs[i].Grad ?? Tensor.ZerosLike(inputs[i]);
            AssertClose(expected, actual, tolerance, $"{fixture.Name}: gradient of input {i}");
        }
    }

    /// <summary>Asserts same shape and |actual - expected| &lt;= tol * (1 + |expected|) element by element (NaN and inf must match).</summary>
    public static void AssertClose(FixtureTensor expected, Tensor actual, double tolerance, string what)
    {
        Assert.True(expected.Shape.SequenceEqual(actual.Shape),
            $"{what}: shape {Fmt(actual.Shape)} but PyTorch gives {Fmt(expected.Shape)}");
        var values = actual.ToDoubleArray();
        for (int i = 0; i < values.Length; i++)
        {
            double e = expected.Data[i], a = values[i];
            bool ok = double.IsNaN(e) ? double.IsNaN(a)
                : double.IsInfinity(e) ? a == e
                : Math.Abs(a - e) <= tolerance * (1 + Math.Abs(e));
            Assert.True(ok, $"{what}: element {i} is {a:R} but PyTorch gives {e:R}");
        }
    }

    private static string Fmt(IEnumerable<int> shape) => "(" + string.Join(", ", shape) + ")";

}
