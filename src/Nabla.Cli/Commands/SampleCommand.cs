using System.CommandLine;
using System.Globalization;
using Nabla.Cli.Models;
using Nabla.Examples.CharRnn;

namespace Nabla.Cli.Commands;

/// <summary><c>nabla sample MODEL</c>: new words from a char-rnn model, marking the ones that are not in its training list.</summary>
internal static class SampleCommand
{
    public static Command Create()
    {
        var model = new Argument<string>("model") { Description = "A model.safetensors written by `nabla train --model char-rnn`." };
        var count = new Option<int>("--count", "-n") { Description = "How many words.", DefaultValueFactory = _ => 10 };
        var temperature = new Option<double>("--temperature", "-t") { Description = "Softmax temperature: below 1 plainer words, above 1 stranger ones.", DefaultValueFactory = _ => 1.0 };
        var seed = new Option<int>("--seed") { Description = "Random seed: the same seed gives the same words.", DefaultValueFactory = _ => 1 };
        var prefix = new Option<string>("--prefix") { Description = "Every word starts with these letters.", DefaultValueFactory = _ => "" };
        var command = new Command("sample", "Sample new words from a char-rnn model; words not in its training list are marked *.")
        {
            model, count, temperature, seed, prefix,
        };
        command.SetAction(parse => CliErrors.Run(() => Sample(parse.GetValue(model)!, parse.GetValue(count), parse.GetValue(temperature),
                                                              parse.GetValue(seed), parse.GetValue(prefix) ?? "", Console.Out)));
        return command;
    }

    /// <summary>Writes <paramref name="count"/> sampled words to <paramref name="output"/>, one a line, then how many are new.</summary>
    internal static int Sample(string path, int count, double temperature, int seed, string prefix, TextWriter output)
    {
        if (count < 1) throw new ArgumentException($"--count must be at least 1, got {count}.");
        if (!(temperature > 0) || double.IsInfinity(temperature)) throw new ArgumentException($"--temperature must be a positive number, got {temperature}.");
        var file = CharRnnModelFile.Load(path);
        var vocabulary = file.Model.Vocabulary;
        for (int i = 0; i < prefix.Length; i++)
            if (!vocabulary.Contains(prefix[i]))
                throw new ArgumentException($"--prefix: '{prefix[i]}' at position {i} of \"{prefix}\" is not in the model's vocabulary \"{vocabulary.Characters}\".");
        var train = file.TrainWords.ToHashSet(StringComparer.Ordinal);
        var words = CharRnnSampler.SampleMany(file.Model, count, new Generator(seed), temperature, prefix);
        foreach (var w in words) output.WriteLine(CharRnnExperiment.Mark(w, train));
        int novel = words.Count(w => !train.Contains(w));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{novel} of {words.Count} not in the {train.Count:N0} training words (marked *); temperature {temperature}, seed {seed}"));
        return 0;
    }
}
