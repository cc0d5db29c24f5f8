using System.CommandLine;
using System.Text.Json;
using Nabla.Cli.Commands;
using Nabla.Cli.Models;
using Nabla.Tests.Data;

namespace Nabla.Tests.Cli;

/// <summary>A digits CNN trained once (4 epochs, about two seconds) and shared by the tests that need a trained file.</summary>
public sealed class DigitsCnnFixture : IDisposable
{
    public DigitsCnnFixture()
    {
        var options = new TrainCommand.TrainOptions("cnn", "digits", null, null, [], "relu", "adam", 1e-3, "cosine", 4, 64, 0.2, 0, 1, 1, Folder.Path);
        ExitCode = TrainCnnCommand.Train(options);
        using var metrics = JsonDocument.Parse(File.ReadAllText(ModelPath.Replace("model.safetensors", "metrics.json", StringComparison.Ordinal)));
        TestAccuracy = metrics.RootElement.GetProperty("test_accuracy").GetDouble();
        Memory = metrics.RootElement.GetProperty("memory").GetArrayLength();
    }

    internal TempFolder Folder { get; } = new();

    public int ExitCode { get; }

    public double TestAccuracy { get; }

    public int Memory { get; }

    public string ModelPath => Path.Combine(Folder.Path, "model.safetensors");

    public void Dispose() => Folder.Dispose();
}

[Collection(nameof(Nabla.Tests.NN.DefaultGeneratorCollection))] // training reseeds the shared default generator
public class CnnCommandTests(DigitsCnnFixture trained) : IClassFixture<DigitsCnnFixture>
{
    [Fact]
    public void DigitsCnnLearnsAndWritesEveryFile()
    {
        Assert.Equal(0, trained.ExitCode);
        foreach (var f in new[] { "model.safetensors", "history.svg", "history.csv", "summary.txt", "metrics.json" })
            Assert.True(File.Exists(Path.Combine(trained.Folder.Path, f)), $"{f} was not written");
        // Chance is 10%; four epochs of this network reach about 97%.
        Assert.True(trained.TestAccuracy >= 0.93, $"digits CNN test accuracy {trained.TestAccuracy}");
        Assert.Equal(4, trained.Memory);
        Assert.Contains("Conv2d", File.ReadAllText(Path.Combine(trained.Folder.Path, "summary.txt")));
    }

    [Fact]
    public void ModelFileReloadsWithShapeClassesPreprocessingAndTheSameAccuracy()
    {
        var file = CnnModelFile.Load(trained.ModelPath);
        Assert.Equal((1, 8, 8), file.InputShape);
        Assert.Equal(["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"], file.ClassNames);
        Assert.Equal("digits", file.Dataset);
        Assert.False(file.Model.IsTraining);

        // The normalization is the training part's pixel mean and std: a pixel equal to the mean maps to 0.
        float mean = file.Spec.Mean[0], std = file.Spec.Std[0];
        Assert.InRange(mean, 0.2f, 0.4f);
        Assert.InRange(std, 0.2f, 0.5f);
        var normalized = file.Preprocess(Tensor.Full(mean + std, 2, 64));
        Assert.Equal([2, 1, 8, 8], normalized.Shape.ToArray());
        Assert.All(normalized.ToArray(), v => Assert.Equal(1f, v, 5));

        var problem = ImageDataSources.Load("digits", null);
        var p = file.Probabilities(problem.Test.Inputs);                        // (360, 10)
        var predicted = p.ArgMax(1).ToArray();
        var labels = problem.Test.Targets.ToArray();
        double accuracy = predicted.Zip(labels).Count(x => x.First == x.Second) / (double)labels.Length;
        Assert.Equal(trained.TestAccuracy, accuracy, 9);
        Assert.Equal(360, p.Sum(1).ToArray().Count(s => MathF.Abs(s - 1) < 1e-5f));
    }

    [Fact]
    public void WrongShapesAndWrongArchitecturesAreRefused()
    {
        var file = CnnModelFile.Load(trained.ModelPath);
        var ex = Assert.Throws<ArgumentException>(() => file.Preprocess(Tensor.Zeros(3, 1, 28, 28)));
        Assert.Contains("(N, 1, 8, 8)", ex.Message);
        Assert.Contains("(3, 1, 28, 28)", ex.Message);

        // An MLP file is not a CNN file, and the error says what it is.
        using var folder = new TempFolder();
        string mlpPath = WriteMlpFile(folder);
        var wrongKind = Assert.Throws<InvalidDataException>(() => CnnModelFile.Load(mlpPath));
        Assert.Contains("'mlp'", wrongKind.Message);
        Assert.IsType<MlpModelFile>(ClassifierFile.Load(mlpPath));
        Assert.IsType<CnnModelFile>(ClassifierFile.Load(trained.ModelPath));

        // A CNN whose metadata claims other sizes than its weights have.
        string mismatched = Path.Combine(folder.Path, "mismatched.safetensors");
        var wide = file.Spec with { Hidden = 64 };
        new CnnModelFile { Spec = wide, Model = file.Model }.Save(mismatched);
        var wrongWeights = Assert.Throws<InvalidDataException>(() => CnnModelFile.Load(mismatched));
        Assert.Contains("do not fit", wrongWeights.Message);
        Assert.Contains("10.weight", wrongWeights.Message);

        // Image sizes too small for two pooling blocks.
        var tiny = Assert.Throws<ArgumentException>(() => (file.Spec with { Height = 3 }).Build());
        Assert.Contains("too small", tiny.Message);
    }

