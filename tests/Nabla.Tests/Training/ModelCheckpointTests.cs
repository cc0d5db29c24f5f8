using System.Collections;
using Nabla.Data;
using Nabla.IO;
using Nabla.Optim;
using Nabla.Tests.IO;
using Nabla.Training;

namespace Nabla.Tests.Training;

/// <summary>
/// ModelCheckpoint: a checkpoint after every good epoch; a run that diverges leaves the last good one on disk,
/// byte for byte, and resuming from it in fresh objects trains on exactly as the run that never diverged.
/// </summary>
[Collection(DefaultGeneratorCollection.Name)] // Checkpoint.Load restores the default generator
public class ModelCheckpointTests
{
    private const int Samples = 24, Batch = 6;

    // (24, 3) inputs and (24, 2) targets, fixed for every run.
    private static readonly TensorDataset data = new(
        Tensor.Randn([Samples, 3], new Generator(200)), Tensor.Randn([Samples, 2], new Generator(201)));

    private static Tensor Mse(Tensor output, Tensor target)
    {
        var diff = output - target;
        return (diff * diff).Mean();
    }

    /// <summary>The objects of one run, made the same way every time.</summary>
    private sealed class Run
    {
        public Run(string path)
        {
            Model = new TestMlp(3, 8, 2, seed: 7);
            Optimizer = new SGD(Model.Parameters(), lr: 0.05, momentum: 0.9);
            Shuffle = new Generator(11);
            Loader = new DataLoader(data, Batch, shuffle: true, generator: Shuffle);
            Trainer = new Trainer(Model, Optimizer, Mse) { ComputeAccuracy = false, Scheduler = new StepLR(Optimizer, stepSize: 1, gamma: 0.7) };
            Checkpoint = new ModelCheckpoint(path, generators: [Shuffle]);
            Trainer.Callbacks.Add(Checkpoint);
        }

        public TestMlp Model { get; }
        public SGD Optimizer { get; }
        public Generator Shuffle { get; }
        public DataLoader Loader { get; }
        public Trainer Trainer { get; }
        public ModelCheckpoint Checkpoint { get; }

        public CheckpointInfo Resume(string path)
        {
            var info = Nabla.IO.Checkpoint.Load(path, Model, Optimizer, Trainer.Scheduler, [Shuffle]);
            Checkpoint.ResumeFrom(info);
            return info;
        }
    }

    /// <summary>The loader's batches, except that batch <paramref name="batch"/> of epoch <paramref name="epoch"/> gets a NaN input.</summary>
    private sealed class PoisonedBatches(DataLoader loader, int epoch, int batch) : IEnumerable<(Tensor Input, Tensor Target)>
    {
        private int epochs;

        public IEnumerator<(Tensor Input, Tensor Target)> GetEnumerator()
        {
            epochs++;
            int b = 0;
            foreach (var (input, target) in loader)
            {
                b++;
                yield return epochs == epoch && b == batch ? (Tensor.Full(float.NaN, input.Shape[0], input.Shape[1]), target) : (input, target);
            }
        }

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
    }

    /// <summary>Copies the checkpoint file's bytes at the end of each epoch (added after the ModelCheckpoint).</summary>
    private sealed class FileSnapshots(string path) : TrainingCallback
    {
        public List<byte[]> Bytes { get; } = new();

        public override void OnEpochEnd(Trainer trainer, EpochRecord record) => Bytes.Add(File.ReadAllBytes(path));
    }

