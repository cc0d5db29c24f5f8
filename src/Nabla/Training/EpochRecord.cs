namespace Nabla.Training;

/// <summary>The figures of one epoch: training and validation loss and metric, learning rate, and speed.</summary>
public sealed record EpochRecord
{
    /// <summary>1-based epoch number.</summary>
    public int Epoch { get; init; }

    /// <summary>Mean training loss over the epoch's samples.</summary>
    public double TrainLoss { get; init; }

    /// <summary>Training accuracy in [0, 1] (measured on the batches as they were trained, as Keras reports it), or NaN without a metric.</summary>
    public double TrainAccuracy { get; init; } = double.NaN;

    /// <summary>Mean validation loss, or NaN without validation data.</summary>
    public double ValidationLoss { get; init; } = double.NaN;

    /// <summary>Validation accuracy in [0, 1], or NaN.</summary>
    public double ValidationAccuracy { get; init; } = double.NaN;

    /// <summary>The learning rate used during the epoch.</summary>
    public double LearningRate { get; init; }

    /// <summary>Training samples per second (forward, backward and update).</summary>
    public double SamplesPerSecond { get; init; }

    /// <summary>Wall-clock seconds for the epoch, validation included.</summary>
    public double Seconds { get; init; }

    /// <summary>
    /// The managed heap's size at the end of the epoch, as the last garbage collection left it
    /// (<see cref="GCMemoryInfo.HeapSizeBytes"/>): flat from epoch to epoch when training keeps nothing per step.
    /// </summary>
    public long HeapBytes { get; init; }

    /// <summary>The process's working set (physical memory in use) at the end of the epoch.</summary>
    public long WorkingSetBytes { get; init; }

    /// <summary>True when the overtraining monitor flagged this epoch (validation loss rising while training loss falls).</summary>
    public bool OvertrainingWarning { get; init; }
}
