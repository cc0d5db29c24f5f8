using Nabla.IO;

namespace Nabla.Training;

/// <summary>
/// Saves a full <see cref="Checkpoint"/> (weights, optimizer and scheduler state, epoch, global step, random
/// generators) after every epoch whose losses are finite (Keras' <c>ModelCheckpoint</c>), or, with
/// <see cref="SaveBestOnly"/>, only when the monitored loss improves. The file is replaced atomically, so
/// when training diverges (the <see cref="Trainer"/> stops at the first non-finite batch loss) or the process
/// dies while saving, the last good checkpoint stays on disk unchanged and training resumes from it.
/// </summary>
/// <example>
/// <code>
/// var checkpoint = new ModelCheckpoint("run/checkpoint.safetensors", generators: [shuffle]);
/// trainer.Callbacks.Add(checkpoint);
/// trainer.Fit(train, validation, epochs: 20);
/// // later, in fresh objects made the same way:
/// var info = Checkpoint.Load("run/checkpoint.safetensors", model, optimizer, scheduler, [shuffle]);
/// trainer.Fit(train, validation, epochs: 20 - info.Epoch);
/// </code>
/// </example>
public sealed class ModelCheckpoint : TrainingCallback
{
    private readonly IReadOnlyList<Generator>? generators;
    private double best = double.PositiveInfinity;
    private long steps;
    private int epochOffset;

    /// <summary>Creates the callback.</summary>
    /// <param name="path">The checkpoint file (conventionally <c>*.safetensors</c>); its folder is created if missing.</param>
    /// <param name="saveBestOnly">Save only when the monitored loss (validation loss, or training loss without
    /// validation) is lower than at every earlier save.</param>
    /// <param name="generators">Generators besides <see cref="Generator.Default"/> whose state a resumed run needs
    /// (e.g. the data loader's shuffle generator); give them to <see cref="Checkpoint.Load"/> in the same order.</param>
    public ModelCheckpoint(string path, bool saveBestOnly = false, IReadOnlyList<Generator>? generators = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        Path = path;
        SaveBestOnly = saveBestOnly;
        this.generators = generators;
    }

    /// <summary>The checkpoint file.</summary>
    public string Path { get; }

    /// <summary>Whether a checkpoint is written only when the monitored loss improves.</summary>
    public bool SaveBestOnly { get; }

    /// <summary>The epoch whose state the file holds (counting epochs of earlier runs it resumed), or 0 if nothing was saved yet.</summary>
    public int SavedEpoch { get; private set; }

    /// <summary>
    /// Continue the epoch and step counts of a resumed run, so the saved epoch is the total number of completed
    /// epochs: pass the <see cref="CheckpointInfo"/> that <see cref="Checkpoint.Load"/> returned.
    /// </summary>
    public void ResumeFrom(CheckpointInfo info)
    {
        ArgumentNullException.ThrowIfNull(info);
        epochOffset = info.Epoch;
        steps = info.GlobalStep;
        SavedEpoch = info.Epoch;
        if (info.Metadata.TryGetValue(MonitoredKey, out var text) && double.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, out var b))
            best = b;
    }

    /// <summary>The metadata key under which the monitored loss of the saved epoch is stored.</summary>
    public const string MonitoredKey = "monitored_loss";

    /// <inheritdoc/>
    public override void OnBatchEnd(Trainer trainer, BatchProgress progress) => steps++;

    /// <inheritdoc/>
    public override void OnEpochEnd(Trainer trainer, EpochRecord record)
    {
        if (!IsFinite(record)) return; // keep the last good checkpoint
        double monitored = double.IsNaN(record.ValidationLoss) ? record.TrainLoss : record.ValidationLoss;
        if (SaveBestOnly && !(monitored < best)) return;
        best = Math.Min(best, monitored);

        string? folder = System.IO.Path.GetDirectoryName(Path);
        if (!string.IsNullOrEmpty(folder)) Directory.CreateDirectory(folder);
        int epoch = epochOffset + record.Epoch;
        var ci = System.Globalization.CultureInfo.InvariantCulture;
        var metadata = new Dictionary<string, string>
        {
            [MonitoredKey] = monitored.ToString("R", ci),
            ["train_loss"] = record.TrainLoss.ToString("R", ci),
            ["validation_loss"] = record.ValidationLoss.ToString("R", ci),
        };
        // The scheduler has already stepped for this epoch, so a resumed run starts the next epoch's rate.
        Stateful? scheduler = trainer.Scheduler is not null ? trainer.Scheduler : trainer.PlateauScheduler;
        Checkpoint.Save(Path, trainer.Model, trainer.Optimizer, scheduler, epoch, steps, generators, metadata);
        SavedEpoch = epoch;
    }

    /// <summary>
    /// An epoch is good when its training loss is finite and its validation loss is finite or absent. A validation
    /// loss of NaN with a validation accuracy that is a number means the validation pass ran and diverged.
    /// </summary>
    private static bool IsFinite(EpochRecord r) =>
        double.IsFinite(r.TrainLoss)
        && (double.IsFinite(r.ValidationLoss) || (double.IsNaN(r.ValidationLoss) && double.IsNaN(r.ValidationAccuracy)));
}
