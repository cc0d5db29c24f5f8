using Nabla.Examples;

namespace Nabla.Tests.Scalar;

public sealed class ExampleTests : IDisposable
{
    private readonly string folder = Path.Combine(Path.GetTempPath(), "nabla-tests-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(folder))
            Directory.Delete(folder, recursive: true);
    }

    [Fact]
    public void Catalog_FindsTheScalarExamples()
    {
        Assert.IsType<NeuronMlpExample>(ExampleCatalog.Find("neuron-mlp"));
        Assert.IsType<MoonsExample>(ExampleCatalog.Find("moons"));
    }

    [Fact]
    public void NeuronMlp_LossDecreases()
    {
        var output = new StringWriter();
        var losses = new NeuronMlpExample().Train(new ExampleContext(output, folder));

        Assert.Equal(20, losses.Length);
        Assert.True(losses[^1] < losses[0] / 10, $"loss went from {losses[0]} to {losses[^1]}");
        Assert.True(losses[^1] < 0.1, $"final loss {losses[^1]}");
        Assert.Contains("step 19", output.ToString());
        Assert.Contains("predictions", output.ToString());
    }

    [Fact]
    public void Moons_ReachesFullTrainingAccuracy_AndDrawsTheBoundary()
    {
        var output = new StringWriter();
        var context = new ExampleContext(output, folder); // default seed 1337

        var (loss, accuracy) = new MoonsExample().Train(context);

        Assert.Equal(1.0, accuracy);
        Assert.True(loss < 0.05, $"final loss {loss}");
        string text = output.ToString();
        Assert.Contains("step  99", text);
        Assert.Contains("accuracy 100", text);
        Assert.Contains("#", text);  // the ASCII decision boundary
        Assert.Contains("o", text);

        string svg = File.ReadAllText(Path.Combine(folder, "moons.svg"));
        Assert.StartsWith("<svg", svg);
        Assert.Equal(100, CountOf(svg, "<circle"));
    }

    [Fact]
    public void Run_ReturnsZero()
    {
        Assert.Equal(0, new NeuronMlpExample().Run(new ExampleContext(TextWriter.Null, folder)));
    }

    private static int CountOf(string text, string part)
    {
        int count = 0;
        for (int i = text.IndexOf(part, StringComparison.Ordinal); i >= 0; i = text.IndexOf(part, i + 1, StringComparison.Ordinal))
            count++;
        return count;
    }
}
