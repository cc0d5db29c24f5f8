using Nabla.Examples;

namespace Nabla.Tests.Gan;

/// <summary>The gan-2d example covers the ring's modes; and its coverage count is a measure that can fail.</summary>
public class Gan2dTests
{
    [Fact]
    public void GeneratorCoversAtLeastSevenOfTheEightModes()
    {
        // The example's own run (30 epochs of 100 batches, the learning rates decaying to 0): shorter runs stop
        // while samples still orbit the modes, so they measure the schedule, not the GAN.
        var output = new StringWriter();
        var result = new Gan2dExample().Train(new ExampleContext(output, Path.Combine(Path.GetTempPath(), "nabla-gan2d-test")));
        Assert.True(result.CoveredModes >= 7, $"{result.CoveredModes} modes covered ({string.Join(", ", result.PerMode)})\n{output}");
        Assert.True(result.HighQuality > 0.5, $"only {result.HighQuality:P1} of the samples lie near a mode");
        Assert.Contains("Epoch 30/30", output.ToString());
        Assert.Equal(30, result.History.Epochs.Count);
    }

    [Fact]
    public void CoverageCountsOnlySamplesNearAMode()
    {
        // Real data covers all eight; a generator collapsed onto one mode covers one; points between modes cover none.
        var real = Gan2dExample.Ring(2000, new Generator(1));
        Assert.Equal(8, Gan2dExample.Coverage(real).PerMode.Count(c => c > 0));
        Assert.True(Gan2dExample.Coverage(real).HighQuality > 0.98);
        var (x, y) = Gan2dExample.Centre(3);
        var collapsed = Tensor.FromArray([(float)x, (float)y, (float)x + 0.01f, (float)y], 2, 2);
        Assert.Equal([0, 0, 0, 2, 0, 0, 0, 0], Gan2dExample.Coverage(collapsed).PerMode);
        var between = Tensor.FromArray([0f, 0f, 1.5f, 0.7f], 2, 2);
        Assert.Equal(0, Gan2dExample.Coverage(between).PerMode.Sum());
    }
}
