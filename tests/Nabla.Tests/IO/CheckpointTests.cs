using Nabla.IO;
using Nabla.Optim;

namespace Nabla.Tests.IO;

/// <summary>
/// Tests that read or restore <see cref="Generator.Default"/> run alone: a test in another class drawing from it
/// at the same time would change the stream under them.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class DefaultGeneratorCollection
{
    public const string Name = "Uses the default generator";
}

/// <summary>
/// Checkpoint.Save / Load: a run interrupted, saved, and resumed in fresh objects ends bit for bit where the
/// uninterrupted run ends; a corrupt or mismatched checkpoint changes nothing.
/// </summary>
[Collection(DefaultGeneratorCollection.Name)]
public class CheckpointTests
{
    private const int Samples = 20, Batch = 5, Epochs = 6, Half = Epochs / 2;

    // (20, 3) inputs and (20, 2) targets, fixed for every run.
    private static readonly Tensor inputs = Tensor.Randn([Samples, 3], new Generator(100));
    private static readonly Tensor targets = Tensor.Randn([Samples, 2], new Generator(101));

    /// <summary>The objects of one training run.</summary>
    private sealed class Run
    {
        public Run(long modelSeed, long shuffleSeed)
        {
            Model = new TestMlp(3, 6, 2, modelSeed);
            Optimizer = new Adam(Model.Parameters(), lr: 0.05);
            Scheduler = new StepLR(Optimizer, stepSize: 2, gamma: 0.5);
            Shuffle = new Generator(shuffleSeed);
        }

        public TestMlp Model { get; }
        public Adam Optimizer { get; }
        public StepLR Scheduler { get; }
        public Generator Shuffle { get; }
        public long Step { get; private set; }

        /// <summary>
        /// Trains epochs [from, to): each epoch draws a permutation from the shuffle generator, and each batch adds
        /// input noise from the default generator ((5, 3): an odd count, so a normal sample is left cached between
        /// batches), as data augmentation would. The loss is the mean squared error.
        /// </summary>
        public void Train(int from, int to)
        {
            for (int epoch = from; epoch < to; epoch++)
            {
                var order = Permutation(Samples, Shuffle);
                for (int start = 0; start < Samples; start += Batch)
                {
                    var index = Tensor.FromArray(order[start..(start + Batch)].Select(i => (float)i).ToArray());
                    var x = inputs.IndexSelect(0, index) + Tensor.Randn(Batch, 3) * 0.1f; // (B, 3)
                    var diff = Model.Call(x) - targets.IndexSelect(0, index);              // (B, 2)
                    var loss = (diff * diff).Mean();
                    Optimizer.ZeroGrad();
                    loss.Backward();
                    Optimizer.Step();
                    Step++;
                }
                Scheduler.Step();
            }
        }

        public void Resumed(long step) => Step = step;

        private static int[] Permutation(int n, Generator g)
        {
            // Fisher-Yates from the end, as torch.randperm's CPU path does for small n.
            var p = Enumerable.Range(0, n).ToArray();
            for (int i = n - 1; i > 0; i--)
            {
                int j = (int)g.NextInt64(0, i + 1);
                (p[i], p[j]) = (p[j], p[i]);
            }
            return p;
        }
    }

    private static Run Uninterrupted()
    {
        Tensor.ManualSeed(2024);
        var run = new Run(modelSeed: 1, shuffleSeed: 9);
        run.Train(0, Epochs);
        return run;
    }

    /// <summary>Trains the first half and saves a checkpoint; leaves the default generator elsewhere, as another job would.</summary>
    private static void TrainHalfAndSave(string path)
    {
        Tensor.ManualSeed(2024);
        var run = new Run(modelSeed: 1, shuffleSeed: 9);
        run.Train(0, Half);
        Checkpoint.Save(path, run.Model, run.Optimizer, run.Scheduler, epoch: Half, globalStep: run.Step,
            generators: [run.Shuffle], metadata: new Dictionary<string, string> { ["best_val_loss"] = "0.125" });
        Tensor.ManualSeed(777);
    }

