using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Nabla.Data;
using Nabla.Examples.CharRnn;
using Nabla.Kernels;
using Nabla.NN;
using Nabla.Optim;

namespace Nabla.Bench;

/// <summary>
/// <c>char-rnn-json [--threads N] [--hidden H] [--embedding E] [--batch B] [--repeats R]</c>: times the char-rnn model's
/// training (embedding, LSTM, linear; cross entropy with padding ignored, backward, gradient clipping to norm 1, Adam)
/// over one pass of the embedded word list in fixed batches (the words sorted by length, then cut into batches of B, as
/// bench/compare/char_rnn.py does for PyTorch), and prints JSON: training characters per second (the characters and
/// end tokens predicted; padding not counted). The figure is the best of R passes after a warm-up pass.
/// </summary>
internal static class CharRnnJson
{
    public static int Run(string[] args)
    {
        int threads = Environment.ProcessorCount, hidden = 256, embedding = 32, batchSize = 64, repeats = 3;
        bool profile = false;
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--threads": threads = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--hidden": hidden = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--embedding": embedding = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--batch": batchSize = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--repeats": repeats = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--profile": profile = true; break;
                default:
                    Console.Error.WriteLine($"char-rnn-json: unknown option '{args[i]}'. Options: --threads N, --hidden H, --embedding E, --batch B, --repeats R, --profile");
                    return 2;
            }
        }
        Threads.Count = threads;
        var words = WordList.Small();
        var vocabulary = CharVocabulary.FromWords(words);
        var data = new WordDataset(words, vocabulary);
        var batches = data.Batches(batchSize).ToArray(); // sorted by length: the same batches as the PyTorch side
        long tokens = batches.Sum(b => (long)b.TokenCount);
        var model = new CharRnnModel(new CharRnnSpec("lstm", embedding, hidden, 1, vocabulary.Characters), new Generator(0));
        var optimizer = new Adam(model.Parameters(), 1e-3);

        double loss = 0;
        void Pass()
        {
            foreach (var batch in batches)
            {
                var l = CharRnnTraining.Loss(model, batch);
                optimizer.ZeroGrad();
                l.Backward();
                GradClip.ClipGradNorm(model.Parameters(), 1.0);
                optimizer.Step();
                loss = l.ItemAsDouble();
            }
        }
        double best = Timing.Best(repeats, Pass);
        if (profile) Profile(model, optimizer, batches);
        Console.WriteLine(JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["library"] = "Nabla",
            ["threads"] = threads,
            ["batches"] = batches.Length,
            ["tokens"] = tokens,
            ["train_chars_per_second"] = tokens / best,
            ["final_loss"] = loss,
        }));
        return 0;
    }

    // Seconds of one pass spent in each phase, to stderr: where a training step's time goes.
    private static void Profile(CharRnnModel model, Optimizer optimizer, WordBatch[] batches)
    {
        var phases = new double[5];
        var clock = new Stopwatch();
        double Lap() { double s = clock.Elapsed.TotalSeconds; clock.Restart(); return s; }
        foreach (var batch in batches)
        {
            clock.Restart();
            var logits = model.Forward(batch.Inputs); phases[0] += Lap();
            var l = Functional.CrossEntropy(logits.Reshape(-1, logits.Shape[2]), batch.Targets.Reshape(-1), ignoreIndex: CharVocabulary.PadIndex); phases[1] += Lap();
            optimizer.ZeroGrad();
            l.Backward(); phases[2] += Lap();
            GradClip.ClipGradNorm(model.Parameters(), 1.0); phases[3] += Lap();
            optimizer.Step(); phases[4] += Lap();
        }
        string[] names = ["forward (embedding, LSTM, head)", "cross entropy", "backward", "gradient clipping", "Adam step"];
        for (int i = 0; i < phases.Length; i++)
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{names[i],-32} {phases[i] * 1e3,9:F1} ms"));
    }
}
