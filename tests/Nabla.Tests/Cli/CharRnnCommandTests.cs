using System.Text.Json;
using Nabla.Cli.Commands;
using Nabla.Cli.Models;
using Nabla.Examples.CharRnn;
using Nabla.Tests.Data;

namespace Nabla.Tests.Cli;

public class CharRnnCommandTests
{
    private static CharRnnTrainer.CharRnnOptions Tiny(string output) =>
        new(Data: CharRnnTrainer.EmbeddedData, HiddenSize: 16, EmbeddingDim: 8, Epochs: 1, BatchSize: 128, LearningRate: 1e-2, Threads: 1, Output: output);

    [Fact]
    public void TrainWritesAModelThatSamplesAndMetricsWithTheBaseline()
    {
        using var folder = new TempFolder();
        Assert.Equal(0, CharRnnTrainer.Train(Tiny(folder.Path)));
        foreach (var f in new[] { "model.safetensors", "history.svg", "history.csv", "metrics.json" })
            Assert.True(File.Exists(Path.Combine(folder.Path, f)), $"{f} was not written");
        Assert.Empty(Directory.GetFiles(folder.Path, "*.tmp"));

        using var metrics = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder.Path, "metrics.json")));
        var root = metrics.RootElement;
        double model = root.GetProperty("validation_nats_per_char").GetDouble();
        double bigram = root.GetProperty("bigram_validation_nats_per_char").GetDouble();
        Assert.InRange(bigram, 2.3, 2.6); // add-one bigram on the embedded list's 10% split
        Assert.InRange(model, 1.5, 3.4);
        Assert.Equal(model / Math.Log(2), root.GetProperty("validation_bits_per_char").GetDouble(), 9);
        Assert.True(root.GetProperty("train_chars_per_second").GetDouble() > 0);
        Assert.Equal(2875, root.GetProperty("train_words").GetInt32());

        // The file holds the architecture, the vocabulary and the training words.
        var file = CharRnnModelFile.Load(Path.Combine(folder.Path, "model.safetensors"));
        Assert.Equal("abcdefghijklmnopqrstuvwxyz", file.Model.Spec.Characters);
        Assert.Equal(16, file.Model.Spec.HiddenSize);
        Assert.Equal(2875, file.TrainWords.Count);

        string Sample(int seed)
        {
            var output = new StringWriter();
            Assert.Equal(0, SampleCommand.Sample(Path.Combine(folder.Path, "model.safetensors"), 6, 0.8, seed, "st", output));
            return output.ToString();
        }
        var text = Sample(5);
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(7, lines.Length);
        Assert.All(lines[..6], l => Assert.StartsWith("st", l));
        Assert.Contains("of 6 not in the 2,875 training words", lines[6]);
        Assert.Equal(text, Sample(5));
        Assert.NotEqual(text, Sample(6));
    }

    [Fact]
    public void SharedTrainOptionsTakeCharRnnDefaultsUnlessGiven()
    {
        var shared = new TrainCommand.TrainOptions("char-rnn", "digits", "/tmp/w.txt", null, [256, 128], "relu", "adam", 1e-3, "cosine", 40, 32, 0.2, 8, 3, 2, "out/train");
        var o = CharRnnTrainer.Options(shared, _ => false);
        var d = new CharRnnTrainer.CharRnnOptions();
        Assert.Equal((d.HiddenSize, d.Layers, d.Epochs, d.BatchSize, d.LearningRate, d.Validation, d.Output), (o.HiddenSize, o.Layers, o.Epochs, o.BatchSize, o.LearningRate, o.Validation, o.Output));
        Assert.Equal(("/tmp/w.txt", 3, 2), (o.Data, o.Seed, o.Threads));

        o = CharRnnTrainer.Options(shared with { Hidden = [64, 64] }, name => name is "--hidden" or "--epochs");
        Assert.Equal((64, 2, 40), (o.HiddenSize, o.Layers, o.Epochs));
        var ex = Assert.Throws<ArgumentException>(() => CharRnnTrainer.Options(shared, name => name == "--hidden"));
        Assert.Contains("256,128", ex.Message);
        ex = Assert.Throws<ArgumentException>(() => TrainCommand.Dispatch(shared with { Model = "transformer" }));
        Assert.Contains("char-rnn", ex.Message);
    }

    [Fact]
    public void SampleRefusesFilesThatAreNotCharModelsAndBadOptions()
    {
        using var folder = new TempFolder();
        // An MLP model file: a valid safetensors file, but not a char model.
        var spec = new MlpSpec(4, [3], "relu", ["a", "b"], "iris");
        string mlp = Path.Combine(folder.Path, "mlp.safetensors");
        new MlpModelFile { Spec = spec, Model = spec.Build(new Generator(1)) }.Save(mlp);
        var ex = Assert.Throws<InvalidDataException>(() => SampleCommand.Sample(mlp, 3, 1.0, 1, "", TextWriter.Null));
        Assert.Contains("not a char-rnn model", ex.Message);
        string junk = folder.WriteText("junk.safetensors", "not a model");
        Assert.ThrowsAny<InvalidDataException>(() => SampleCommand.Sample(junk, 3, 1.0, 1, "", TextWriter.Null));
        Assert.Throws<FileNotFoundException>(() => SampleCommand.Sample(Path.Combine(folder.Path, "none.safetensors"), 3, 1.0, 1, "", TextWriter.Null));

        string model = Path.Combine(folder.Path, "model.safetensors");
        var untrained = new CharRnnModel(new CharRnnSpec("gru", 4, 8, 2, "abc"), new Generator(1));
        new CharRnnModelFile { Model = untrained, TrainWords = ["ab", "cab"] }.Save(model);
        // A two-layer GRU travels too: the same weights under the same names.
        var loaded = CharRnnModelFile.Load(model).Model;
        Assert.Equal(untrained.Spec, loaded.Spec);
        foreach (var ((name, a), (_, b)) in untrained.StateDict().Zip(loaded.StateDict()))
            Assert.True(a.ToArray().SequenceEqual(b.ToArray()), name);
        Assert.Equal(0, SampleCommand.Sample(model, 3, 1.0, 1, "", TextWriter.Null));
        var bad = Assert.Throws<ArgumentException>(() => SampleCommand.Sample(model, 3, 1.0, 1, "aB", TextWriter.Null));
        Assert.Contains("'B' at position 1", bad.Message);
        Assert.Throws<ArgumentException>(() => SampleCommand.Sample(model, 0, 1.0, 1, "", TextWriter.Null));
        Assert.Throws<ArgumentException>(() => SampleCommand.Sample(model, 3, 0.0, 1, "", TextWriter.Null));
    }
}