    [Fact]
    public void ResumedRunEqualsTheUninterruptedRunBitForBit()
    {
        var reference = Uninterrupted();
        var referenceDefault = Generator.Default.GetState();
        using var folder = new TempFolder();
        string path = folder.File("last.safetensors");
        TrainHalfAndSave(path);

        // Fresh objects, made as at the start of a new process but with other seeds: everything must come from the file.
        var resumed = new Run(modelSeed: 99, shuffleSeed: 12345);
        var info = Checkpoint.Load(path, resumed.Model, resumed.Optimizer, resumed.Scheduler, generators: [resumed.Shuffle]);
        Assert.Equal(Half, info.Epoch);
        Assert.Equal(Half * Samples / Batch, info.GlobalStep);
        Assert.Equal("0.125", info.Metadata["best_val_loss"]);
        Assert.Single(info.Metadata);
        Assert.Equal(Checkpoint.FormatVersion, info.FormatVersion);
        Assert.NotEqual(reference.Model.Snapshot(), resumed.Model.Snapshot()); // half way is not the end

        resumed.Resumed(info.GlobalStep);
        resumed.Train(info.Epoch, Epochs);
        Assert.Equal(reference.Model.Snapshot(), resumed.Model.Snapshot()); // float[] equality: every bit
        Assert.Equal(reference.Step, resumed.Step);
        Assert.Equal(reference.Optimizer.LearningRate, resumed.Optimizer.LearningRate);
        Assert.Equal(reference.Scheduler.LastEpoch, resumed.Scheduler.LastEpoch);
        Assert.Equal(reference.Shuffle.GetState(), resumed.Shuffle.GetState());
        Assert.Equal(referenceDefault, Generator.Default.GetState());
    }

    public enum Broken { DefaultGenerator, ShuffleGenerator, OptimizerState, Scheduler }

    /// <summary>The resume test can fail: leaving out any one part of the state changes the final weights.</summary>
    [Theory]
    [InlineData(Broken.DefaultGenerator)]
    [InlineData(Broken.ShuffleGenerator)]
    [InlineData(Broken.OptimizerState)]
    [InlineData(Broken.Scheduler)]
    public void LeavingOutAnyPartOfTheStateChangesTheResult(Broken broken)
    {
        var reference = Uninterrupted();
        using var folder = new TempFolder();
        string path = folder.File("last.safetensors");
        TrainHalfAndSave(path);

        var resumed = new Run(modelSeed: 99, shuffleSeed: 12345);
        var defaultBefore = Generator.Default.GetState();
        var info = Checkpoint.Load(path, resumed.Model,
            broken == Broken.OptimizerState ? null : resumed.Optimizer,
            broken == Broken.Scheduler ? null : resumed.Scheduler,
            generators: broken == Broken.ShuffleGenerator ? [] : [resumed.Shuffle]);
        if (broken == Broken.DefaultGenerator) Generator.Default.SetState(defaultBefore);
        if (broken == Broken.OptimizerState) resumed.Optimizer.LearningRate = 0.05 * 0.5; // the saved rate, without Adam's moments
        resumed.Train(info.Epoch, Epochs);
        Assert.NotEqual(reference.Model.Snapshot(), resumed.Model.Snapshot());
    }

    [Fact]
    public void FileHoldsEveryPartUnderItsPrefixWithPyTorchNames()
    {
        using var folder = new TempFolder();
        string path = folder.File("last.safetensors");
        TrainHalfAndSave(path);
        var file = SafeTensors.Load(path);
        Assert.Equal(
            ["model.0.bias", "model.0.weight", "model.2.bias", "model.2.weight"],
            file.Keys.Where(k => k.StartsWith("model.", StringComparison.Ordinal)).Order(StringComparer.Ordinal));
        Assert.Contains("optimizer.state.0.exp_avg", file.Keys);
        Assert.Contains("optimizer.param_groups.0.lr", file.Keys);
        Assert.Contains("scheduler.last_epoch", file.Keys);
        Assert.Equal(0, file["optimizer.state.0.step"].Rank);
        Assert.Equal(DType.Float64, file["optimizer.state.0.step"].DType);
        var m = file.Metadata;
        Assert.Equal("nabla.checkpoint", m["format"]);
        Assert.Equal("1", m["format_version"]);
        Assert.Equal("3", m["epoch"]);
        Assert.Equal("12", m["global_step"]);
        Assert.Equal("Adam", m["optimizer"]);
        Assert.Equal("StepLR", m["scheduler"]);
        Assert.Equal("TestMlp", m["model"]);
        Assert.Equal("1", m["generators"]);
        Assert.Matches("^([0-9a-f]{16} ){5}[0-9a-f]{16}$", m["rng.default"]);
        Assert.Matches("^([0-9a-f]{16} ){5}[0-9a-f]{16}$", m["rng.0"]);
        Assert.Equal("0.125", m["user.best_val_loss"]);
        Assert.Equal(["last.safetensors"], folder.FileNames()); // written atomically: no temporary file left
    }

    /// <summary>Everything a failed load must leave alone.</summary>
    private sealed record Observed(float[][] Weights, string Optimizer, int SchedulerEpoch, double Lr, ulong[] Shuffle, ulong[] Default)
    {
        public static Observed Of(Run run) => new(run.Model.Snapshot(),
            string.Join(";", run.Optimizer.StateDict().Select(kv => kv.Key + "=" + string.Join(",", kv.Value.ToDoubleArray()))),
            run.Scheduler.LastEpoch, run.Optimizer.LearningRate, run.Shuffle.GetState(), Generator.Default.GetState());

