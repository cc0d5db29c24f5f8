using Nabla.Data;
using Nabla.NN;
using Nabla.Optim;
using Nabla.Training;
using Spectre.Console;

namespace Nabla.Tests.Gan;

/// <summary>The GAN trainer: each step moves only its own player, the losses are the ones documented, and the callbacks report and draw.</summary>
public class GanTrainerTests
{
    private static (GanTrainer Trainer, Sequential G, Sequential D) Make(int seed = 1)
    {
        var init = new Generator(seed);
        var g = new Sequential(new Linear(3, 8, generator: init), new ReLU(), new Linear(8, 2, generator: init));
        var d = new Sequential(new Linear(2, 8, generator: init), new LeakyReLU(0.2f), new Linear(8, 1, generator: init));
        var trainer = new GanTrainer(g, d, new SGD(g.Parameters(), 0.1), new SGD(d.Parameters(), 0.1), [3], new Generator(seed + 1));
        return (trainer, g, d);
    }

    private static float[][] Snapshot(Module m) => m.Parameters().Select(p => p.ToArray()).ToArray();

    [Fact]
    public void StepLossesAreTheDocumentedOnes()
    {
        var (trainer, g, d) = Make();
        var real = Tensor.Randn([16, 2], new Generator(5));
        // Recompute the step's losses by hand from the same noise and the weights before the step.
        var z = Tensor.Randn([16, 3], new Generator(2));
        var bce = new BCEWithLogitsLoss();
        var fake = g.Forward(z);
        var realLogits = d.Forward(real);
        var fakeLogits = d.Forward(fake);
        double expectedD = (bce.Forward(realLogits, Tensor.Ones(16, 1)) + bce.Forward(fakeLogits, Tensor.Zeros(16, 1))).ItemAsDouble();
        double realScore = realLogits.Sigmoid().Mean().ItemAsDouble(), fakeScore = fakeLogits.Sigmoid().Mean().ItemAsDouble();

        var (dLoss, gLoss, real1, fake1) = trainer.Step(real);
        Assert.Equal(expectedD, dLoss, 1e-6);
        Assert.Equal(realScore, real1, 1e-6);
        Assert.Equal(fakeScore, fake1, 1e-6);
        // G's loss is measured against the updated D: it is BCE(D'(G(z)), 1) with G's weights from before its own update.
        Assert.True(gLoss > 0 && double.IsFinite(gLoss));
        Assert.True(d.Parameters().All(p => p.RequiresGrad), "the discriminator's parameters must record gradients again after the G step");
    }

    [Fact]
    public void GeneratorAverageFollowsEveryGeneratorStepAndIsWhatGenerateSamples()
    {
        var (trainer, g, _) = Make();
        var (_, copy, _) = Make(seed: 9);
        var average = new AveragedModel(g, copy, decay: 0.5);
        trainer.GeneratorAverage = average;
        var start = Snapshot(copy);
        trainer.Step(Tensor.Randn([16, 2], new Generator(5)));
        Assert.Equal(1, average.Updates);
        // Halfway between the old weights and G's new ones.
        var expected = start.Zip(Snapshot(g), (old, now) => old.Zip(now, (a, b) => 0.5f * a + 0.5f * b).ToArray()).ToArray();
        var actual = Snapshot(copy);
        for (int i = 0; i < expected.Length; i++) Assert.Equal(expected[i], actual[i], (x, y) => Math.Abs(x - y) < 1e-6f);

        var z = Tensor.Randn([4, 3], new Generator(6));
        Assert.Same(copy, trainer.SamplingGenerator);
        Assert.Equal(copy.Forward(z).ToArray(), trainer.Generate(z).ToArray());
        Assert.NotEqual(g.Forward(z).ToArray(), trainer.Generate(z).ToArray());

        var (_, other, _) = Make(seed: 11);
        var wrong = Assert.Throws<ArgumentException>(() => trainer.GeneratorAverage = new AveragedModel(other, Make(seed: 12).G, 0.5));
        Assert.Contains("this trainer's generator", wrong.Message);
    }

