using System.Diagnostics;
using Nabla.Training;

namespace Nabla.Cli.Commands;

/// <summary>
/// Records the managed heap and the process working set after every epoch, so a run shows whether memory stays flat
/// (a leak grows both epoch after epoch; a healthy run levels off after the first).
/// </summary>
internal sealed class MemoryMonitor : TrainingCallback
{
    /// <summary>Per epoch: the managed heap after a full collection and the working set, in MB.</summary>
    public List<(int Epoch, double HeapMB, double WorkingSetMB)> Epochs { get; } = new();

    /// <inheritdoc/>
    public override void OnEpochEnd(Trainer trainer, EpochRecord record)
    {
        const double MB = 1024 * 1024;
        // A forced collection measures what is still reachable, not what garbage happens to be waiting.
        double heap = GC.GetTotalMemory(forceFullCollection: true) / MB;
        using var process = Process.GetCurrentProcess();
        Epochs.Add((record.Epoch, heap, process.WorkingSet64 / MB));
    }

    /// <summary>The figures as JSON-friendly rows.</summary>
    public object[] ToRows() => Epochs.Select(e => (object)new { epoch = e.Epoch, heap_mb = Math.Round(e.HeapMB, 1), working_set_mb = Math.Round(e.WorkingSetMB, 1) }).ToArray();
}
