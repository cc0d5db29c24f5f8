using System.Globalization;
using Nabla.Data;

namespace Nabla.Examples.CharRnn;

/// <summary>What a char-rnn run produced: the trained model, its learning curve, the bigram baseline and the split it was measured on.</summary>
/// <param name="Model">The trained model.</param>
/// <param name="Epochs">Epoch 0 (untrained) to the last.</param>
/// <param name="BigramNats">The bigram baseline's validation loss, nats per token.</param>
/// <param name="TrainWords">The words trained on.</param>
/// <param name="ValidationWords">The held-out words both losses are measured on.</param>
public sealed record CharRnnResult(CharRnnModel Model, IReadOnlyList<CharRnnEpoch> Epochs, double BigramNats,
                                   IReadOnlyList<string> TrainWords, IReadOnlyList<string> ValidationWords)
{
    /// <summary>The model's validation loss after the last epoch, nats per token.</summary>
    public double ModelNats => Epochs[^1].ValidationLoss;

    /// <summary>Mean training tokens per second over the epochs.</summary>
    public double TokensPerSecond => Epochs.Where(e => e.Epoch > 0).Average(e => e.TokensPerSecond);
}

/// <summary>
/// The whole char-rnn experiment, shared by the example and <c>nabla train --model char-rnn</c>: split the words by
/// word, fit the bigram baseline on the training words, train the model, and measure both on the same held-out words.
/// </summary>
public static class CharRnnExperiment
{
    /// <summary>Nats to bits.</summary>
    public static double Bits(double nats) => nats / Math.Log(2);

    /// <summary>Runs the experiment on <paramref name="words"/>, writing progress to <paramref name="log"/>.</summary>
    /// <param name="words">Plain lowercase words (see <see cref="WordList.Filter"/>).</param>
    /// <param name="cell">"lstm" or "gru".</param>
    /// <param name="embeddingDim">Size of the token vectors.</param>
    /// <param name="hiddenSize">Size of the recurrent state.</param>
    /// <param name="layers">Stacked recurrent layers.</param>
    /// <param name="options">Epochs, batch size, learning rate, clipping, seed.</param>
    /// <param name="validationFraction">Share of the words held out.</param>
    /// <param name="log">Where progress lines go.</param>
    public static CharRnnResult Run(IReadOnlyList<string> words, string cell, int embeddingDim, int hiddenSize, int layers, CharRnnTrainingOptions options,
                                    double validationFraction, TextWriter log)
    {
        ArgumentNullException.ThrowIfNull(words);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(log);
        var (trainWords, validationWords) = WordList.Split(words, validationFraction, options.Seed);
        var vocabulary = CharVocabulary.FromWords(words);
        var bigram = BigramModel.Fit(trainWords, vocabulary);
        double bigramNats = bigram.Evaluate(validationWords).NatsPerToken;
        var train = new WordDataset(trainWords, vocabulary);
        var validation = new WordDataset(validationWords, vocabulary);
        log.WriteLine($"{words.Count:N0} words: {trainWords.Count:N0} training ({train.TokenCount:N0} tokens), {validationWords.Count:N0} validation; " +
                      $"{vocabulary.Count} tokens (<pad> <s> </s> {vocabulary.Characters})");
        log.WriteLine(Line("bigram baseline (add-one), validation", bigramNats));

        var model = new CharRnnModel(new CharRnnSpec(cell, embeddingDim, hiddenSize, layers, vocabulary.Characters), new Generator(options.Seed));
        log.WriteLine($"{model.Spec}, {model.ParameterCount():N0} parameters; {options.Epochs} epochs of batches of {options.BatchSize}, Adam lr {options.LearningRate.ToString(CultureInfo.InvariantCulture)}");
        var epochs = CharRnnTraining.Fit(model, train, validation, options, e => log.WriteLine(e.Epoch == 0
            ? Line("epoch 0 (untrained), validation", e.ValidationLoss)
            : Line($"epoch {e.Epoch}, validation", e.ValidationLoss) + string.Create(CultureInfo.InvariantCulture,
                $"  (training {e.TrainLoss:F3} nats; {e.TokensPerSecond:N0} chars/s, {e.Seconds:F1} s)")));
        return new CharRnnResult(model, epochs, bigramNats, trainWords, validationWords);
    }

    /// <summary>A sampled word with a mark: <c>*</c> when it is not a training word, <c>*+</c> when it is not but is a held-out real word.</summary>
    public static string Mark(string word, ISet<string> trainWords, ISet<string>? heldOut = null) =>
        trainWords.Contains(word) ? word : heldOut is not null && heldOut.Contains(word) ? word + "*+" : word + "*";

    private static string Line(string what, double nats) =>
        string.Create(CultureInfo.InvariantCulture, $"{what,-40} {nats:F4} nats/char = {Bits(nats):F4} bits/char");
}
