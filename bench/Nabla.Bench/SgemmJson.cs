using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Nabla.Kernels;

namespace Nabla.Bench;

/// <summary>
/// <c>sgemm-json [--threads N] [--shapes MxNxK,...] [--samples S]</c>: times <see cref="Gemm.Sgemm"/>
/// outside BenchmarkDotNet and prints GFLOP/s per shape as JSON, for bench/compare/sgemm.py to put
/// beside NumPy and PyTorch measured the same way (best of S samples, each a mean over repeated calls).
/// </summary>
internal static class SgemmJson
{
    /// <summary>The square sizes and the seed shapes (m x n x k): 64x1000 * 1000x100 and 64x100 * 100x10.</summary>
    public static readonly (int M, int N, int K)[] DefaultShapes =
    [
        (128, 128, 128), (256, 256, 256), (512, 512, 512), (1024, 1024, 1024), (2048, 2048, 2048),
        (64, 100, 1000), (64, 10, 100),
    ];

    public static int Run(string[] args)
    {
        int threads = 1, samples = 15;
        double sampleSeconds = 0.03;
        var shapes = DefaultShapes;
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--threads": threads = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--samples": samples = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--sample-seconds": sampleSeconds = double.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--shapes": shapes = ParseShapes(args[++i]); break;
                default:
                    Console.Error.WriteLine($"sgemm-json: unknown option '{args[i]}'. Options: --threads N, --shapes MxNxK,..., --samples S, --sample-seconds T");
                    return 2;
            }
        }
        Threads.Count = threads;

        var results = new List<Dictionary<string, object>>();
        foreach (var (m, n, k) in shapes)
        {
            double seconds = Time(m, n, k, samples, sampleSeconds);
            results.Add(new Dictionary<string, object>
            {
                ["m"] = m, ["n"] = n, ["k"] = k,
                ["seconds"] = seconds,
                ["gflops"] = 2.0 * m * n * k / seconds / 1e9,
            });
        }
        var report = new Dictionary<string, object>
        {
            ["library"] = "Nabla",
            ["threads"] = threads,
            ["path"] = Gemm.DefaultPath.ToString(),
            ["results"] = results,
        };
        Console.WriteLine(JsonSerializer.Serialize(report));
        return 0;
    }

    /// <summary>Best over samples of the mean seconds per call of C = A B (row-major, no transposes, beta = 0).</summary>
    private static double Time(int m, int n, int k, int samples, double sampleSeconds)
    {
        var rng = new Random(42);
        float[] a = RandomArray(rng, m * k), b = RandomArray(rng, k * n), c = new float[m * n];
        void Call() => Gemm.Sgemm(false, false, m, n, k, 1f, a, k, b, n, 0f, c, n);

        // Warm up: tiered compilation, packing buffers, thread-pool threads.
        var warm = Stopwatch.StartNew();
        int calls = 0;
        while (warm.Elapsed.TotalSeconds < 0.2 || calls < 3)
        {
            Call();
            calls++;
        }
        int perSample = Math.Max(1, (int)(sampleSeconds / (warm.Elapsed.TotalSeconds / calls)));

        double best = double.MaxValue;
        for (int s = 0; s < samples; s++)
        {
            long start = Stopwatch.GetTimestamp();
            for (int i = 0; i < perSample; i++)
            {
                Call();
            }
            best = Math.Min(best, Stopwatch.GetElapsedTime(start).TotalSeconds / perSample);
        }
        return best;
    }

    private static float[] RandomArray(Random rng, int length)
    {
        var x = new float[length];
        for (int i = 0; i < x.Length; i++)
        {
            x[i] = (float)(rng.NextDouble() * 2 - 1);
        }
        return x;
    }

    private static (int, int, int)[] ParseShapes(string text) =>
        text.Split(',', StringSplitOptions.RemoveEmptyEntries)
            .Select(s => s.Split('x'))
            .Select(p => (int.Parse(p[0], CultureInfo.InvariantCulture), int.Parse(p[1], CultureInfo.InvariantCulture), int.Parse(p[2], CultureInfo.InvariantCulture)))
            .ToArray();
}
