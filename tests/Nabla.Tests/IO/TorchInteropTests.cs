using System.Text.Json;
using Nabla.IO;
using Nabla.Tests.Support;

namespace Nabla.Tests.IO;

/// <summary>Weights written by Nabla load into PyTorch (strict load_state_dict) and give the same output there.</summary>
public class TorchInteropTests
{
    [TorchFact]
    public void PyTorchLoadsNablaWeightsAndComputesTheSameOutput()
    {
        using var folder = new TempFolder();
        string weights = folder.File("nabla_mlp.safetensors");
        string input = folder.File("input.json");
        var model = new TestMlp(4, 8, 3, seed: 11);
        model.SaveWeights(weights);
        var x = Tensor.Randn([6, 4], new Generator(12));
        File.WriteAllText(input, JsonSerializer.Serialize(new { shape = x.Shape, data = x.ToArray() }));

        string script = Path.Combine(PythonTorch.RepositoryRoot(), "tools", "safetensors_interop.py");
        var (code, output, error) = PythonTorch.Run([script, "forward", weights, input], TimeSpan.FromMinutes(2));
        Assert.True(code == 0, $"the script failed ({code}):\n{error}");

        using var json = JsonDocument.Parse(output);
        var y = json.RootElement.GetProperty("output");
        Assert.Equal([6, 3], y.GetProperty("shape").EnumerateArray().Select(v => v.GetInt32()));
        var torch = y.GetProperty("data").EnumerateArray().Select(v => v.GetDouble()).ToArray();
        var nabla = model.Call(x).ToArray();
        for (int i = 0; i < nabla.Length; i++)
            Assert.True(Math.Abs(torch[i] - nabla[i]) <= 1e-6, $"element {i}: PyTorch {torch[i]}, Nabla {nabla[i]}");
    }

    [TorchFact]
    public void PyTorchRefusesAFileWithOtherNames()
    {
        using var folder = new TempFolder();
        string weights = folder.File("renamed.safetensors");
        string input = folder.File("input.json");
        SafeTensors.Save(weights, new TestMlp(4, 8, 3).StateDict().Select(kv => new KeyValuePair<string, Tensor>("net." + kv.Key, kv.Value)));
        File.WriteAllText(input, "{\"shape\":[1,4],\"data\":[0,0,0,0]}");
        string script = Path.Combine(PythonTorch.RepositoryRoot(), "tools", "safetensors_interop.py");
        var (code, _, error) = PythonTorch.Run([script, "forward", weights, input], TimeSpan.FromMinutes(2));
        Assert.NotEqual(0, code); // the check above could fail: a strict load really is strict
        Assert.Contains("Missing key(s) in state_dict", error);
    }
}
