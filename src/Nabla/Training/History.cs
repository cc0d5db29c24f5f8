using System.Globalization;
using System.Text;

namespace Nabla.Training;

/// <summary>What <see cref="Trainer.Fit"/> measured, epoch by epoch (Keras' <c>History</c>).</summary>
public sealed class History
{
    private readonly List<EpochRecord> epochs = new();

    /// <summary>One record per completed epoch.</summary>
    public IReadOnlyList<EpochRecord> Epochs => epochs;

    /// <summary>Why training stopped: "completed", "early stopping", or a message for a non-finite loss.</summary>
    public string StopReason { get; internal set; } = "completed";

    /// <summary>The epoch whose weights the model holds at the end (the best one when early stopping restored it).</summary>
    public int BestEpoch { get; internal set; }

    internal void Add(EpochRecord record) => epochs.Add(record);

    /// <summary>The history as CSV: one header line, then one line per epoch.</summary>
    public string ToCsv()
    {
        var ci = CultureInfo.InvariantCulture;
        var sb = new StringBuilder("epoch,train_loss,train_accuracy,val_loss,val_accuracy,learning_rate,samples_per_second,seconds,overtraining,heap_mb,working_set_mb\n");
        foreach (var e in epochs)
            sb.AppendLine(string.Join(",", e.Epoch.ToString(ci), e.TrainLoss.ToString("R", ci), e.TrainAccuracy.ToString("R", ci),
                e.ValidationLoss.ToString("R", ci), e.ValidationAccuracy.ToString("R", ci), e.LearningRate.ToString("R", ci),
                e.SamplesPerSecond.ToString("F1", ci), e.Seconds.ToString("F3", ci), e.OvertrainingWarning ? "1" : "0",
                (e.HeapBytes / 1048576.0).ToString("F1", ci), (e.WorkingSetBytes / 1048576.0).ToString("F1", ci)));
        return sb.ToString();
    }
}
