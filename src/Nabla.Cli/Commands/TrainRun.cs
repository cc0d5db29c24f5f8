using System.Diagnostics;
using System.Text.Json;
using Nabla.Cli.Models;
using Nabla.Optim;
using Nabla.Training;

namespace Nabla.Cli.Commands;

/// <summary>The parts of a <c>nabla train</c> run that do not depend on the model: the schedule, and the report and files at the end.</summary>
internal static class TrainRun
{
    /// <summary>cosine, step (x0.1 every third of the epochs) or none.</summary>
    public static LRScheduler? MakeSchedule(string name, Optimizer optimizer, int epochs) => name switch
    {
        "cosine" => new CosineAnnealingLR(optimizer, tMax: epochs),
        "step" => new StepLR(optimizer, stepSize: Math.Max(1, epochs / 3), gamma: 0.1),
        "none" => null,
        _ => throw new ArgumentException($"Unknown schedule '{name}'. Known: cosine, step, none."),
    };

    /// <summary>
    /// Scores the test sample, writes model.safetensors (through <paramref name="save"/>), history.svg, history.csv,
    /// summary.txt and metrics.json (with <paramref name="extra"/> entries), and prints the outcome. Returns 1 and
    /// writes nothing when training failed, naming the epoch that <paramref name="checkpoint"/> kept.
    /// </summary>
    public static int Finish(Trainer trainer, History history, IEnumerable<(Tensor Input, Tensor Target)> test, Problem problem,
                             TrainCommand.TrainOptions o, string description, string summary, Action<string> save,
                             IReadOnlyDictionary<string, object?> extra, Stopwatch clock, ModelCheckpoint? checkpoint = null)
    {
        if (history.Epochs.Count == 0 || history.StopReason.StartsWith("the loss", StringComparison.Ordinal))
        {
            string kept = checkpoint is null ? ""
                : checkpoint.SavedEpoch > 0 ? $"; {checkpoint.Path} keeps epoch {checkpoint.SavedEpoch}, the last with finite losses"
                : "; no epoch finished, so no checkpoint was saved";
            Console.Error.WriteLine($"Training failed: {history.StopReason}. No model was written{kept}.");
            return 1;
        }
        var (testLoss, testAccuracy) = trainer.Evaluate(test);
        var best = history.Epochs[history.BestEpoch - 1];

        // Files: each written whole (temporary file, then rename) so an interrupted run never leaves half a file.
        Directory.CreateDirectory(o.Output);
        save(Path.Combine(o.Output, "model.safetensors"));
        HistoryPlot.Save(history, Path.Combine(o.Output, "history.svg"), description);
        TrainCommand.WriteAtomically(Path.Combine(o.Output, "history.csv"), history.ToCsv());
        TrainCommand.WriteAtomically(Path.Combine(o.Output, "summary.txt"), summary);
        var metrics = new Dictionary<string, object?>
        {
            ["dataset"] = problem.Name,
            ["model"] = description,
            ["parameters"] = trainer.Model.ParameterCount(),
            ["epochs_run"] = history.Epochs.Count,
            ["best_epoch"] = history.BestEpoch,
            ["stop_reason"] = history.StopReason,
            ["train_loss"] = best.TrainLoss,
            ["train_accuracy"] = best.TrainAccuracy,
            ["validation_loss"] = best.ValidationLoss,
            ["validation_accuracy"] = best.ValidationAccuracy,
            ["test_loss"] = testLoss,
            ["test_accuracy"] = testAccuracy,
            ["train_samples_per_second"] = history.Epochs.Average(e => e.SamplesPerSecond),
            ["threads"] = o.Threads,
            ["seconds"] = clock.Elapsed.TotalSeconds,
        };
        foreach (var (key, value) in extra) metrics[key] = value;
        TrainCommand.WriteAtomically(Path.Combine(o.Output, "metrics.json"), JsonSerializer.Serialize(metrics, new JsonSerializerOptions { WriteIndented = true }));

        Console.WriteLine($"Best epoch {history.BestEpoch}: validation accuracy {TrainCommand.Percent(best.ValidationAccuracy)} (loss {best.ValidationLoss:F4})");
        Console.WriteLine($"Test accuracy {TrainCommand.Percent(testAccuracy)} (loss {testLoss:F4}) on {problem.Test.Count} held-out samples");
        string checkpointNote = checkpoint is null ? "" : $", checkpoint.safetensors (epoch {checkpoint.SavedEpoch})";
        Console.WriteLine($"Wrote {o.Output}/model.safetensors{checkpointNote}, history.svg, history.csv, summary.txt, metrics.json");
        return 0;
    }
}
