using System.Text.Json;
using Nabla.Cli.Commands;
using Nabla.Cli.Models;

namespace Nabla.Tests.Cli;

[Collection(nameof(Nabla.Tests.NN.DefaultGeneratorCollection))] // training reseeds the shared default generator
public class TrainCommandTests
{
    private static TrainCommand.TrainOptions Options(string dataset, string output, int epochs = 60) =>
        new("mlp", dataset, null, null, [16], "relu", "adam", 1e-2, "cosine", epochs, 16, 0.2, 10, 1, 1, output);

    [Fact]
    public void TrainWritesModelPlotSummaryAndMetricsThatReloadToTheSameAccuracy()
    {
        string dir = Directory.CreateTempSubdirectory("nabla-train-").FullName;
        try
        {
            Assert.Equal(0, TrainCommand.Train(Options("iris", dir)));
            foreach (var f in new[] { "model.safetensors", "checkpoint.safetensors", "history.svg", "history.csv", "summary.txt", "metrics.json" })
                Assert.True(File.Exists(Path.Combine(dir, f)), $"{f} was not written");
            Assert.Empty(Directory.GetFiles(dir, "*.tmp"));

            using var metrics = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "metrics.json")));
            double test = metrics.RootElement.GetProperty("test_accuracy").GetDouble();
            Assert.True(test >= 0.9, $"iris test accuracy {test}");

            // The saved file alone reproduces the test accuracy (weights and standardization travel together).
            var file = MlpModelFile.Load(Path.Combine(dir, "model.safetensors"));
            var problem = DataSources.Load("iris", null, null, 1);
            using (Tensor.NoGrad())
            {
                file.Model.Eval();
                var predicted = file.Model.Forward(file.Preprocess(problem.Test.Inputs)).ArgMax(1).ToArray();
                var labels = problem.Test.Targets.ToArray();
                double accuracy = predicted.Zip(labels).Count(p => p.First == p.Second) / (double)labels.Length;
                Assert.Equal(test, accuracy, 9);
            }
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void BadInputGivesClearErrors()
    {
        var ex = Assert.Throws<ArgumentException>(() => DataSources.Load("mnist-ish", null, null, 1));
        Assert.Contains("digits, iris", ex.Message);
        ex = Assert.Throws<ArgumentException>(() => DataSources.Load("csv:/tmp/x.csv", null, null, 1));
        Assert.Contains("--target", ex.Message);
        ex = Assert.Throws<ArgumentException>(() => TrainCommand.Dispatch(Options("iris", "unused") with { Model = "transformer" }));
        Assert.Contains("Unknown model 'transformer'", ex.Message);
        ex = Assert.Throws<ArgumentException>(() => MlpSpec.MakeActivation("swish"));
        Assert.Contains("relu, tanh", ex.Message);

        string path = Path.GetTempFileName();
        File.WriteAllText(path, "not a model");
        try
        {
            Assert.ThrowsAny<InvalidDataException>(() => MlpModelFile.Load(path));
        }
        finally
        {
            File.Delete(path);
        }
    }
}