        public void AssertSame(Observed other)
        {
            Assert.Equal(Weights, other.Weights);
            Assert.Equal(Optimizer, other.Optimizer);
            Assert.Equal(SchedulerEpoch, other.SchedulerEpoch);
            Assert.Equal(Lr, other.Lr);
            Assert.Equal(Shuffle, other.Shuffle);
            Assert.Equal(Default, other.Default);
        }
    }

    /// <summary>A run with some optimizer state of its own, so that "unchanged" is a real check.</summary>
    private static Run Bystander()
    {
        Tensor.ManualSeed(5);
        var run = new Run(modelSeed: 50, shuffleSeed: 51);
        run.Train(0, 1);
        return run;
    }

    [Theory]
    [InlineData(10)]      // the end of the data
    [InlineData(200_000)] // inside the header, or everything but the length (cut to at most the file's size)
    public void TruncatedCheckpointIsRefusedAndChangesNothing(int cut)
    {
        using var folder = new TempFolder();
        string path = folder.File("last.safetensors");
        TrainHalfAndSave(path);
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..Math.Max(8, bytes.Length - cut)]);

        var run = Bystander();
        var before = Observed.Of(run);
        var e = Assert.Throws<InvalidDataException>(() =>
            Checkpoint.Load(path, run.Model, run.Optimizer, run.Scheduler, generators: [run.Shuffle]));
        Assert.StartsWith(path + ": ", e.Message);
        Assert.Contains("truncated", e.Message);
        before.AssertSame(Observed.Of(run));
    }

    [Fact]
    public void OptimizerStateThatDoesNotFitPutsTheModelBack()
    {
        using var folder = new TempFolder();
        string path = folder.File("last.safetensors");
        TrainHalfAndSave(path);
        // A well-formed file whose model part fits but whose optimizer part does not: the model is restored
        // first, so the loader must undo it.
        var file = SafeTensors.Load(path);
        var edited = file.Select(kv => kv.Key == "optimizer.state.1.exp_avg" ? new KeyValuePair<string, Tensor>(kv.Key, Tensor.Zeros(7)) : kv).ToList();
        SafeTensors.Save(path, edited, file.Metadata.ToDictionary());

        var run = Bystander();
        var before = Observed.Of(run);
        var e = Assert.Throws<ArgumentException>(() =>
            Checkpoint.Load(path, run.Model, run.Optimizer, run.Scheduler, generators: [run.Shuffle]));
        Assert.StartsWith(path + ": the checkpoint does not fit what was given.", e.Message);
        Assert.Contains("state.1.exp_avg has shape (7,), the parameter (6,)", e.Message);
        before.AssertSame(Observed.Of(run));
    }

    [Fact]
    public void SchedulerStateThatDoesNotFitPutsTheModelAndOptimizerBack()
    {
        using var folder = new TempFolder();
        string path = folder.File("last.safetensors");
        TrainHalfAndSave(path);
        var file = SafeTensors.Load(path);
        var edited = file.Where(kv => kv.Key != "scheduler.base_lrs").ToList();
        SafeTensors.Save(path, edited, file.Metadata.ToDictionary());

        var run = Bystander();
        var before = Observed.Of(run);
        var e = Assert.Throws<ArgumentException>(() =>
            Checkpoint.Load(path, run.Model, run.Optimizer, run.Scheduler, generators: [run.Shuffle]));
        Assert.Contains("missing key 'base_lrs'", e.Message);
        before.AssertSame(Observed.Of(run));
    }

    [Fact]
    public void ModelThatDoesNotFitIsRefusedWithEveryMismatch()
    {
        using var folder = new TempFolder();
        string path = folder.File("last.safetensors");
        TrainHalfAndSave(path);
        var model = new TestMlp(3, 7, 2, seed: 1); // a wider hidden layer
        var before = model.Snapshot();
        var e = Assert.Throws<ArgumentException>(() => Checkpoint.Load(path, model));
        Assert.Contains("'0.weight': shape (6, 3) in the state, (7, 3) in the model", e.Message);
        Assert.Contains("'0.bias'", e.Message);
        Assert.Contains("'2.weight'", e.Message);
        Assert.Equal(before, model.Snapshot());
    }

    [Fact]
    public void PartsOfAnotherKindAreAllListed()
    {
        using var folder = new TempFolder();
        string path = folder.File("last.safetensors");
        var saved = new TestMlp(3, 6, 2, seed: 1);
        Checkpoint.Save(path, saved, new Adam(saved.Parameters()), generators: [new Generator(1)]);

        var model = new TestMlp(3, 6, 2, seed: 2);
        var sgd = new SGD(model.Parameters(), lr: 0.1);
        var scheduler = new StepLR(sgd, stepSize: 1);
        var before = model.Snapshot();
        var e = Assert.Throws<ArgumentException>(() =>
            Checkpoint.Load(path, model, sgd, scheduler, generators: [new Generator(), new Generator()]));
        Assert.Contains("2 generator(s) given, but the checkpoint holds the state of 1", e.Message);
        Assert.Contains("the optimizer is a SGD, but the checkpoint holds the state of a Adam", e.Message);
        Assert.Contains("a scheduler (StepLR) was given, but the checkpoint was saved without one", e.Message);
        Assert.Equal(before, model.Snapshot());
    }

    [Fact]
    public void PlainWeightsAreNotACheckpoint()
    {
        using var folder = new TempFolder();
        string path = folder.File("weights.safetensors");
        var model = new TestMlp(3, 6, 2, seed: 1);
        model.SaveWeights(path);
        var e = Assert.Throws<InvalidDataException>(() => Checkpoint.Load(path, model));
        Assert.Equal($"{path}: not a Nabla checkpoint (metadata 'format' is 'pt', expected 'nabla.checkpoint'); plain weights load with LoadWeights.", e.Message);
    }

    [Theory]
    [InlineData("format_version", "2", "written in checkpoint format version 2, but this version of Nabla reads up to 1")]
    [InlineData("format_version", "one", "metadata 'format_version' is 'one', not an integer")]
    [InlineData("epoch", "3.5", "metadata 'epoch' is '3.5', not an integer")]
    [InlineData("global_step", null, "metadata 'global_step' is missing")]
    [InlineData("rng.default", "0 0 0 0 0 0", "metadata 'rng.default' is '0 0 0 0 0 0', not a generator state (6 hex words)")]
    [InlineData("rng.0", "0000000000000000 0000000000000000 0000000000000000 0000000000000000 0000000000000000 0000000000000000", "metadata 'rng.0' is")]
    public void BadMetadataIsRefusedAndChangesNothing(string key, string? value, string expected)
    {
        using var folder = new TempFolder();
        string path = folder.File("last.safetensors");
        TrainHalfAndSave(path);
        var file = SafeTensors.Load(path);
        var metadata = file.Metadata.ToDictionary();
        if (value is null) metadata.Remove(key);
        else metadata[key] = value;
        SafeTensors.Save(path, file, metadata);

        var run = Bystander();
        var before = Observed.Of(run);
        var e = Assert.Throws<InvalidDataException>(() =>
            Checkpoint.Load(path, run.Model, run.Optimizer, run.Scheduler, generators: [run.Shuffle]));
        Assert.Contains(expected, e.Message);
        before.AssertSame(Observed.Of(run));
    }

    [Fact]
    public void UnexpectedTensorIsRefused()
    {
        using var folder = new TempFolder();
        string path = folder.File("last.safetensors");
        TrainHalfAndSave(path);
        var file = SafeTensors.Load(path);
        SafeTensors.Save(path, file.Append(new("ema.0.weight", Tensor.Zeros(1))), file.Metadata.ToDictionary());
        var e = Assert.Throws<InvalidDataException>(() => Checkpoint.Load(path, new TestMlp(3, 6, 2)));
        Assert.Contains("unexpected tensor 'ema.0.weight'", e.Message);
    }

    [Fact]
    public void ReduceLROnPlateauIsSavedAndRestored()
    {
        using var folder = new TempFolder();
        string path = folder.File("plateau.safetensors");
        var model = new TestMlp(3, 6, 2, seed: 1);
        var sgd = new SGD(model.Parameters(), lr: 0.1);
        var plateau = new ReduceLROnPlateau(sgd, patience: 0);
        foreach (double metric in new[] { 1.0, 0.5, 0.7, 0.8 }) plateau.Step(metric);
        Checkpoint.Save(path, model, sgd, plateau, epoch: 4);

        var model2 = new TestMlp(3, 6, 2, seed: 2);
        var sgd2 = new SGD(model2.Parameters(), lr: 0.1);
        var plateau2 = new ReduceLROnPlateau(sgd2, patience: 0);
        Checkpoint.Load(path, model2, sgd2, plateau2);
        Assert.Equal(plateau.Best, plateau2.Best);
        Assert.Equal(plateau.NumBadEpochs, plateau2.NumBadEpochs);
        Assert.Equal(sgd.LearningRate, sgd2.LearningRate);
        Assert.Equal(model.Snapshot(), model2.Snapshot());
    }

    [Fact]
    public void ModelOnlyLoadIgnoresTheTrainingState()
    {
        using var folder = new TempFolder();
        string path = folder.File("last.safetensors");
        TrainHalfAndSave(path);
        var model = new TestMlp(3, 6, 2, seed: 5);
        var info = Checkpoint.Load(path, model);
        Assert.Equal(Half, info.Epoch);
        Assert.NotEqual(new TestMlp(3, 6, 2, seed: 5).Snapshot(), model.Snapshot());
    }
}
