using System.Diagnostics;
using Nabla.NN;
using Nabla.Optim;

namespace Nabla.Training;

/// <summary>
/// Runs the training loop (Keras' <c>fit</c>): for each epoch, every training batch goes through forward pass,
/// loss, backward pass and optimizer step; then the validation sample is evaluated without gradients.
/// Progress, early stopping and checkpoints are callbacks; overtraining (validation loss rising while training
/// loss falls) is flagged on every epoch record, and a non-finite loss stops training at once.
/// </summary>
/// <example>
/// <code>
/// var trainer = new Trainer(model, new Adam(model.Parameters()), new CrossEntropyLoss().Forward);
/// trainer.Callbacks.Add(new ProgressReporter());
/// var history = trainer.Fit(trainLoader, validationLoader, epochs: 20);
/// </code>
/// </example>
public sealed class Trainer
{
    /// <summary>Creates a trainer for <paramref name="model"/>, updated by <paramref name="optimizer"/> to reduce <paramref name="loss"/>(output, target).</summary>
    public Trainer(Module model, Optimizer optimizer, Func<Tensor, Tensor, Tensor> loss)
    {
        Model = model;
        Optimizer = optimizer;
        Loss = loss;
    }

    /// <summary>The model being trained.</summary>
    public Module Model { get; }

    /// <summary>The optimizer that updates the model's parameters.</summary>
    public Optimizer Optimizer { get; }

    /// <summary>The loss function: (output, target) to a scalar tensor.</summary>
    public Func<Tensor, Tensor, Tensor> Loss { get; }

    /// <summary>A learning-rate schedule stepped once after every epoch, if set.</summary>
    public LRScheduler? Scheduler { get; set; }

    /// <summary>A schedule stepped with the validation loss (the training loss without validation) after every epoch, if set.</summary>
    public ReduceLROnPlateau? PlateauScheduler { get; set; }

    /// <summary>Whether to measure accuracy (see <see cref="Metrics.CountCorrect"/>); turn off for regression.</summary>
    public bool ComputeAccuracy { get; set; } = true;

    /// <summary>The decision threshold for single-output (binary) models: 0 for logits, 0.5 for probabilities.</summary>
    public float BinaryThreshold { get; set; }

    /// <summary>If set, gradients are clipped to this total 2-norm before each step.</summary>
    public double? MaxGradNorm { get; set; }

    /// <summary>Callbacks, called in order.</summary>
    public IList<TrainingCallback> Callbacks { get; } = new List<TrainingCallback>();

    /// <summary>Set by a callback to end training after the current epoch.</summary>
    public bool StopTraining { get; set; }

    /// <summary>The history of the last <see cref="Fit"/> call.</summary>
    public History History { get; private set; } = new();

    /// <summary>
    /// Trains for <paramref name="epochs"/> epochs over <paramref name="train"/> batches, evaluating on
    /// <paramref name="validation"/> after each epoch when given. The batches are enumerated afresh every epoch
    /// (a shuffling DataLoader reshuffles).
    /// </summary>
    public History Fit(IEnumerable<(Tensor Input, Tensor Target)> train,
                       IEnumerable<(Tensor Input, Tensor Target)>? validation = null, int epochs = 10)
    {
        if (epochs < 1) throw new ArgumentOutOfRangeException(nameof(epochs), $"Fit: epochs must be at least 1, got {epochs}.");
        History = new History();
        StopTraining = false;
        int? batches = train switch
        {
            IReadOnlyCollection<(Tensor, Tensor)> c => c.Count,
            System.Collections.ICollection c => c.Count,
            _ => null,
        };
        foreach (var c in Callbacks) c.OnTrainBegin(this, epochs, batches);

        EpochRecord? previous = null;
        double bestValidation = double.PositiveInfinity;
        for (int epoch = 1; epoch <= epochs && !StopTraining; epoch++)
        {
            foreach (var c in Callbacks) c.OnEpochBegin(this, epoch);
            double learningRate = Optimizer.LearningRate;
            var clock = Stopwatch.StartNew();
            var (trainLoss, trainAccuracy, samples, diverged) = TrainEpoch(train, epoch, epochs, batches);
            double trainSeconds = clock.Elapsed.TotalSeconds;
            if (diverged is not null)
            {
                History.StopReason = diverged;
                break;
            }

            double validationLoss = double.NaN, validationAccuracy = double.NaN;
            if (validation is not null) (validationLoss, validationAccuracy) = Evaluate(validation);

            var record = new EpochRecord
            {
                Epoch = epoch,
                TrainLoss = trainLoss,
                TrainAccuracy = trainAccuracy,
                ValidationLoss = validationLoss,
                ValidationAccuracy = validationAccuracy,
                LearningRate = learningRate,
                SamplesPerSecond = samples / Math.Max(trainSeconds, 1e-9),
                Seconds = clock.Elapsed.TotalSeconds,
                OvertrainingWarning = IsOvertraining(previous, trainLoss, validationLoss, bestValidation),
                HeapBytes = GC.GetGCMemoryInfo().HeapSizeBytes,
                WorkingSetBytes = Environment.WorkingSet,
            };
            if (validationLoss < bestValidation) bestValidation = validationLoss;
            History.Add(record);
            History.BestEpoch = epoch;
            previous = record;

            Scheduler?.Step();
            PlateauScheduler?.Step(double.IsNaN(validationLoss) ? trainLoss : validationLoss);
            foreach (var c in Callbacks) c.OnEpochEnd(this, record);
        }
        if (StopTraining && History.StopReason == "completed") History.StopReason = "stopped by a callback";
        foreach (var c in Callbacks) c.OnTrainEnd(this, History);
        return History;
    }

