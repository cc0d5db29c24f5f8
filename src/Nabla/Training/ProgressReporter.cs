using System.Globalization;
using Spectre.Console;

namespace Nabla.Training;

/// <summary>
/// Shows training as it happens: on a terminal, a live bar per epoch (batch, loss, accuracy, samples per second,
/// time left) that becomes a summary line when the epoch ends; when the output is redirected, one plain line per
/// epoch. Overtraining warnings and the stop reason are printed in either case.
/// </summary>
public sealed class ProgressReporter : TrainingCallback
{
    private const int BarWidth = 24;
    private readonly IAnsiConsole console;
    private readonly bool live;
    private long lastDrawTicks;
    private TimeSpan epochDuration;
    private int epochs;
    private bool warned;

    /// <summary>Creates a reporter writing to <paramref name="console"/> (default: the process console).</summary>
    /// <param name="console">Where to write.</param>
    /// <param name="live">Force the live bar on or off (default: on when the output is an interactive terminal).</param>
    public ProgressReporter(IAnsiConsole? console = null, bool? live = null)
    {
        this.console = console ?? AnsiConsole.Console;
        this.live = live ?? (this.console.Profile.Capabilities.Interactive && !Console.IsOutputRedirected);
    }

    /// <inheritdoc/>
    public override void OnTrainBegin(Trainer trainer, int epochs, int? batchesPerEpoch)
    {
        this.epochs = epochs;
        epochDuration = TimeSpan.Zero;
        warned = false;
    }

    /// <inheritdoc/>
    public override void OnBatchEnd(Trainer trainer, BatchProgress p)
    {
        if (!live) return;
        long now = Environment.TickCount64;
        bool last = p.Batches is int total && p.Batch == total;
        if (!last && now - lastDrawTicks < 100) return; // redraw at most ten times a second
        lastDrawTicks = now;

        string bar = "", count = p.Batch.ToString(CultureInfo.InvariantCulture);
        TimeSpan? left = null;
        if (p.Batches is int batches && batches > 0)
        {
            double done = (double)p.Batch / batches;
            int filled = (int)(done * BarWidth);
            bar = $"[green]{new string('━', filled)}[/][grey]{new string('─', BarWidth - filled)}[/] ";
            count = $"{p.Batch}/{batches}";
            var thisEpoch = p.Elapsed / done - p.Elapsed;
            var perEpoch = epochDuration > TimeSpan.Zero ? epochDuration : p.Elapsed / done;
            left = thisEpoch + perEpoch * (p.Epochs - p.Epoch);
        }
        string accuracy = double.IsNaN(p.Accuracy) ? "" : $"  acc {Percent(p.Accuracy)}";
        string eta = left is TimeSpan t ? $"  left {Format(t)}" : "";
        console.Markup($"\r[bold]Epoch {p.Epoch}/{p.Epochs}[/] {bar}{count}  loss {p.Loss:F4}{accuracy}  {p.SamplesPerSecond:N0} samples/s{eta}   ");
    }

    /// <inheritdoc/>
    public override void OnEpochEnd(Trainer trainer, EpochRecord r)
    {
        epochDuration = TimeSpan.FromSeconds(r.Seconds);
        var line = $"Epoch {r.Epoch}/{epochs}  loss {r.TrainLoss:F4}";
        if (!double.IsNaN(r.TrainAccuracy)) line += $"  acc {Percent(r.TrainAccuracy)}";
        if (!double.IsNaN(r.ValidationLoss)) line += $"  val_loss {r.ValidationLoss:F4}";
        if (!double.IsNaN(r.ValidationAccuracy)) line += $"  val_acc {Percent(r.ValidationAccuracy)}";
        line += $"  {r.SamplesPerSecond:N0} samples/s  {r.Seconds:F1}s";
        if (r.OvertrainingWarning && warned) line += "  (overtraining)";
        if (live)
        {
            console.Markup("\r" + new string(' ', SafeWidth() - 1) + "\r");
            console.MarkupLine(Markup.Escape(line));
        }
        else
        {
            // Plain text straight to the writer: a log file should get one unwrapped line per epoch.
            console.Profile.Out.Writer.WriteLine(line);
        }
        if (r.OvertrainingWarning && !warned)
        {
            // Said once in full; later flagged epochs get a short mark on their own line.
            warned = true;
            WriteLine("Warning: validation loss rose while training loss fell: the model is starting to fit the training sample " +
                      "at the expense of new data (overtraining). Early stopping keeps the best epoch.", "yellow");
        }
    }

    /// <inheritdoc/>
    public override void OnTrainEnd(Trainer trainer, History history)
    {
        if (history.StopReason != "completed")
            WriteLine("Stopped: " + history.StopReason, history.StopReason.StartsWith("the loss", StringComparison.Ordinal) ? "red" : "blue");
    }

    /// <summary>A whole line: coloured on a terminal, plain and unwrapped in a log.</summary>
    private void WriteLine(string text, string color)
    {
        if (live) console.MarkupLine($"[{color}]{Markup.Escape(text)}[/]");
        else console.Profile.Out.Writer.WriteLine(text);
    }

    private int SafeWidth()
    {
        try { return Math.Clamp(console.Profile.Width, 20, 400); }
        catch (IOException) { return 80; }
    }

    private static string Percent(double fraction) => (100 * fraction).ToString("F2", CultureInfo.InvariantCulture) + "%";

    private static string Format(TimeSpan t) => t.TotalHours >= 1 ? t.ToString(@"h\:mm\:ss", CultureInfo.InvariantCulture) : t.ToString(@"m\:ss", CultureInfo.InvariantCulture);
}