    [Fact]
    public void DivergenceKeepsTheLastGoodCheckpointAndResumingFromItMatchesTheCleanRun()
    {
        using var folder = new TempFolder();
        string path = folder.File("run/checkpoint.safetensors"); // the folder is created on the first save

        Tensor.ManualSeed(3);
        var diverging = new Run(path);
        var snapshots = new FileSnapshots(path);
        diverging.Trainer.Callbacks.Add(snapshots);
        var history = diverging.Trainer.Fit(new PoisonedBatches(diverging.Loader, epoch: 3, batch: 2), epochs: 5);

        Assert.Contains("epoch 3, batch 2", history.StopReason);
        Assert.Equal(2, history.Epochs.Count);
        Assert.Equal(2, diverging.Checkpoint.SavedEpoch);
        Assert.Equal(2, snapshots.Bytes.Count);
        Assert.Equal(snapshots.Bytes[1], File.ReadAllBytes(path)); // unchanged since epoch 2
        var kept = new TestMlp(3, 8, 2);
        Checkpoint.Load(path, kept);
        Assert.NotEqual(kept.Snapshot(), diverging.Model.Snapshot()); // the model in memory took epoch 3's first step
        Assert.Equal(["checkpoint.safetensors"], Directory.GetFiles(Path.GetDirectoryName(path)!).Select(Path.GetFileName));

        // The run that never saw the NaN, epochs 1..4.
        using var cleanFolder = new TempFolder();
        Tensor.ManualSeed(3);
        var clean = new Run(cleanFolder.File("checkpoint.safetensors"));
        var cleanHistory = clean.Trainer.Fit(clean.Loader, epochs: 4);

        // Fresh objects resumed from the kept checkpoint, epochs 3..4 on clean data.
        Tensor.ManualSeed(99); // Load puts the default generator back
        var resumed = new Run(path);
        var info = resumed.Resume(path);
        Assert.Equal(2, info.Epoch);
        Assert.Equal(2L * (Samples / Batch), info.GlobalStep);
        var resumedHistory = resumed.Trainer.Fit(resumed.Loader, epochs: 2);

        Assert.Equal(cleanHistory.Epochs[2].TrainLoss, resumedHistory.Epochs[0].TrainLoss);
        Assert.Equal(cleanHistory.Epochs[3].TrainLoss, resumedHistory.Epochs[1].TrainLoss);
        Assert.Equal(clean.Model.Snapshot(), resumed.Model.Snapshot());
        Assert.Equal(4, resumed.Checkpoint.SavedEpoch);
        Assert.Equal(4, Checkpoint.Load(path, new TestMlp(3, 8, 2)).Epoch);
    }

    [Fact]
    public void SavesOnlyGoodEpochsAndWithSaveBestOnlyOnlyImprovements()
    {
        using var folder = new TempFolder();
        var model = new TestMlp(3, 4, 2, seed: 1);
        var trainer = new Trainer(model, new SGD(model.Parameters(), lr: 0.1), Mse);
        var every = new ModelCheckpoint(folder.File("every.safetensors"));
        var best = new ModelCheckpoint(folder.File("best.safetensors"), saveBestOnly: true);

        // (epoch, train loss, validation loss, validation accuracy) -> epoch saved by each afterwards.
        (int, double, double, double, int Every, int Best)[] steps =
        [
            (1, 1.0, 0.50, 0.7, 1, 1),
            (2, 0.9, 0.70, 0.7, 2, 1),                           // validation got worse
            (3, 0.8, 0.40, 0.8, 3, 3),
            (4, 0.7, double.NaN, 0.8, 3, 3),                     // validation ran and diverged
            (5, double.PositiveInfinity, double.NaN, double.NaN, 3, 3),
            (6, 0.6, double.PositiveInfinity, 0.1, 3, 3),
            (7, 0.5, double.NaN, double.NaN, 7, 3),              // no validation: the training loss (0.5) is monitored, not below 0.40
            (8, 0.3, double.NaN, double.NaN, 8, 8),
        ];
        foreach (var (epoch, trainLoss, validationLoss, accuracy, expectEvery, expectBest) in steps)
        {
            var record = new EpochRecord { Epoch = epoch, TrainLoss = trainLoss, ValidationLoss = validationLoss, ValidationAccuracy = accuracy };
            every.OnEpochEnd(trainer, record);
            best.OnEpochEnd(trainer, record);
            Assert.Equal(expectEvery, every.SavedEpoch);
            Assert.Equal(expectBest, best.SavedEpoch);
            Assert.Equal(expectEvery, Checkpoint.Load(every.Path, new TestMlp(3, 4, 2)).Epoch);
            Assert.Equal(expectBest, Checkpoint.Load(best.Path, new TestMlp(3, 4, 2)).Epoch);
        }
        Assert.Equal("0.3", Checkpoint.Load(best.Path, new TestMlp(3, 4, 2)).Metadata[ModelCheckpoint.MonitoredKey]);
    }
}
