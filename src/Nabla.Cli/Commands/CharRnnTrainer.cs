using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Nabla.Cli.Models;
using Nabla.Data;
using Nabla.Examples.CharRnn;
using Nabla.Kernels;

namespace Nabla.Cli.Commands;

/// <summary>
/// <c>nabla train --model char-rnn</c>: an LSTM language model of English words (see <see cref="CharRnnExperiment"/>),
/// measured against the bigram baseline on the same held-out words. Writes <c>model.safetensors</c> (weights, vocabulary
/// and architecture, training words), <c>history.svg</c>, <c>history.csv</c> and <c>metrics.json</c>.
/// </summary>
internal static class CharRnnTrainer
{
    /// <summary>The <c>--data</c> value that picks the word list embedded in the library.</summary>
    public const string EmbeddedData = "small";

    /// <summary>What a char-rnn run takes.</summary>
    /// <param name="Data">A word list file (one word a line), <see cref="EmbeddedData"/>, or null for the system dictionary (the embedded list when it is missing).</param>
    /// <param name="Cell">lstm or gru.</param>
    /// <param name="HiddenSize">Hidden size of each recurrent layer.</param>
    /// <param name="Layers">Stacked recurrent layers.</param>
    /// <param name="EmbeddingDim">Size of the token vectors.</param>
    /// <param name="Epochs">Passes over the training words.</param>
    /// <param name="BatchSize">Words per batch.</param>
    /// <param name="LearningRate">Adam's peak learning rate (cosine-annealed).</param>
    /// <param name="Validation">Share of the words held out.</param>
    /// <param name="Seed">Seeds the split, the weights and the batch order.</param>
    /// <param name="Threads">Kernel threads.</param>
    /// <param name="Output">Folder for the files.</param>
    internal sealed record CharRnnOptions(string? Data = null, string Cell = "lstm", int HiddenSize = 256, int Layers = 1, int EmbeddingDim = 32,
                                          int Epochs = 3, int BatchSize = 64, double LearningRate = 5e-3, double Validation = 0.1, int Seed = 1,
                                          int Threads = 0, string Output = "out/char-rnn");

    /// <summary>
    /// The char-rnn options from the shared <c>train</c> options: <c>--hidden</c> is the hidden size (repeated for stacked
    /// layers, e.g. 128,128), and options not <paramref name="given"/> take char-rnn's own defaults rather than the MLP's.
    /// </summary>
    /// <exception cref="ArgumentException">The hidden sizes differ from layer to layer.</exception>
    internal static CharRnnOptions Options(TrainCommand.TrainOptions o, Func<string, bool> given)
    {
        var d = new CharRnnOptions();
        int hidden = d.HiddenSize, layers = d.Layers;
        if (given("--hidden"))
        {
            if (o.Hidden.Length == 0 || o.Hidden.Any(h => h != o.Hidden[0]))
                throw new ArgumentException($"--hidden for char-rnn: one hidden size, repeated for stacked layers (e.g. 256 or 128,128), got '{string.Join(",", o.Hidden)}'.");
            (hidden, layers) = (o.Hidden[0], o.Hidden.Length);
        }
        return d with
        {
            Data = o.Data,
            HiddenSize = hidden,
            Layers = layers,
            Epochs = given("--epochs") ? o.Epochs : d.Epochs,
            BatchSize = given("--batch-size") ? o.BatchSize : d.BatchSize,
            LearningRate = given("--lr") ? o.LearningRate : d.LearningRate,
            Validation = given("--validation") ? o.Validation : d.Validation,
            Seed = o.Seed,
            Threads = o.Threads,
            Output = given("--output") || given("-o") ? o.Output : d.Output,
        };
    }