    [Fact]
    public void CommandsAcceptTheCnnFileAndRejectBadInput()
    {
        using var folder = new TempFolder();
        string goodRows = folder.WriteText("good.csv", string.Join(",", Enumerable.Repeat("0.5", 64)) + "\n");
        string badRows = folder.WriteText("bad.csv", string.Join(",", Enumerable.Repeat("0.5", 63)) + "\n");
        string mlpPath = WriteMlpFile(folder);
        var output = new StringWriter();
        var error = new StringWriter();
        int Run(params string[] args)
        {
            var root = new RootCommand { TrainCommand.Create(), EvaluateCommand.Create(), PredictCommand.Create(), SummaryCommand.Create(), ShowCommand.Create() };
            var saved = (Console.Out, Console.Error);
            Console.SetOut(output);
            Console.SetError(error);
            try { return root.Parse(args).Invoke(); }
            finally { Console.SetOut(saved.Out); Console.SetError(saved.Error); }
        }

        Assert.Equal(0, Run("summary", trained.ModelPath));
        Assert.Contains("(1, 64, 2, 2)", output.ToString());
        Assert.Equal(0, Run("evaluate", trained.ModelPath));
        Assert.Contains("digits test sample (360)", output.ToString());
        Assert.Equal(0, Run("predict", trained.ModelPath, "-i", goodRows));
        Assert.Contains("row,class,name,probability", output.ToString());

        Assert.Equal(1, Run("predict", trained.ModelPath, "-i", badRows));
        Assert.Contains("63 values, but the model expects 64 values per row (1x8x8 pixels)", error.ToString());
        Assert.Equal(1, Run("train", "--model", "cnn", "--dataset", "iris"));
        Assert.Contains("needs images", error.ToString());
        Assert.Equal(1, Run("show", "filters", mlpPath));
        Assert.Contains("not the CNN expected", error.ToString());
        Assert.Equal(1, Run("train", "--model", "resnet"));
        Assert.Contains("Known: mlp, cnn", error.ToString());
    }

    [Fact]
    public void ShowFiltersWritesFiltersSampleAndFeatureMaps()
    {
        using var folder = new TempFolder();
        var file = CnnModelFile.Load(trained.ModelPath);
        var written = ShowCommand.Filters(file, folder.Path, sample: 5, dataDirectory: null);
        Assert.Equal(["filters.png", "sample.png", "feature_maps.png"], written.Select(Path.GetFileName));
        var sizes = written.Select(PngSize).ToArray();
        // 32 filters of 3x3 at 16x in 8 columns: 4 rows, wider than tall. 32 maps of 4x4 at 14x: the same layout.
        Assert.All(sizes, s => Assert.True(s.Width > 0 && s.Height > 0));
        Assert.True(sizes[0].Width > sizes[0].Height, $"filters {sizes[0]}");
        Assert.Equal(112, sizes[1].Width);                            // the 8x8 image at 14x, no padding
        Assert.True(sizes[2].Width > sizes[2].Height, $"feature maps {sizes[2]}");

        var ex = Assert.Throws<ArgumentException>(() => ShowCommand.Filters(file, folder.Path, sample: 360, dataDirectory: null));
        Assert.Contains("images 0 to 359", ex.Message);
    }

    private static string WriteMlpFile(TempFolder folder)
    {
        string path = Path.Combine(folder.Path, "mlp.safetensors");
        var spec = new MlpSpec(64, [8], "relu", ["a", "b"], "digits");
        new MlpModelFile { Spec = spec, Model = spec.Build() }.Save(path);
        return path;
    }

    private static (int Width, int Height) PngSize(string path)
    {
        var bytes = File.ReadAllBytes(path);
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], bytes[..4]);
        return (System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(16)), System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(20)));
    }

    [Fact]
    public void CnnDefaultsApplyOnlyWhereTheCommandLineIsSilent()
    {
        var train = TrainCommand.Create();
        TrainCommand.TrainOptions Parsed(params string[] args)
        {
            var parse = train.Parse(args);
            var o = new TrainCommand.TrainOptions(parse.GetValue<string>("--model")!, "digits", null, null, [], "relu", "adam", 1e-3, "cosine",
                parse.GetValue<int>("--epochs"), parse.GetValue<int>("--batch-size"), 0.2, 0, 1, 1, "out");
            return TrainCnnCommand.WithDefaults(o, parse.GetResult(train.Options.First(x => x.Name == "--epochs")),
                                                parse.GetResult(train.Options.First(x => x.Name == "--batch-size")));
        }
        var defaults = Parsed("--model", "cnn");
        Assert.Equal((10, 64), (defaults.Epochs, defaults.BatchSize));
        var given = Parsed("--model", "cnn", "--epochs", "3", "--batch-size", "32");
        Assert.Equal((3, 32), (given.Epochs, given.BatchSize));
        var mlp = Parsed();
        Assert.Equal((40, 32), (mlp.Epochs, mlp.BatchSize));
    }
}
