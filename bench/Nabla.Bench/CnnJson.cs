using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Nabla.Examples;
using Nabla.Kernels;
using Nabla.NN;
using Nabla.Optim;

namespace Nabla.Bench;

/// <summary>
/// <c>cnn-json [--threads N] [--batches B] [--repeats R] [--profile]</c>: times the fashion-cnn example's network
/// (conv-BN-ReLU-pool x2, dropout, 3136-128-10) on random data shaped like Fashion-MNIST and prints JSON for
/// bench/compare/cnn.py: training samples per second (forward, cross entropy, backward, an Adam step on batches of
/// 64) and inference samples per second (batches of 64, evaluation mode, no gradients), each the best of R runs after
/// a warm-up run, and the managed heap and working set after each training run, to show that memory stays flat.
/// With <c>--profile</c> it also prints, to stderr, each layer's forward and forward+backward time.
/// </summary>
internal static class CnnJson
{
    private const int BatchSize = 64, Classes = 10, DistinctBatches = 20;

    public static int Run(string[] args)
    {
        int threads = Environment.ProcessorCount, batches = 100, repeats = 3;
        bool profile = false;
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--threads": threads = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--batches": batches = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--repeats": repeats = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--profile": profile = true; break;
                default:
                    Console.Error.WriteLine($"cnn-json: unknown option '{args[i]}'. Options: --threads N, --batches B, --repeats R, --profile");
                    return 2;
            }
        }
        Threads.Count = threads;
        var g = new Generator(0);
        var model = FashionCnnExample.BuildNetwork(g);
        var optimizer = new Adam(model.Parameters(), lr: 1e-3);
        var lossFunction = new CrossEntropyLoss();

        // Pixels uniform in [0, 1) like the scaled images, labels uniform over the 10 classes.
        var xs = Enumerable.Range(0, DistinctBatches).Select(_ => Tensor.Rand([BatchSize, 1, 28, 28], g)).ToArray();  // (64, 1, 28, 28)
        var random = new Random(0);
        var ys = Enumerable.Range(0, DistinctBatches)
            .Select(_ => Tensor.FromArray(Enumerable.Range(0, BatchSize).Select(_ => (float)random.Next(Classes)).ToArray(), BatchSize))
            .ToArray(); // (64,) class indices

        double loss = 0;
        var memory = new List<object>();
        void Train()
        {
            model.Train();
            for (int b = 0; b < batches; b++)
            {
                var l = lossFunction.Forward(model.Forward(xs[b % DistinctBatches]), ys[b % DistinctBatches]);
                optimizer.ZeroGrad();
                l.Backward();
                optimizer.Step();
                if (b == batches - 1) loss = l.ItemAsDouble();
            }
            using var process = Process.GetCurrentProcess();
            memory.Add(new
            {
                heap_mb = Math.Round(GC.GetTotalMemory(forceFullCollection: true) / 1048576.0, 1),
                working_set_mb = Math.Round(process.WorkingSet64 / 1048576.0, 1),
            });
        }
        double trainSeconds = Timing.Best(repeats, Train);

        model.Eval();
        const int inferenceCalls = 50;
        double inferSeconds = Timing.Best(repeats, () =>
        {
            using var _ = Tensor.NoGrad();
            for (int c = 0; c < inferenceCalls; c++) model.Forward(xs[c % DistinctBatches]);
        });

        if (profile) Profile(model, lossFunction, xs[0], ys[0]);

        Console.WriteLine(JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["library"] = "Nabla",
            ["threads"] = threads,
            ["batches"] = batches,
            ["train_samples_per_second"] = batches * BatchSize / trainSeconds,
            ["infer_samples_per_second"] = inferenceCalls * BatchSize / inferSeconds,
            ["final_loss"] = loss,
            ["memory_after_each_run"] = memory,
        }));
        return 0;
    }

    // Microseconds per call of each layer alone: forward in training mode, and forward + backward from a fixed gradient.
    private static void Profile(Sequential model, Loss lossFunction, Tensor x, Tensor y)
    {
        const int steps = 50;
        model.Train();
        var layers = model.ToArray();
        var inputs = new Tensor[layers.Length + 1];
        inputs[0] = x;
        using (Tensor.NoGrad())
            for (int i = 0; i < layers.Length; i++) inputs[i + 1] = layers[i].Forward(inputs[i]);
        double Time(Action f) { f(); var c = Stopwatch.StartNew(); for (int s = 0; s < steps; s++) f(); return c.Elapsed.TotalMicroseconds / steps; }
        double totalForward = 0, totalBoth = 0;
        for (int i = 0; i < layers.Length; i++)
        {
            var input = inputs[i].Detach();
            input.RequiresGrad = i > 0; // the images need no gradient, as in training
            var dy = Tensor.Rand(inputs[i + 1].Shape.ToArray());
            double forward = Time(() => layers[i].Forward(input));
            double both = Time(() =>
            {
                if (input.RequiresGrad) input.ZeroGrad();
                model.ZeroGrad();
                layers[i].Forward(input).Backward(dy);
            });
            totalForward += forward;
            totalBoth += both;
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{i,2} {layers[i].GetType().Name,-12} forward {forward,9:F1} us   forward+backward {both,9:F1} us"));
        }
        var logits = inputs[^1].Detach();
        logits.RequiresGrad = true;
        double lossBoth = Time(() => { logits.ZeroGrad(); lossFunction.Forward(logits, y).Backward(); });
        Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"   loss         forward+backward {lossBoth,9:F1} us\n   layers       forward {totalForward,9:F1} us   forward+backward {totalBoth,9:F1} us"));
        long allocated = GC.GetTotalAllocatedBytes();
        int gen0 = GC.CollectionCount(0), gen2 = GC.CollectionCount(2);
        var optimizer = new Adam(model.Parameters(), lr: 1e-3);
        for (int s = 0; s < steps; s++)
        {
            var l = lossFunction.Forward(model.Forward(x), y);
            optimizer.ZeroGrad();
            l.Backward();
            optimizer.Step();
        }
        Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"per step: {(GC.GetTotalAllocatedBytes() - allocated) / steps / 1024.0:F0} KiB allocated; over {steps} steps {GC.CollectionCount(0) - gen0} gen0 and {GC.CollectionCount(2) - gen2} gen2 collections"));
    }
}
