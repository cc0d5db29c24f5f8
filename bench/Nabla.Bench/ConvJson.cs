using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Nabla.Kernels;

namespace Nabla.Bench;

/// <summary>
/// <c>conv-json [--threads N] [--shape B,C,H,W,O,K,P[,G]] [--samples S] [--sample-seconds T]</c>: times Conv2d forward
/// (no graph) and forward + backward (input, weight and bias gradients) outside BenchmarkDotNet, and prints the
/// best-of-S seconds per call as JSON, for bench/compare/conv.py to put beside PyTorch measured the same way.
/// Also times the im2col step alone over the batch, to show its share of the forward.
/// </summary>
internal static class ConvJson
{
    public static int Run(string[] args)
    {
        int threads = 1, samples = 10;
        double sampleSeconds = 0.2;
        int[] s = [64, 32, 14, 14, 64, 3, 1]; // B, C, H, W, O, kernel, padding
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--threads": threads = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--samples": samples = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--sample-seconds": sampleSeconds = double.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--shape": s = args[++i].Split(',').Select(v => int.Parse(v, CultureInfo.InvariantCulture)).ToArray(); break;
                default:
                    Console.Error.WriteLine($"conv-json: unknown option '{args[i]}'. Options: --threads N, --shape B,C,H,W,O,K,P[,G], --samples S, --sample-seconds T");
                    return 2;
            }
        }
        Threads.Count = threads;
        int b = s[0], c = s[1], h = s[2], w = s[3], o = s[4], k = s[5], p = s[6], groups = s.Length > 7 ? s[7] : 1;

        var g = new Generator(42);
        var x = Tensor.Randn([b, c, h, w], g);
        var weight = Tensor.Randn([o, c / groups, k, k], g) * 0.1f;
        var bias = Tensor.Randn([o], g);
        var xg = x.Clone();
        var wg = weight.Clone();
        var bg = bias.Clone();
        xg.RequiresGrad = wg.RequiresGrad = bg.RequiresGrad = true;
        var dy = Tensor.Conv2d(x, weight, bias, padding: p, groups: groups);
        var dyData = Tensor.Randn(dy.Shape.ToArray(), g);

        double forward = Time(() => Tensor.Conv2d(x, weight, bias, padding: p, groups: groups), samples, sampleSeconds);
        double forwardBackward = Time(() =>
        {
            xg.ZeroGrad();
            wg.ZeroGrad();
            bg.ZeroGrad();
            Tensor.Conv2d(xg, wg, bg, padding: p, groups: groups).Backward(dyData);
        }, samples, sampleSeconds);

        // The unfolding alone, image after image on one thread, as each forward work item does it.
        var geometry = new Conv2dGeometry(b, c, h, w, o, k, k, 1, 1, p, p, 1, 1, groups);
        var xs = x.ToArray();
        var col = new float[geometry.ColSize];
        var padded = new float[Im2Col.PaddedSize(geometry)];
        double im2col = Time(() =>
        {
            for (int n = 0; n < b; n++) Im2Col.Unfold<float>(geometry, xs.AsSpan(n * geometry.ImageSize, geometry.ImageSize), col, padded);
        }, samples, sampleSeconds);

        double flops = 2.0 * b * o * geometry.P * geometry.Kg;
        var report = new Dictionary<string, object>
        {
            ["library"] = "Nabla",
            ["threads"] = threads,
            ["gemm_path"] = Gemm.DefaultPath.ToString(),
            ["shape"] = new { b, c, h, w, o, k, p, groups },
            ["forward_seconds"] = forward,
            ["forward_backward_seconds"] = forwardBackward,
            ["im2col_seconds_one_thread"] = im2col,
            ["forward_gflops"] = flops / forward / 1e9,
            ["forward_backward_gflops"] = 3 * flops / forwardBackward / 1e9,
        };
        Console.WriteLine(JsonSerializer.Serialize(report));
        return 0;
    }

    /// <summary>Best over samples of the mean seconds per call, after a warm-up (the scheme of sgemm-json).</summary>
    private static double Time(Action call, int samples, double sampleSeconds)
    {
        var warm = Stopwatch.StartNew();
        int calls = 0;
        while (warm.Elapsed.TotalSeconds < 0.3 || calls < 3)
        {
            call();
            calls++;
        }
        int perSample = Math.Max(1, (int)(sampleSeconds / (warm.Elapsed.TotalSeconds / calls)));
        double best = double.MaxValue;
        for (int i = 0; i < samples; i++)
        {
            long start = Stopwatch.GetTimestamp();
            for (int j = 0; j < perSample; j++) call();
            best = Math.Min(best, Stopwatch.GetElapsedTime(start).TotalSeconds / perSample);
        }
        return best;
    }
}
