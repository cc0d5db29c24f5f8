using System.Globalization;
using Spectre.Console;

namespace Nabla.Training;

/// <summary>
/// Shows GAN training as it happens: on a terminal, a live bar per epoch with both losses, D(x) and D(G(z)) (the
/// discriminator's mean output on real and on generated samples) and the time left, which becomes a summary line
/// when the epoch ends; when the output is redirected, one plain line per epoch. D(x) near 1 with D(G(z)) near 0
/// for many epochs means D has won and G learns little; both near 0.5 is the balance the game aims at.
/// </summary>
public sealed class GanProgressReporter : GanCallback
{
    private const int BarWidth = 20;
    private readonly IAnsiConsole console;
    private readonly bool live;
    private long lastDrawTicks;
    private TimeSpan epochDuration;
    private int epochs;

    /// <summary>Creates a reporter writing to <paramref name="console"/> (default: the process console).</summary>
    /// <param name="console">Where to write.</param>
    /// <param name="live">Force the live bar on or off (default: on when the output is an interactive terminal).</param>
    public GanProgressReporter(IAnsiConsole? console = null, bool? live = null)
    {
        this.console = console ?? AnsiConsole.Console;
        this.live = live ?? (this.console.Profile.Capabilities.Interactive && !Console.IsOutputRedirected);
    }

    /// <inheritdoc/>
    public override void OnTrainBegin(GanTrainer trainer, int epochs, int? batchesPerEpoch)
    {
        this.epochs = epochs;
        epochDuration = TimeSpan.Zero;
    }

    /// <inheritdoc/>
    public override void OnBatchEnd(GanTrainer trainer, GanBatchProgress p)
    {
        if (!live) return;
        long now = Environment.TickCount64;
        bool last = p.Batches is int total && p.Batch == total;
        if (!last && now - lastDrawTicks < 100) return; // redraw at most ten times a second
        lastDrawTicks = now;
        string bar = "", count = p.Batch.ToString(CultureInfo.InvariantCulture), eta = "";
        if (p.Batches is int batches && batches > 0)
        {
            double done = (double)p.Batch / batches;
            int filled = (int)(done * BarWidth);
            bar = $"[green]{new string('━', filled)}[/][grey]{new string('─', BarWidth - filled)}[/] ";
            count = $"{p.Batch}/{batches}";
            var perEpoch = epochDuration > TimeSpan.Zero ? epochDuration : p.Elapsed / done;
            eta = $"  left {Format(p.Elapsed / done - p.Elapsed + perEpoch * (p.Epochs - p.Epoch))}";
        }
        console.Markup($"\r[bold]Epoch {p.Epoch}/{p.Epochs}[/] {bar}{count}  {Figures(p.DiscriminatorLoss, p.GeneratorLoss, p.RealScore, p.FakeScore)}" +
                       $"  {p.SamplesPerSecond:N0} samples/s{eta}   ");
    }

    /// <inheritdoc/>
    public override void OnEpochEnd(GanTrainer trainer, GanEpochRecord r)
    {
        epochDuration = TimeSpan.FromSeconds(r.Seconds);
        string line = $"Epoch {r.Epoch}/{epochs}  {Figures(r.DiscriminatorLoss, r.GeneratorLoss, r.RealScore, r.FakeScore)}  " +
                      $"{r.SamplesPerSecond:N0} samples/s  {r.Seconds:F1}s";
        if (live)
        {
            console.Markup("\r" + new string(' ', SafeWidth() - 1) + "\r");
            console.MarkupLine(Markup.Escape(line));
        }
        else
        {
            // Plain text straight to the writer: a log file gets one unwrapped line per epoch.
            console.Profile.Out.Writer.WriteLine(line);
        }
    }

    /// <inheritdoc/>
    public override void OnTrainEnd(GanTrainer trainer, GanHistory history)
    {
        if (history.StopReason == "completed") return;
        if (live) console.MarkupLine($"[red]Stopped: {Markup.Escape(history.StopReason)}[/]");
        else console.Profile.Out.Writer.WriteLine("Stopped: " + history.StopReason);
    }

    private static string Figures(double d, double g, double real, double fake) =>
        string.Create(CultureInfo.InvariantCulture, $"loss_D {d:F4}  loss_G {g:F4}  D(x) {real:F3}  D(G(z)) {fake:F3}");

    private int SafeWidth()
    {
        try { return Math.Clamp(console.Profile.Width, 20, 400); }
        catch (IOException) { return 80; }
    }

    private static string Format(TimeSpan t) =>
        t.ToString(t.TotalHours >= 1 ? @"h\:mm\:ss" : @"m\:ss", CultureInfo.InvariantCulture);
}
