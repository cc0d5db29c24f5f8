using System.Globalization;
using Nabla.Data;
using Nabla.Examples.CharRnn;

namespace Nabla.Examples;

/// <summary>
/// A character-level language model of English words: embedding, LSTM and a linear map to the next character,
/// trained on Debian's word list (or the small embedded one without it), split by word, and measured against a
/// bigram-count baseline on the same held-out words; then it invents words.
/// </summary>
/// <remarks>
/// A bigram model knows only the previous letter; the LSTM reads the whole word so far, so it learns which endings
/// follow which stems ("-tion", "-ness", doubled consonants before "-ing"), and its loss per character is well below
/// the bigram's. Sampled words marked * are not in the training list (most still look English; *+ marks the ones
/// that are real words it never saw, held out for validation).
/// </remarks>
public sealed class CharRnnExample : IExample
{
    /// <inheritdoc/>
    public string Name => "char-rnn";

    /// <inheritdoc/>
    public string Description => "Character-level LSTM language model of English words against a bigram baseline; samples new words.";

    /// <inheritdoc/>
    public int Run(ExampleContext context)
    {
        var output = context.Out;
        IReadOnlyList<string> words;
        if (File.Exists(WordList.DefaultPath))
        {
            words = WordList.Load(WordList.DefaultPath);
            output.WriteLine($"Words from {WordList.DefaultPath}");
        }
        else
        {
            words = WordList.Small();
            output.WriteLine($"{WordList.DefaultPath} not found (apt-get install wamerican): using the embedded {words.Count:N0}-word list");
        }
        var options = new CharRnnTrainingOptions(Epochs: 3, Seed: context.Seed);
        var result = CharRnnExperiment.Run(words, "lstm", embeddingDim: 32, hiddenSize: 128, layers: 1, options, validationFraction: 0.1, output);

        double gain = 1 - result.ModelNats / result.BigramNats;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"LSTM {CharRnnExperiment.Bits(result.ModelNats):F3} bits/char against the bigram's {CharRnnExperiment.Bits(result.BigramNats):F3} on the same held-out words ({gain:P0} lower)"));

        var train = result.TrainWords.ToHashSet();
        var heldOut = result.ValidationWords.ToHashSet();
        var generator = new Generator(context.Seed);
        foreach (double t in new[] { 0.5, 1.0 })
        {
            var samples = CharRnnSampler.SampleMany(result.Model, 12, generator, t);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"temperature {t:F1}: ") + string.Join(" ", samples.Select(w => CharRnnExperiment.Mark(w, train, heldOut))));
        }
        output.WriteLine("* not in the training list; *+ a real word the model never saw (held out for validation)");
        string plot = context.OutputPath("char-rnn.svg");
        CharRnnPlot.Save(result.Epochs, result.BigramNats, plot, $"char-rnn: {result.Model.Spec}");
        output.WriteLine($"Learning curve: {plot}");
        return 0;
    }
}