    [Fact]
    public void EachStepMovesOnlyItsOwnPlayer()
    {
        // With G's learning rate 0 only D may move; with D's 0 only G; the detach keeps D's loss away from G.
        var init = new Generator(3);
        var g = new Sequential(new Linear(3, 8, generator: init), new ReLU(), new Linear(8, 2, generator: init));
        var d = new Sequential(new Linear(2, 8, generator: init), new LeakyReLU(0.2f), new Linear(8, 1, generator: init));
        var gBefore = Snapshot(g);
        var trainer = new GanTrainer(g, d, new SGD(g.Parameters(), 0.0), new SGD(d.Parameters(), 0.1), [3]);
        trainer.Step(Tensor.Randn([8, 2], new Generator(4)));
        Assert.Equal(gBefore, Snapshot(g));

        var dBefore = Snapshot(d);
        var trainer2 = new GanTrainer(g, d, new SGD(g.Parameters(), 0.1), new SGD(d.Parameters(), 0.0), [3]);
        trainer2.Step(Tensor.Randn([8, 2], new Generator(4)));
        Assert.Equal(dBefore, Snapshot(d));
        Assert.NotEqual(gBefore, Snapshot(g));
    }

    [Fact]
    public void FitRecordsHistoryReportsAndDrawsEveryEpoch()
    {
        var (trainer, _, _) = Make();
        var real = Tensor.Randn([64, 2], new Generator(7));
        var data = new DataLoader(new TensorDataset(real, Tensor.Zeros(64)), 16);
        var log = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(log), Ansi = AnsiSupport.No, Interactive = InteractionSupport.No });
        trainer.Callbacks.Add(new GanProgressReporter(console));
        var drawn = new List<string>();
        var noise = trainer.SampleNoise(5, new Generator(9));
        trainer.Callbacks.Add(new GanSampleWriter(noise, (epoch, samples) => drawn.Add($"{epoch}: ({string.Join(", ", samples.Shape)})")));
        var history = trainer.Fit(data, epochs: 3);

        Assert.Equal("completed", history.StopReason);
        Assert.Equal([1, 2, 3], history.Epochs.Select(e => e.Epoch));
        Assert.All(history.Epochs, e => Assert.InRange(e.RealScore, 0, 1));
        Assert.Equal(["1: (5, 2)", "2: (5, 2)", "3: (5, 2)"], drawn);
        var lines = log.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, lines.Length);
        Assert.Contains("Epoch 2/3  loss_D ", lines[1]);
        Assert.Contains("D(G(z))", lines[1]);
        Assert.StartsWith("epoch,d_loss,g_loss,d_real,d_fake", history.ToCsv());
        Assert.Equal(4, history.ToCsv().Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
    }

    [Fact]
    public void ImageGridsAreWrittenPerEpoch()
    {
        var init = new Generator(1);
        var g = new Sequential(new Linear(4, 16, generator: init), new Tanh(), new Unflatten());
        var d = new Sequential(new Flatten(), new Linear(16, 1, generator: init));
        var trainer = new GanTrainer(g, d, new Adam(g.Parameters()), new Adam(d.Parameters()), [4]);
        string folder = Path.Combine(Path.GetTempPath(), "nabla-gan-grid-" + Guid.NewGuid().ToString("N"));
        var writer = GanSampleWriter.ImageGrids(trainer.SampleNoise(6), folder);
        trainer.Callbacks.Add(writer);
        var real = Tensor.Rand([8, 1, 4, 4], new Generator(2));
        trainer.Fit(new DataLoader(new TensorDataset(real, Tensor.Zeros(8)), 4), epochs: 2);
        Assert.Equal([Path.Combine(folder, "epoch_001.png"), Path.Combine(folder, "epoch_002.png")], writer.Files);
        Assert.All(writer.Files, f => Assert.Equal(0x89, File.ReadAllBytes(f)[0]));
        Directory.Delete(folder, true);
    }

    [Fact]
    public void ANonFiniteLossStopsTraining()
    {
        var (trainer, _, _) = Make();
        var real = Tensor.Full(float.NaN, 8, 2);
        var history = trainer.Fit(new DataLoader(new TensorDataset(real, Tensor.Zeros(8)), 8), epochs: 2);
        Assert.Empty(history.Epochs);
        Assert.Contains("non-finite at epoch 1, batch 1", history.StopReason);
    }

    [Fact]
    public void BadArguments()
    {
        var (trainer, g, d) = Make();
        Assert.Throws<ArgumentOutOfRangeException>(() => trainer.Fit([], 0));
        var e = Assert.Throws<ArgumentException>(() => new GanTrainer(g, d, new SGD(g.Parameters(), 0.1), new SGD(d.Parameters(), 0.1), [0]));
        Assert.Contains("latentShape", e.Message);
    }

    /// <summary>(N, 16) to (N, 1, 4, 4).</summary>
    private sealed class Unflatten : Module
    {
        public override Tensor Forward(Tensor input) => input.Reshape(-1, 1, 4, 4);
    }
}
