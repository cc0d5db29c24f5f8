namespace Nabla.Training;

/// <summary>
/// Hooks into <see cref="Trainer.Fit"/> (Keras' callbacks): override what you need. A callback may stop
/// training by setting <see cref="Trainer.StopTraining"/>.
/// </summary>
public abstract class TrainingCallback
{
    /// <summary>Before the first epoch.</summary>
    public virtual void OnTrainBegin(Trainer trainer, int epochs, int? batchesPerEpoch) { }

    /// <summary>Before each epoch (1-based).</summary>
    public virtual void OnEpochBegin(Trainer trainer, int epoch) { }

    /// <summary>After each training batch, with the batch's mean loss and the running epoch figures.</summary>
    public virtual void OnBatchEnd(Trainer trainer, BatchProgress progress) { }

    /// <summary>After each epoch's validation pass, with the epoch's record.</summary>
    public virtual void OnEpochEnd(Trainer trainer, EpochRecord record) { }

    /// <summary>After the last epoch (or when training stopped early).</summary>
    public virtual void OnTrainEnd(Trainer trainer, History history) { }
}

/// <summary>The state of training after one batch, for progress reporting.</summary>
/// <param name="Epoch">1-based epoch.</param>
/// <param name="Epochs">Total epochs planned.</param>
/// <param name="Batch">1-based batch within the epoch.</param>
/// <param name="Batches">Batches per epoch, when known.</param>
/// <param name="Loss">Mean loss over the epoch so far.</param>
/// <param name="Accuracy">Accuracy over the epoch so far, or NaN.</param>
/// <param name="SamplesPerSecond">Training speed over the epoch so far.</param>
/// <param name="Elapsed">Time since the epoch began.</param>
public readonly record struct BatchProgress(int Epoch, int Epochs, int Batch, int? Batches, double Loss, double Accuracy,
                                            double SamplesPerSecond, TimeSpan Elapsed);
