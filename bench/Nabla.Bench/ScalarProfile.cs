using System.Diagnostics;
using System.Globalization;
using Nabla.Data;
using Nabla.Examples;
using Nabla.Scalar;

namespace Nabla.Bench;

/// <summary>
/// <c>scalar-profile [--steps N] [--no-collect] [--json]</c>: where one moons step of the scalar engine spends its time (forward
/// and loss, zero grad, backward, update with <see cref="Value.CollectDeadGraphs"/> as the moons example ends its steps),
/// each phase's best, median and mean over N steps, and the collections per step. <c>--no-collect</c> leaves the
/// collections to the collector's budget; <c>--json</c> prints only the whole step's mean, median and best, as JSON.
/// A plain Stopwatch loop, quicker to run than the BenchmarkDotNet suite and robust to load through the minimum.
/// </summary>
internal static class ScalarProfile
{
    public static int Run(string[] args)
    {
        int at = Array.IndexOf(args, "--steps");
        int steps = at >= 0 && at + 1 < args.Length ? int.Parse(args[at + 1], CultureInfo.InvariantCulture) : 300;
        bool collect = !args.Contains("--no-collect");
        bool json = args.Contains("--json");
        var (points, labels) = Synthetic.Moons(100, noise: 0.1, seed: 1337);
        var y = labels.Select(label => label == 1 ? 1.0 : -1.0).ToArray();
        var model = new MLP(2, [16, 16, 1], Activation.Relu, seed: 1337);
        var phases = new[] { "forward+loss", "zero grad", "backward", collect ? "update+collect" : "update", "step" };
        var times = phases.Select(_ => new double[steps]).ToArray();
        var clock = new Stopwatch();
        int gen0 = 0, gen1 = 0;
        TimeSpan paused = default;
        for (int s = -300; s < steps; s++) // 300 warm-up steps (about half a second): past tiered compilation
        {
            if (s == 0) { gen0 = GC.CollectionCount(0); gen1 = GC.CollectionCount(1); paused = GC.GetTotalPauseDuration(); }
            clock.Restart();
            var (loss, _) = MoonsExample.Loss(model, points, y);
            double t0 = clock.Elapsed.TotalMicroseconds;
            model.ZeroGrad();
            double t1 = clock.Elapsed.TotalMicroseconds;
            loss.Backward();
            double t2 = clock.Elapsed.TotalMicroseconds;
            foreach (var p in model.Parameters()) p.Data -= 0.5 * p.Grad;
            loss = null!;
            if (collect) Value.CollectDeadGraphs(); // timed with the update, as the moons example runs it
            double t3 = clock.Elapsed.TotalMicroseconds;
            if (s < 0) continue;
            times[0][s] = t0; times[1][s] = t1 - t0; times[2][s] = t2 - t1; times[3][s] = t3 - t2; times[4][s] = t3;
        }
        if (json)
        {
            // The whole step only, for bench/compare_micrograd.py.
            var step = times[^1];
            double stepMean = step.Average();
            Array.Sort(step);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{{\"steps\": {steps}, \"mean_ms\": {stepMean / 1e3:F4}, \"median_ms\": {step[steps / 2] / 1e3:F4}, \"best_ms\": {step[0] / 1e3:F4}}}"));
            return 0;
        }
        for (int i = 0; i < phases.Length; i++)
        {
            double mean = times[i].Average(); // with the collections, which land on a few steps
            Array.Sort(times[i]);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{phases[i],-14} best {times[i][0],9:F1} us   median {times[i][steps / 2],9:F1} us   mean {mean,9:F1} us"));
        }
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"collections per 100 steps: gen0 {(GC.CollectionCount(0) - gen0) * 100.0 / steps:F1}, gen1 {(GC.CollectionCount(1) - gen1) * 100.0 / steps:F1}; paused {(GC.GetTotalPauseDuration() - paused).TotalMicroseconds / steps:F1} us per step"));
        var info = GC.GetGCMemoryInfo(GCKind.Any);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"last collection: gen{info.Generation}, promoted {info.PromotedBytes / 1e6:F2} MB, heap {info.HeapSizeBytes / 1e6:F1} MB, pause {info.PauseDurations[0].TotalMilliseconds:F2} ms"));
        return 0;
    }
}
