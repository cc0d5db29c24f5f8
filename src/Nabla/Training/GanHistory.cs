using System.Globalization;
using System.Text;

namespace Nabla.Training;

/// <summary>
/// The figures of one GAN epoch, each the mean over its batches: the two losses and the discriminator's mean output
/// (a probability) on real samples, D(x), and on generated ones, D(G(z)), measured before its update.
/// </summary>
public sealed record GanEpochRecord
{
    /// <summary>1-based epoch number.</summary>
    public int Epoch { get; init; }

    /// <summary>Mean discriminator loss: BCE on the real batch against "real" plus BCE on the fake batch against "fake".</summary>
    public double DiscriminatorLoss { get; init; }

    /// <summary>Mean generator loss: BCE of D(G(z)) against "real" (the non-saturating loss).</summary>
    public double GeneratorLoss { get; init; }

    /// <summary>Mean D(x), the probability the discriminator gives real samples.</summary>
    public double RealScore { get; init; }

    /// <summary>Mean D(G(z)), the probability the discriminator gives generated samples.</summary>
    public double FakeScore { get; init; }

    /// <summary>Real samples per second (both steps included).</summary>
    public double SamplesPerSecond { get; init; }

    /// <summary>Wall-clock seconds for the epoch, callbacks excluded.</summary>
    public double Seconds { get; init; }
}

/// <summary>What <see cref="GanTrainer.Fit"/> measured, epoch by epoch.</summary>
public sealed class GanHistory
{
    private readonly List<GanEpochRecord> epochs = [];

    /// <summary>One record per completed epoch.</summary>
    public IReadOnlyList<GanEpochRecord> Epochs => epochs;

    /// <summary>Why training stopped: "completed", "stopped by a callback", or a message for a non-finite loss.</summary>
    public string StopReason { get; internal set; } = "completed";

    internal void Add(GanEpochRecord record) => epochs.Add(record);

    /// <summary>The history as CSV: one header line, then one line per epoch.</summary>
    public string ToCsv()
    {
        var ci = CultureInfo.InvariantCulture;
        var sb = new StringBuilder("epoch,d_loss,g_loss,d_real,d_fake,samples_per_second,seconds\n");
        foreach (var e in epochs)
            sb.AppendLine(string.Join(",", e.Epoch.ToString(ci), e.DiscriminatorLoss.ToString("R", ci), e.GeneratorLoss.ToString("R", ci),
                e.RealScore.ToString("R", ci), e.FakeScore.ToString("R", ci), e.SamplesPerSecond.ToString("F1", ci), e.Seconds.ToString("F3", ci)));
        return sb.ToString();
    }
}
