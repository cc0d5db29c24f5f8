using System.Diagnostics;
using Nabla.Data;
using Nabla.NN;
using Nabla.Optim;

namespace Nabla.Examples.CharRnn;

/// <summary>How a char-rnn model is trained.</summary>
/// <param name="Epochs">Passes over the training words.</param>
/// <param name="BatchSize">Words per batch.</param>
/// <param name="LearningRate">Adam's peak learning rate, annealed to zero over the steps on a cosine.</param>
/// <param name="ClipNorm">The gradient norm is clipped to this (recurrent gradients can spike); 0 for no clipping.</param>
/// <param name="Seed">Seeds the batch order.</param>
public sealed record CharRnnTrainingOptions(int Epochs = 4, int BatchSize = 64, double LearningRate = 5e-3, double ClipNorm = 1.0, int Seed = 1);

/// <summary>The figures of one training epoch; losses are mean nats per predicted token (characters and end-of-word).</summary>
/// <param name="Epoch">1-based; 0 is the untrained model.</param>
/// <param name="TrainLoss">Mean training loss over the epoch's batches as they were trained (NaN for epoch 0).</param>
/// <param name="ValidationLoss">Mean loss on the validation words after the epoch.</param>
/// <param name="TokensPerSecond">Training tokens (characters and end tokens, padding not counted) per second of training steps.</param>
/// <param name="Seconds">Wall-clock seconds, validation included.</param>
public sealed record CharRnnEpoch(int Epoch, double TrainLoss, double ValidationLoss, double TokensPerSecond, double Seconds);

/// <summary>Trains and evaluates a <see cref="CharRnnModel"/> on padded word batches; padding never counts in the loss.</summary>
public static class CharRnnTraining
{
    /// <summary>The cross-entropy of the next-token logits against the batch's targets, padding ignored, summed or averaged over the real tokens.</summary>
    public static Tensor Loss(CharRnnModel model, WordBatch batch, Reduction reduction = Reduction.Mean)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(batch);
        var logits = model.Forward(batch.Inputs); // (B, T, V)
        int v = logits.Shape[2];
        return Functional.CrossEntropy(logits.Reshape(-1, v), batch.Targets.Reshape(-1), ignoreIndex: CharVocabulary.PadIndex, reduction: reduction);
    }

    /// <summary>Trains <paramref name="model"/> with Adam, reporting each epoch to <paramref name="onEpoch"/>; returns every epoch's figures, starting with epoch 0 (the untrained model).</summary>
    /// <exception cref="ArgumentException">An option is out of range, or the data set's vocabulary is not the model's.</exception>
    public static IReadOnlyList<CharRnnEpoch> Fit(CharRnnModel model, WordDataset train, WordDataset validation, CharRnnTrainingOptions options,
                                                  Action<CharRnnEpoch>? onEpoch = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(validation);
        ArgumentNullException.ThrowIfNull(options);
        if (options.Epochs < 1) throw new ArgumentException($"char-rnn: epochs must be at least 1, got {options.Epochs}.", nameof(options));
        if (options.BatchSize < 1) throw new ArgumentException($"char-rnn: the batch size must be at least 1, got {options.BatchSize}.", nameof(options));
        if (train.Vocabulary.Characters != model.Vocabulary.Characters || validation.Vocabulary.Characters != model.Vocabulary.Characters)
            throw new ArgumentException($"char-rnn: the data's vocabulary \"{train.Vocabulary.Characters}\" is not the model's \"{model.Vocabulary.Characters}\".", nameof(train));

        var optimizer = new Adam(model.Parameters(), options.LearningRate);
        int batchesPerEpoch = (train.Count + options.BatchSize - 1) / options.BatchSize;
        var schedule = new CosineAnnealingLR(optimizer, tMax: options.Epochs * batchesPerEpoch);
        var shuffle = new Generator(options.Seed);
        // Epoch 0: the untrained model (about ln V nats), so the curve starts where learning starts.
        var epochs = new List<CharRnnEpoch> { new(0, double.NaN, Evaluate(model, validation), double.NaN, 0) };
        onEpoch?.Invoke(epochs[0]);
        for (int epoch = 1; epoch <= options.Epochs; epoch++)
        {
            var clock = Stopwatch.StartNew();
            model.Train();
            double lossSum = 0;
            long tokens = 0;
            foreach (var batch in train.Batches(options.BatchSize, shuffle))
            {
                var loss = Loss(model, batch);
                optimizer.ZeroGrad();
                loss.Backward();
                if (options.ClipNorm > 0) GradClip.ClipGradNorm(model.Parameters(), options.ClipNorm);
                optimizer.Step();
                schedule.Step();
                lossSum += loss.ItemAsDouble() * batch.TokenCount;
                tokens += batch.TokenCount;
            }
            double trainSeconds = clock.Elapsed.TotalSeconds;
            double validationLoss = Evaluate(model, validation);
            var record = new CharRnnEpoch(epoch, lossSum / tokens, validationLoss, tokens / trainSeconds, clock.Elapsed.TotalSeconds);
            epochs.Add(record);
            onEpoch?.Invoke(record);
        }
        return epochs;
    }

    /// <summary>The mean loss in nats per predicted token (characters and end tokens) of <paramref name="model"/> on <paramref name="data"/>, in evaluation mode.</summary>
    public static double Evaluate(CharRnnModel model, WordDataset data, int batchSize = 256)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(data);
        model.Eval();
        double sum = 0;
        long tokens = 0;
        using (Tensor.NoGrad())
        {
            foreach (var batch in data.Batches(batchSize))
            {
                sum += Loss(model, batch, Reduction.Sum).ItemAsDouble();
                tokens += batch.TokenCount;
            }
        }
        model.Train();
        return sum / tokens;
    }
}
