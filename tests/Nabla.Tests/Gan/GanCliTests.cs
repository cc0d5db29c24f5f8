using Nabla.Cli.Commands;
using Nabla.Cli.Models;
using Nabla.Examples;
using Nabla.NN;
using Nabla.Optim;

namespace Nabla.Tests.Gan;

/// <summary>The generator file, gan-score's figures and its refusals, train --model gan's checks, and the Unflatten layer.</summary>
[Collection(nameof(Nabla.Tests.NN.DefaultGeneratorCollection))] // building models draws from the shared default generator
public class GanCliTests
{
    private static readonly string[] Classes = [.. Enumerable.Range(0, 10).Select(i => $"class{i}")];

    private static string Temp() => Directory.CreateTempSubdirectory("nabla-gan-cli-").FullName;

    private static string SaveGenerator(string dir)
    {
        var spec = new DcganSpec(LatentDim: 8, GeneratorWidth: 4, DiscriminatorWidth: 4);
        string path = Path.Combine(dir, "generator.safetensors");
        new GanModelFile { Spec = spec, Generator = spec.BuildGenerator(new Generator(1)) }.Save(path);
        return path;
    }

    private static string SaveCnn(string dir, int channels = 1, int size = 28)
    {
        var spec = new CnnSpec(channels, size, size, [4, 8], 16, 0.0, Classes, "fashion-mnist", [.. Enumerable.Repeat(0.5f, channels)], [.. Enumerable.Repeat(0.5f, channels)]);
        string path = Path.Combine(dir, $"cnn{channels}x{size}.safetensors");
        new CnnModelFile { Spec = spec, Model = spec.Build(new Generator(2)) }.Save(path);
        return path;
    }

    [Fact]
    public void GeneratorFileReloadsToTheSameSamples()
    {
        string dir = Temp();
        var path = SaveGenerator(dir);
        var a = GanModelFile.Load(path);
        var b = GanModelFile.Load(path);
        var x = a.Sample(7, new Generator(3));
        Assert.Equal([7, 1, 28, 28], x.Shape);
        Assert.Equal(x.ToArray(), b.Sample(7, new Generator(3)).ToArray());
        Assert.InRange(x.ToArray().Min(), 0f, 1f);
        Assert.Equal(8, a.Spec.LatentDim);
        Directory.Delete(dir, true);
    }

    [Fact]
    public void GeneratorFileFromBeforeTheRefineConvolutionStillLoads()
    {
        // The spec JSON of such a file has no GeneratorRefine, and its G has no 3x3 convolution.
        string dir = Temp();
        var spec = new DcganSpec(LatentDim: 8, GeneratorWidth: 4, DiscriminatorWidth: 4, GeneratorRefine: false);
        string path = Path.Combine(dir, "old.safetensors");
        ModelFileFormat.Save(path, GanModelFile.SpecKey, "{\"LatentDim\":8,\"GeneratorWidth\":4,\"DiscriminatorWidth\":4}",
                             spec.BuildGenerator(new Generator(1)), []);
        var file = GanModelFile.Load(path);
        Assert.False(file.Spec.GeneratorRefine);
        Assert.Equal([2, 1, 28, 28], file.Sample(2, new Generator(3)).Shape);
        Directory.Delete(dir, true);
    }

    [Fact]
    public void ScorePrintsConfidenceEntropyAndClassShares()
    {
        string dir = Temp();
        var output = new StringWriter();
        Assert.Equal(0, GanScoreCommand.Score(SaveGenerator(dir), SaveCnn(dir), 50, 1, "/nonexistent", output));
        string text = output.ToString();
        Assert.Contains("confidence > 0.9", text);
        Assert.Contains("class entropy (bits)", text);
        Assert.Contains("class9", text);
        Assert.Contains("no real images beside", text);
        Directory.Delete(dir, true);
    }

    [Fact]
    public void EvaluateCountsTheHistogramAndItsEntropy()
    {
        // A classifier that calls everything class 3 with certainty: 100% confident, entropy 0, all in class 3.
        var model = new FixedClassifier(3);
        var scores = GanScoreCommand.Evaluate(model, Tensor.Rand([20, 1, 2, 2], new Generator(1)));
        Assert.Equal(1.0, scores.ConfidentShare);
        Assert.Equal(0.0, scores.Entropy);
        Assert.Equal(1.0, scores.ClassShares[3]);
    }

    [Fact]
    public void ScoreRefusesMismatchedShapesAndFilesOfTheWrongKind()
    {
        string dir = Temp();
        string generator = SaveGenerator(dir), cnn = SaveCnn(dir), colour = SaveCnn(dir, channels: 3, size: 32);
        var e = Assert.Throws<ArgumentException>(() => GanScoreCommand.Score(generator, colour, 10, 1, null, TextWriter.Null));
        Assert.Contains("(1, 28, 28)", e.Message);
        Assert.Contains("(3, 32, 32)", e.Message);
        var wrong = Assert.Throws<InvalidDataException>(() => GanScoreCommand.Score(generator, generator, 10, 1, null, TextWriter.Null));
        Assert.Contains("is a GAN generator, not a classifier", wrong.Message);
        var notGan = Assert.Throws<InvalidDataException>(() => GanScoreCommand.Score(cnn, cnn, 10, 1, null, TextWriter.Null));
        Assert.Contains("nabla.cnn", notGan.Message);
        Directory.Delete(dir, true);
    }