    /// <summary>Loads the words named by <paramref name="data"/> (see <see cref="CharRnnOptions.Data"/>) and says where they came from.</summary>
    internal static IReadOnlyList<string> LoadWords(string? data, TextWriter log)
    {
        if (data == EmbeddedData || (data is null && !File.Exists(WordList.DefaultPath)))
        {
            var small = WordList.Small();
            log.WriteLine(data is null
                ? $"{WordList.DefaultPath} not found (apt-get install wamerican): training on the embedded {small.Count:N0}-word list"
                : $"Words: the embedded {small.Count:N0}-word list");
            return small;
        }
        string path = data ?? WordList.DefaultPath;
        log.WriteLine($"Words: {path}");
        return WordList.Load(path);
    }

    internal static int Train(CharRnnOptions o)
    {
        if (o.Threads > 0) Threads.Count = o.Threads;
        var clock = Stopwatch.StartNew();
        var words = LoadWords(o.Data, Console.Out);
        var result = CharRnnExperiment.Run(words, o.Cell, o.EmbeddingDim, o.HiddenSize, o.Layers,
                                           new CharRnnTrainingOptions(o.Epochs, o.BatchSize, o.LearningRate, Seed: o.Seed), o.Validation, Console.Out);
        var last = result.Epochs[^1];
        if (!double.IsFinite(last.ValidationLoss))
        {
            Console.Error.WriteLine($"Training failed: the validation loss is {last.ValidationLoss}. No model was written.");
            return 1;
        }

        Directory.CreateDirectory(o.Output);
        new CharRnnModelFile { Model = result.Model, TrainWords = result.TrainWords }.Save(Path.Combine(o.Output, "model.safetensors"));
        CharRnnPlot.Save(result.Epochs, result.BigramNats, Path.Combine(o.Output, "history.svg"), $"char-rnn: {result.Model.Spec}");
        TrainCommand.WriteAtomically(Path.Combine(o.Output, "history.csv"), ToCsv(result.Epochs));
        var metrics = new Dictionary<string, object?>
        {
            ["model"] = result.Model.Spec.ToString(),
            ["parameters"] = result.Model.ParameterCount(),
            ["words"] = words.Count,
            ["train_words"] = result.TrainWords.Count,
            ["validation_words"] = result.ValidationWords.Count,
            ["epochs"] = o.Epochs,
            ["batch_size"] = o.BatchSize,
            ["validation_nats_per_char"] = last.ValidationLoss,
            ["validation_bits_per_char"] = CharRnnExperiment.Bits(last.ValidationLoss),
            ["bigram_validation_nats_per_char"] = result.BigramNats,
            ["bigram_validation_bits_per_char"] = CharRnnExperiment.Bits(result.BigramNats),
            ["train_nats_per_char"] = last.TrainLoss,
            ["train_chars_per_second"] = result.TokensPerSecond,
            ["threads"] = Threads.Count,
            ["seconds"] = clock.Elapsed.TotalSeconds,
        };
        TrainCommand.WriteAtomically(Path.Combine(o.Output, "metrics.json"), JsonSerializer.Serialize(metrics, new JsonSerializerOptions { WriteIndented = true }));

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Validation loss per character: model {last.ValidationLoss:F4} nats ({CharRnnExperiment.Bits(last.ValidationLoss):F4} bits), " +
            $"bigram baseline {result.BigramNats:F4} nats ({CharRnnExperiment.Bits(result.BigramNats):F4} bits)"));
        Console.WriteLine($"Wrote {o.Output}/model.safetensors, history.svg, history.csv, metrics.json; try `nabla sample {Path.Combine(o.Output, "model.safetensors")}`");
        return 0;
    }

    /// <summary>One line per epoch: epoch, training and validation nats per character, characters per second, seconds.</summary>
    internal static string ToCsv(IReadOnlyList<CharRnnEpoch> epochs)
    {
        var ci = CultureInfo.InvariantCulture;
        var sb = new StringBuilder("epoch,train_nats_per_char,val_nats_per_char,train_chars_per_second,seconds\n");
        foreach (var e in epochs)
            sb.AppendLine(string.Join(",", e.Epoch.ToString(ci), e.TrainLoss.ToString("R", ci), e.ValidationLoss.ToString("R", ci),
                e.TokensPerSecond.ToString("F1", ci), e.Seconds.ToString("F3", ci)));
        return sb.ToString();
    }
}
