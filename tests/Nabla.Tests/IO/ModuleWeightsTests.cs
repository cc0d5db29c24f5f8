using System.Text.Json;
using Nabla.IO;

namespace Nabla.Tests.IO;

/// <summary>SaveWeights / LoadWeights: PyTorch state-dict names, weights that cross from PyTorch, and every mismatch listed.</summary>
public class ModuleWeightsTests
{
    private static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "Fixtures", name);

    private static KeyValuePair<string, Tensor> Named(string name, Tensor t) => new(name, t);

    private static Tensor FromJson(JsonElement e) =>
        Tensor.FromArray(e.GetProperty("data").EnumerateArray().Select(v => (float)v.GetDouble()).ToArray(),
            e.GetProperty("shape").EnumerateArray().Select(v => v.GetInt32()).ToArray());

    private static void AssertClose(Tensor expected, Tensor actual, double tolerance)
    {
        Assert.Equal(expected.Shape, actual.Shape);
        var (e, a) = (expected.ToArray(), actual.ToArray());
        for (int i = 0; i < e.Length; i++)
            Assert.True(Math.Abs(e[i] - a[i]) <= tolerance, $"element {i}: expected {e[i]}, got {a[i]}");
    }

    [Fact]
    public void SaveThenLoadRestoresEveryWeightExactly()
    {
        using var folder = new TempFolder();
        string path = folder.File("mlp.safetensors");
        var model = new TestMlp(4, 8, 3, seed: 1);
        model.SaveWeights(path, new Dictionary<string, string> { ["note"] = "trained 3 epochs" });
        var other = new TestMlp(4, 8, 3, seed: 2);
        Assert.NotEqual(model.Snapshot(), other.Snapshot());
        var metadata = other.LoadWeights(path);
        Assert.Equal(model.Snapshot(), other.Snapshot());
        Assert.Equal("pt", metadata["format"]);
        Assert.Equal("trained 3 epochs", metadata["note"]);
        Assert.Equal(["0.bias", "0.weight", "2.bias", "2.weight"], SafeTensors.Load(path).Keys);
    }

    [Fact]
    public void WeightsWrittenByPyTorchGiveTorchsOutput()
    {
        // tools/safetensors_interop.py: torch's nn.Sequential(Linear(4, 8), ReLU(), Linear(8, 3)) with seed 0.
        using var json = JsonDocument.Parse(File.ReadAllText(Fixture("torch_mlp.json")));
        var x = FromJson(json.RootElement.GetProperty("input"));
        var expected = FromJson(json.RootElement.GetProperty("output"));
        var model = new TestMlp(4, 8, 3, seed: 7);
        Assert.Contains(model.Call(x).ToArray().Zip(expected.ToArray()), p => Math.Abs(p.First - p.Second) > 1e-2); // not by chance
        var metadata = model.LoadWeights(Fixture("torch_mlp.safetensors"));
        Assert.Equal("pt", metadata["format"]);
        AssertClose(expected, model.Call(x), 1e-6);
    }

    [Fact]
    public void BytesMatchTheFileWrittenByThePythonWriter()
    {
        // The same tensors as format_check in tools/safetensors_interop.py, given in another order.
        var tensors = new[]
        {
            Named("empty", Tensor.Zeros(0, 4)),
            Named("weight", Tensor.FromArray([-1.5f, -0.25f, 0f, 0.5f, 3f, 1024.125f], 2, 3)),
            Named("scale", Tensor.Scalar(1.0 / 3.0)),
            Named("bias", Tensor.FromArray([0.75f, -2f, 6.5f])),
            Named("running_var", Tensor.FromArray([0.1, 2.5])),
            Named("10.weight", Tensor.Ones(1)),
        };
        var stream = new MemoryStream();
        SafeTensors.Save(stream, tensors, new Dictionary<string, string> { ["format"] = "pt" });
        var committed = File.ReadAllBytes(Fixture("format_check.safetensors"));
        Assert.Equal(System.Text.Encoding.UTF8.GetString(committed), System.Text.Encoding.UTF8.GetString(stream.ToArray())); // readable diff first
        Assert.Equal(committed, stream.ToArray());

        var file = SafeTensors.Load(Fixture("format_check.safetensors"));
        foreach (var (name, t) in tensors)
        {
            Assert.Equal(t.DType, file[name].DType);
            Assert.Equal(t.Shape, file[name].Shape);
            Assert.Equal(t.ToDoubleArray(), file[name].ToDoubleArray());
        }
    }

    [Fact]
    public void EveryMismatchIsListedAndNothingChanges()
    {
        using var folder = new TempFolder();
        string path = folder.File("other.safetensors");
        SafeTensors.Save(path,
        [
            Named("0.weight", Tensor.Zeros(8, 5)),  // wrong shape
            Named("0.bias", Tensor.Zeros(8)),
            Named("2.weight", Tensor.Zeros(3, 8)),
            Named("3.weight", Tensor.Zeros(2, 2)),  // unexpected; 2.bias is missing
        ]);
        var model = new TestMlp(4, 8, 3, seed: 1);
        var before = model.Snapshot();
        var e = Assert.Throws<ArgumentException>(() => model.LoadWeights(path));
        Assert.StartsWith(path + ": the weights do not fit the model.", e.Message);
        Assert.Contains("3 mismatch(es)", e.Message);
        Assert.Contains("'0.weight': shape (8, 5) in the state, (8, 4) in the model", e.Message);
        Assert.Contains("unexpected key '3.weight' (2, 2)", e.Message);
        Assert.Contains("missing key '2.bias' (3,)", e.Message);
        Assert.Equal(before, model.Snapshot());

        // Not strict: names may differ, shapes still may not.
        e = Assert.Throws<ArgumentException>(() => model.LoadWeights(path, strict: false));
        Assert.Contains("1 mismatch(es)", e.Message);
        Assert.Equal(before, model.Snapshot());
    }

    [Fact]
    public void NonStrictLoadsTheNamesThatMatch()
    {
        using var folder = new TempFolder();
        string path = folder.File("partial.safetensors");
        SafeTensors.Save(path, [Named("2.bias", Tensor.FromArray([1f, 2f, 3f])), Named("head.weight", Tensor.Ones(2))]);
        var model = new TestMlp(4, 8, 3, seed: 1);
        var before = model.Snapshot();
        model.LoadWeights(path, strict: false);
        var after = model.Snapshot();
        Assert.Equal([1f, 2f, 3f], after[3]); // state-dict order: 0.weight, 0.bias, 2.weight, 2.bias
        Assert.Equal(before[..3], after[..3]);
    }

    [Fact]
    public void Float64WeightsLoadIntoFloat32Parameters()
    {
        using var folder = new TempFolder();
        string path = folder.File("f64.safetensors");
        var source = new TestMlp(4, 8, 3, seed: 3);
        SafeTensors.Save(path, source.StateDict().Select(kv => Named(kv.Key, kv.Value.Double())));
        var model = new TestMlp(4, 8, 3, seed: 4);
        model.LoadWeights(path);
        Assert.Equal(source.Snapshot(), model.Snapshot());
        Assert.All(model.Parameters(), p => Assert.Equal(DType.Float32, p.DType));
    }

    [Fact]
    public void CorruptFileChangesNothing()
    {
        using var folder = new TempFolder();
        string path = folder.File("mlp.safetensors");
        new TestMlp(4, 8, 3, seed: 1).SaveWeights(path);
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..^10]); // the last tensor lost its end
        var model = new TestMlp(4, 8, 3, seed: 2);
        var before = model.Snapshot();
        var e = Assert.Throws<InvalidDataException>(() => model.LoadWeights(path));
        Assert.Contains(path, e.Message);
        Assert.Contains("tensor '2.weight'", e.Message);
        Assert.Equal(before, model.Snapshot());
    }
}
