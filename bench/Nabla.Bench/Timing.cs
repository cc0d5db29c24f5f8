using System.Diagnostics;

namespace Nabla.Bench;

/// <summary>How the timing modes measure: one warm-up run, then the fastest of several timed runs.</summary>
internal static class Timing
{
    /// <summary>
    /// Seconds of the fastest of <paramref name="repeats"/> runs of <paramref name="run"/>, after one untimed warm-up
    /// run (JIT, buffers, optimizer state). The minimum, not the mean: on a shared machine every disturbance only adds.
    /// </summary>
    public static double Best(int repeats, Action run)
    {
        run();
        double best = double.PositiveInfinity;
        for (int r = 0; r < repeats; r++)
        {
            var clock = Stopwatch.StartNew();
            run();
            best = Math.Min(best, clock.Elapsed.TotalSeconds);
        }
        return best;
    }
}
