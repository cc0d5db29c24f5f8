namespace Nabla.Training;

/// <summary>Hooks into <see cref="GanTrainer.Fit"/>: override the ones you need (progress, sample images, stopping).</summary>
public abstract class GanCallback
{
    /// <summary>Before the first epoch; <paramref name="batchesPerEpoch"/> is null when the data cannot tell.</summary>
    public virtual void OnTrainBegin(GanTrainer trainer, int epochs, int? batchesPerEpoch) { }

    /// <summary>After each batch's two steps, with the epoch's running means.</summary>
    public virtual void OnBatchEnd(GanTrainer trainer, GanBatchProgress progress) { }

    /// <summary>After each epoch; set <see cref="GanTrainer.StopTraining"/> to stop.</summary>
    public virtual void OnEpochEnd(GanTrainer trainer, GanEpochRecord record) { }

    /// <summary>After the last epoch (or a stop).</summary>
    public virtual void OnTrainEnd(GanTrainer trainer, GanHistory history) { }
}

/// <summary>Where a GAN epoch stands after a batch: running means of the losses and of D's outputs, and the speed.</summary>
/// <param name="Epoch">1-based epoch.</param>
/// <param name="Epochs">Epochs in the run.</param>
/// <param name="Batch">1-based batch within the epoch.</param>
/// <param name="Batches">Batches per epoch, when known.</param>
/// <param name="DiscriminatorLoss">Mean discriminator loss so far this epoch.</param>
/// <param name="GeneratorLoss">Mean generator loss so far this epoch.</param>
/// <param name="RealScore">Mean D(x) so far.</param>
/// <param name="FakeScore">Mean D(G(z)) so far.</param>
/// <param name="SamplesPerSecond">Real samples per second so far.</param>
/// <param name="Elapsed">Time since the epoch began.</param>
public readonly record struct GanBatchProgress(int Epoch, int Epochs, int Batch, int? Batches, double DiscriminatorLoss, double GeneratorLoss,
                                               double RealScore, double FakeScore, double SamplesPerSecond, TimeSpan Elapsed);
