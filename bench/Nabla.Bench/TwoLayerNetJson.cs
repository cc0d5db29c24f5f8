using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Nabla.Examples.TwoLayerNet;
using Nabla.Kernels;

namespace Nabla.Bench;

/// <summary>
/// <c>two-layer-net-json [--threads N] [--steps S] [--repeats R]</c>: times the seed two-layer network
/// (N=64, D_in=1000, H=100, D_out=10, S steps of gradient descent) with hand-derived gradients and with
/// autograd, best of R runs each, and prints the seconds as JSON for bench/compare/two_layer_net.py.
/// </summary>
internal static class TwoLayerNetJson
{
    public static int Run(string[] args)
    {
        int threads = Environment.ProcessorCount, steps = 500, repeats = 3;
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--threads": threads = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--steps": steps = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--repeats": repeats = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                default:
                    Console.Error.WriteLine($"two-layer-net-json: unknown option '{args[i]}'. Options: --threads N, --steps S, --repeats R");
                    return 2;
            }
        }
        Threads.Count = threads;
        var (x, y, w1, w2) = TwoLayerNetExample.MakeProblem(1);

        double byHand = Timing.Best(repeats, () => TwoLayerNetByHand.Train(x, y, w1.Clone(), w2.Clone(), steps, 1e-6f));
        float[] lastCosts = [];
        double autograd = Timing.Best(repeats, () =>
        {
            var a = w1.Clone();
            var b = w2.Clone();
            a.RequiresGrad = true;
            b.RequiresGrad = true;
            lastCosts = TwoLayerNetAutograd.Train(x, y, a, b, steps, 1e-6f);
        });
        Console.WriteLine(JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["library"] = "Nabla",
            ["threads"] = threads,
            ["steps"] = steps,
            ["by_hand_seconds"] = byHand,
            ["autograd_seconds"] = autograd,
            ["final_cost"] = lastCosts.Length > 0 ? lastCosts[^1] : double.NaN,
        }));
        return 0;
    }
}