    [Fact]
    public void TrainGanNeedsFashionMnist()
    {
        var o = new TrainCommand.TrainOptions("gan", "digits", null, null, [], "relu", "adam", 2e-4, "none", 1, 8, 0.2, 0, 1, 1, Temp());
        var e = Assert.Throws<ArgumentException>(() => TrainCommand.Dispatch(o));
        Assert.Contains("fashion-mnist", e.Message);
    }

    [Fact]
    public void TrainGanUsesItsOwnDefaultsUnlessGiven()
    {
        var o = new TrainCommand.TrainOptions("gan", "fashion-mnist", null, null, [], "relu", "adam", 1e-3, "none", 40, 32, 0.2, 0, 1, 1, "out");
        var defaults = TrainGanCommand.WithDefaults(o, _ => false);
        Assert.Equal((GanFashionExample.DefaultEpochs, GanFashionExample.DefaultBatchSize, GanFashionExample.DefaultLearningRate),
                     (defaults.Epochs, defaults.BatchSize, defaults.LearningRate));
        var given = TrainGanCommand.WithDefaults(o, name => name == "--epochs");
        Assert.Equal((40, GanFashionExample.DefaultBatchSize), (given.Epochs, given.BatchSize));
        // The MLP's --hidden and --schedule defaults (256,128 and cosine) are not the GAN's.
        var mlpDefaults = o with { Hidden = [256, 128], Schedule = "cosine" };
        var ganDefaults = TrainGanCommand.WithDefaults(mlpDefaults, _ => false);
        Assert.Equal("none", ganDefaults.Schedule);
        Assert.Empty(ganDefaults.Hidden);
        var widths = TrainGanCommand.WithDefaults(mlpDefaults, name => name is "--hidden" or "--schedule");
        Assert.Equal("cosine", widths.Schedule);
        Assert.Equal([256, 128], widths.Hidden);
    }

    [Fact]
    public void TrainGanRefusesHiddenThatIsNotTwoWidths()
    {
        var o = new TrainCommand.TrainOptions("gan", "fashion-mnist", Temp(), null, [64], "relu", "adam", 2e-4, "none", 1, 8, 0.2, 0, 1, 1, Temp());
        var e = Assert.Throws<ArgumentException>(() => TrainCommand.Dispatch(o));
        Assert.Contains("two widths", e.Message);
    }

    [Fact]
    public void FashionTrainerHasItsOwnLearningRatesAndSamplesFromTheAverageOfG()
    {
        var spec = new DcganSpec(LatentDim: 8, GeneratorWidth: 4, DiscriminatorWidth: 4);
        var g = spec.BuildGenerator(new Generator(1));
        var d = spec.BuildDiscriminator(new Generator(2));
        // Large rates, so that one Adam step moves each weight by about 0.1 and a wrong decay shows in the average.
        var trainer = GanFashionExample.CreateTrainer(spec, g, d, 0.1, 0.15, 0.999, new Generator(3));
        Assert.Equal((0.1, 0.15), (trainer.GeneratorOptimizer.LearningRate, trainer.DiscriminatorOptimizer.LearningRate));
        var average = Assert.IsType<AveragedModel>(trainer.GeneratorAverage);
        Assert.Same(average.Module, trainer.SamplingGenerator);
        // One step: the average of a batch-norm buffer (so buffers are averaged too) and of a weight moves a thousandth
        // of the way from where G started to where G is now.
        const string Buffer = "2.running_mean", Weight = "0.weight";
        static float[] Get(Module m, string name) => m.StateDict().Single(kv => kv.Key == name).Value.ToArray();
        float[] bufferBefore = Get(g, Buffer), weightBefore = Get(g, Weight);
        trainer.Step(Tensor.Rand([4, 1, 28, 28], new Generator(4)) * 2f - 1f);
        Assert.Equal(1, average.Updates);
        foreach (var (name, before) in new[] { (Buffer, bufferBefore), (Weight, weightBefore) })
        {
            float[] now = Get(g, name), averaged = Get(average.Module, name);
            Assert.NotEqual(before, now);
            for (int i = 0; i < now.Length; i++)
                Assert.Equal(0.999 * before[i] + 0.001 * now[i], averaged[i], 1e-6);
        }
        var plain = GanFashionExample.CreateTrainer(spec, g, d, 2e-4, 3e-4, averageDecay: 0, new Generator(3));
        Assert.Null(plain.GeneratorAverage);
        Assert.Same(g, plain.SamplingGenerator);
    }

    [Fact]
    public void UnflattenSplitsOneDim()
    {
        var layer = new Unflatten(1, 2, 3, 4);
        Assert.Equal([5, 2, 3, 4], layer.Forward(Tensor.Zeros(5, 24)).Shape);
        Assert.Equal("Unflatten(dim=1, unflattened_size=(2, 3, 4))", layer.ToString());
        var e = Assert.Throws<ArgumentException>(() => layer.Forward(Tensor.Zeros(5, 25)));
        Assert.Contains("holds 24", e.Message);
    }

    private sealed class FixedClassifier(int label) : IClassifierFile
    {
        public Sequential Model { get; } = new(new Flatten(), new Fixed(label));
        public int[] SampleShape => [1, 2, 2];
        public IReadOnlyList<string> ClassNames => Classes;
        public string Dataset => "test";
        public string Description => "fixed";
        public Tensor Preprocess(Tensor raw) => raw;

        private sealed class Fixed(int label) : Module
        {
            public override Tensor Forward(Tensor input)
            {
                var logits = new float[input.Shape[0] * 10];
                for (int i = 0; i < input.Shape[0]; i++) logits[i * 10 + label] = 100f;
                return Tensor.FromArray(logits, input.Shape[0], 10);
            }
        }
    }
}
