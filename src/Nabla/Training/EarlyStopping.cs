namespace Nabla.Training;

/// <summary>
/// Stops training when the validation loss has not improved for <see cref="Patience"/> epochs, and puts back
/// the weights of the best epoch (Keras' <c>EarlyStopping(restore_best_weights=True)</c>). This is the usual
/// cure for overtraining: keep the model from the epoch where it did best on data it did not learn from.
/// Without validation data the training loss is monitored instead.
/// </summary>
public sealed class EarlyStopping : TrainingCallback
{
    private List<KeyValuePair<string, Tensor>>? bestState;
    private double best = double.PositiveInfinity;
    private int bestEpoch, waited;

    /// <summary>Creates the callback.</summary>
    /// <param name="patience">Epochs without improvement before stopping (at least 1).</param>
    /// <param name="minDelta">The smallest decrease that counts as an improvement.</param>
    /// <param name="restoreBestWeights">Whether to reload the best epoch's weights at the end.</param>
    public EarlyStopping(int patience = 5, double minDelta = 0, bool restoreBestWeights = true)
    {
        if (patience < 1) throw new ArgumentOutOfRangeException(nameof(patience), $"EarlyStopping: patience must be at least 1, got {patience}.");
        if (minDelta < 0) throw new ArgumentOutOfRangeException(nameof(minDelta), $"EarlyStopping: minDelta must be non-negative, got {minDelta}.");
        Patience = patience;
        MinDelta = minDelta;
        RestoreBestWeights = restoreBestWeights;
    }

    /// <summary>Epochs without improvement before stopping.</summary>
    public int Patience { get; }

    /// <summary>The smallest decrease that counts as an improvement.</summary>
    public double MinDelta { get; }

    /// <summary>Whether the best epoch's weights are restored at the end.</summary>
    public bool RestoreBestWeights { get; }

    /// <summary>The epoch with the lowest monitored loss so far.</summary>
    public int BestEpoch => bestEpoch;

    /// <summary>The epoch at which training was stopped, or 0 if it ran to the end.</summary>
    public int StoppedEpoch { get; private set; }

    /// <inheritdoc/>
    public override void OnTrainBegin(Trainer trainer, int epochs, int? batchesPerEpoch)
    {
        bestState = null;
        best = double.PositiveInfinity;
        bestEpoch = waited = 0;
        StoppedEpoch = 0;
    }

    /// <inheritdoc/>
    public override void OnEpochEnd(Trainer trainer, EpochRecord record)
    {
        double monitored = double.IsNaN(record.ValidationLoss) ? record.TrainLoss : record.ValidationLoss;
        if (monitored < best - MinDelta)
        {
            best = monitored;
            bestEpoch = record.Epoch;
            waited = 0;
            if (RestoreBestWeights) bestState = Snapshot(trainer);
            return;
        }
        if (++waited >= Patience)
        {
            StoppedEpoch = record.Epoch;
            trainer.StopTraining = true;
            trainer.History.StopReason = $"early stopping at epoch {StoppedEpoch}: no improvement for {Patience} epochs";
        }
    }

    /// <inheritdoc/>
    public override void OnTrainEnd(Trainer trainer, History history)
    {
        if (RestoreBestWeights && bestState is not null && bestEpoch != history.Epochs.Count)
        {
            trainer.Model.LoadStateDict(bestState);
        }
        if (bestEpoch > 0) history.BestEpoch = RestoreBestWeights || bestEpoch == history.Epochs.Count ? bestEpoch : history.Epochs.Count;
    }

    private static List<KeyValuePair<string, Tensor>> Snapshot(Trainer trainer)
    {
        using var _ = Tensor.NoGrad();
        return trainer.Model.StateDict().Select(kv => new KeyValuePair<string, Tensor>(kv.Key, kv.Value.Detach().Clone())).ToList();
    }
}