    /// <summary>
    /// Overtraining: the model keeps fitting the training sample better (training loss falls) while it gets
    /// worse on data it does not learn from (validation loss rises).
    /// </summary>
    /// <remarks>
    /// Flagged when, from one epoch to the next, validation loss rises while training loss falls, and validation loss
    /// is above its best so far: a single noisy uptick on the way down is not overtraining.
    /// </remarks>
    private static bool IsOvertraining(EpochRecord? previous, double trainLoss, double validationLoss, double bestValidation) =>
        previous is not null && !double.IsNaN(validationLoss)
        && validationLoss > previous.ValidationLoss && trainLoss < previous.TrainLoss && validationLoss > bestValidation;

    private (double Loss, double Accuracy, long Samples, string? Diverged) TrainEpoch(
        IEnumerable<(Tensor Input, Tensor Target)> train, int epoch, int epochs, int? batches)
    {
        Model.Train();
        double lossSum = 0;
        long samples = 0, correct = 0;
        int batch = 0;
        var clock = Stopwatch.StartNew();
        foreach (var (input, target) in train)
        {
            batch++;
            int n = input.Rank == 0 ? 1 : input.Shape[0];
            Optimizer.ZeroGrad();
            var output = Model.Forward(input);
            var loss = Loss(output, target);
            double value = loss.ItemAsDouble();
            if (!double.IsFinite(value))
                return (double.NaN, double.NaN, samples,
                    $"the loss became {value} at epoch {epoch}, batch {batch}: training stopped (lower the learning rate, or check the data for NaN or infinite values)");
            loss.Backward();
            if (MaxGradNorm is double maxNorm) GradClip.ClipGradNorm(Model.Parameters(), maxNorm);
            Optimizer.Step();

            lossSum += value * n;
            samples += n;
            if (ComputeAccuracy)
                using (Tensor.NoGrad()) correct += Metrics.CountCorrect(output.Detach(), target, BinaryThreshold);
            var progress = new BatchProgress(epoch, epochs, batch, batches, lossSum / samples,
                ComputeAccuracy ? (double)correct / samples : double.NaN, samples / Math.Max(clock.Elapsed.TotalSeconds, 1e-9), clock.Elapsed);
            foreach (var c in Callbacks) c.OnBatchEnd(this, progress);
        }
        if (samples == 0) throw new InvalidOperationException($"Fit: the training data yielded no batches in epoch {epoch}.");
        return (lossSum / samples, ComputeAccuracy ? (double)correct / samples : double.NaN, samples, null);
    }

    /// <summary>The mean loss and accuracy over <paramref name="data"/>, in evaluation mode and without gradients.</summary>
    public (double Loss, double Accuracy) Evaluate(IEnumerable<(Tensor Input, Tensor Target)> data)
    {
        bool wasTraining = Model.IsTraining;
        Model.Eval();
        double lossSum = 0;
        long samples = 0, correct = 0;
        using (Tensor.NoGrad())
        {
            foreach (var (input, target) in data)
            {
                int n = input.Rank == 0 ? 1 : input.Shape[0];
                var output = Model.Forward(input);
                lossSum += Loss(output, target).ItemAsDouble() * n;
                samples += n;
                if (ComputeAccuracy) correct += Metrics.CountCorrect(output, target, BinaryThreshold);
            }
        }
        Model.Train(wasTraining);
        if (samples == 0) return (double.NaN, double.NaN);
        return (lossSum / samples, ComputeAccuracy ? (double)correct / samples : double.NaN);
    }
}
