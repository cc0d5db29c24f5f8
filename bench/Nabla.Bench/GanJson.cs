using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Nabla.Examples;
using Nabla.Kernels;
using Nabla.Optim;
using Nabla.Training;

namespace Nabla.Bench;

/// <summary>
/// <c>gan-json [--threads N] [--batches B] [--repeats R] [--widths G,D]</c>: times the gan-fashion example's DCGAN
/// (<see cref="DcganSpec"/> at its default sizes, or with G's and D's widths from --widths) on random images shaped like
/// Fashion-MNIST scaled to [-1, 1], and prints JSON for bench/compare/gan.py: seconds per batch (the example's default
/// batch size, 64) for one <see cref="GanTrainer.Step"/> (G forward, D step on real and detached fakes, G step through
/// the frozen D, both Adam updates, the update of the average of G's weights), the best of R runs of B batches after a
/// warm-up run, and that figure scaled to an epoch of 937 batches.
/// </summary>
internal static class GanJson
{
    private const int BatchSize = GanFashionExample.DefaultBatchSize, DistinctBatches = 20, BatchesPerEpoch = 60000 / BatchSize;

    public static int Run(string[] args)
    {
        int threads = Environment.ProcessorCount, batches = 30, repeats = 3;
        var spec = new DcganSpec();
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--threads": threads = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--batches": batches = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--repeats": repeats = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--widths":
                    var widths = args[++i].Split(',').Select(w => int.Parse(w, CultureInfo.InvariantCulture)).ToArray();
                    spec = spec with { GeneratorWidth = widths[0], DiscriminatorWidth = widths[^1] };
                    break;
                default:
                    Console.Error.WriteLine($"gan-json: unknown option '{args[i]}'. Options: --threads N, --batches B, --repeats R, --widths G,D");
                    return 2;
            }
        }
        Threads.Count = threads;
        var init = new Generator(0);
        var g = spec.BuildGenerator(init);
        var d = spec.BuildDiscriminator(init);
        double lr = GanFashionExample.DefaultLearningRate;
        var trainer = GanFashionExample.CreateTrainer(spec, g, d, lr, GanFashionExample.DiscriminatorLearningRateRatio * lr,
                                                      GanFashionExample.DefaultGeneratorAverageDecay, new Generator(1));
        var images = Enumerable.Range(0, DistinctBatches).Select(_ => Tensor.Rand([BatchSize, .. DcganSpec.ImageShape], init) * 2f - 1f).ToArray(); // (64, 1, 28, 28)

        double dLoss = 0;
        double best = Timing.Best(repeats, () =>
        {
            for (int b = 0; b < batches; b++) dLoss = trainer.Step(images[b % DistinctBatches]).DiscriminatorLoss;
        });
        double perBatch = best / batches;
        Console.WriteLine(JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["library"] = "Nabla",
            ["threads"] = threads,
            ["widths"] = new[] { spec.GeneratorWidth, spec.DiscriminatorWidth },
            ["generator_refine"] = spec.GeneratorRefine,
            ["batches"] = batches,
            ["seconds_per_batch"] = perBatch,
            ["seconds_per_epoch"] = perBatch * BatchesPerEpoch,
            ["final_d_loss"] = dLoss,
        }));
        return 0;
    }
}
