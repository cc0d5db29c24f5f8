using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Nabla.Kernels;
using Nabla.NN;
using Nabla.Optim;

namespace Nabla.Bench;

/// <summary>
/// <c>mlp-json [--threads N] [--batches B] [--repeats R]</c>: times the 784-256-128-10 ReLU MLP of the
/// fashion-mlp example on random data shaped like Fashion-MNIST, and prints JSON for bench/compare/mlp.py:
/// training samples per second (forward, cross entropy, backward and an SGD momentum step on batches of 64),
/// and inference microseconds per sample at batch 1 and batch 256 (evaluation mode, no gradients).
/// Each figure is the best of R timed runs after a warm-up run; with <c>--profile</c> it also prints,
/// to stderr, where one training step's time goes.
/// </summary>
internal static class MlpJson
{
    private const int BatchSize = 64, Inputs = 784, Classes = 10, DistinctBatches = 50;

    public static int Run(string[] args)
    {
        int threads = Environment.ProcessorCount, batches = 300, repeats = 3;
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
                    Console.Error.WriteLine($"mlp-json: unknown option '{args[i]}'. Options: --threads N, --batches B, --repeats R, --profile");
                    return 2;
            }
        }
        Threads.Count = threads;
        var g = new Generator(0);
        var model = new Sequential(
            new Linear(Inputs, 256, generator: g), new ReLU(),
            new Linear(256, 128, generator: g), new ReLU(),
            new Linear(128, Classes, generator: g));
        var optimizer = new SGD(model.Parameters(), lr: 0.01, momentum: 0.9);
        var lossFunction = new CrossEntropyLoss();

        // Pixels uniform in [0, 1) like the scaled images, labels uniform over the 10 classes.
        var xs = Enumerable.Range(0, DistinctBatches).Select(_ => Tensor.Rand([BatchSize, Inputs], g)).ToArray();  // (64, 784)
        var random = new Random(0);
        var ys = Enumerable.Range(0, DistinctBatches)
            .Select(_ => Tensor.FromArray(Enumerable.Range(0, BatchSize).Select(_ => (float)random.Next(Classes)).ToArray(), BatchSize))
            .ToArray(); // (64,) class indices

        double loss = 0;
        void Train()
        {
            model.Train();
            for (int b = 0; b < batches; b++)
            {
                var l = lossFunction.Forward(model.Forward(xs[b % DistinctBatches]), ys[b % DistinctBatches]);
                // Gradients zeroed in place, as PyTorch 1.13's zero_grad() does by default (set_to_none=False): the
                // buffers stay allocated and warm in cache, and Linear's backward adds into them.
                optimizer.ZeroGrad(setToNone: false);
                l.Backward();
                optimizer.Step();
                if (b == batches - 1) loss = l.ItemAsDouble();
            }
        }
        double trainSeconds = Timing.Best(repeats, Train);

        double InferenceMicroseconds(int batch, int calls)
        {
            var x = Tensor.Rand([batch, Inputs], g); // (batch, 784)
            model.Eval();
            double seconds = Timing.Best(repeats, () =>
            {
                using var _ = Tensor.NoGrad();
                for (int c = 0; c < calls; c++) model.Forward(x);
            });
            return seconds / ((double)calls * batch) * 1e6;
        }
        double batch1 = InferenceMicroseconds(1, 2000);
        double batch256 = InferenceMicroseconds(256, 40);

        if (profile) Profile(model, optimizer, lossFunction, xs[0], ys[0]);

        Console.WriteLine(JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["library"] = "Nabla",
            ["threads"] = threads,
            ["batches"] = batches,
            ["train_samples_per_second"] = batches * BatchSize / trainSeconds,
            ["infer_us_per_sample_batch1"] = batch1,
            ["infer_us_per_sample_batch256"] = batch256,
            ["final_loss"] = loss,
        }));
        return 0;
    }

    // Microseconds per training step spent in each phase, and in each layer's forward, averaged over 200 steps.
    private static void Profile(Sequential model, Optimizer optimizer, Loss lossFunction, Tensor x, Tensor y)
    {
        const int steps = 200;
        model.Train();
        var layers = model.ToArray();
        var forward = new double[layers.Length];
        double loss = 0, zero = 0, backward = 0, step = 0;
        var clock = new Stopwatch();
        int gen0 = GC.CollectionCount(0), gen2 = GC.CollectionCount(2);
        long allocated = GC.GetTotalAllocatedBytes();
        double Lap() { double us = clock.Elapsed.TotalMicroseconds; clock.Restart(); return us; }
        for (int s = 0; s < steps; s++)
        {
            clock.Restart();
            var h = x;
            for (int i = 0; i < layers.Length; i++) { h = layers[i].Forward(h); forward[i] += Lap(); }
            var l = lossFunction.Forward(h, y); loss += Lap();
            optimizer.ZeroGrad(setToNone: false); zero += Lap();
            l.Backward(); backward += Lap();
            optimizer.Step(); step += Lap();
        }
        Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"per step: {(GC.GetTotalAllocatedBytes() - allocated) / steps / 1024.0:F0} KiB allocated; over {steps} steps {GC.CollectionCount(0) - gen0} gen0 and {GC.CollectionCount(2) - gen2} gen2 collections"));

        // The GEMMs of the backward pass alone, on the same shapes, for comparison with the backward total.
        var dy0 = Tensor.Rand([x.Shape[0], 256]); // (B, 256): gradient at the first layer's output
        var dy1 = Tensor.Rand([x.Shape[0], 128]);
        var w1 = ((Linear)layers[2]).Weight.Detach(); // (128, 256)
        var h1 = Tensor.Rand([x.Shape[0], 256]);
        double Time(Func<Tensor> f) { f(); var c = Stopwatch.StartNew(); for (int s = 0; s < steps; s++) f(); return c.Elapsed.TotalMicroseconds / steps; }
        // The same product straight into a preallocated buffer: no allocation, A read transposed or not.
        var a = new float[256 * 64];
        var bm = new float[64 * 784];
        var cm = new float[256 * 784];
        double Kernel(bool transA)
        {
            void Call() => Gemm.Sgemm(transA, false, 256, 784, 64, 1f, a, transA ? 256 : 64, bm, 784, 0f, cm, 784);
            Call();
            var c = Stopwatch.StartNew();
            for (int s = 0; s < steps; s++) Call();
            return c.Elapsed.TotalMicroseconds / steps;
        }
        Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  Sgemm 256x784x64 into a buffer: A as is {Kernel(false),8:F1} us, A transposed {Kernel(true),8:F1} us"));
        using (Tensor.NoGrad())
        {
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  dW0 = dy0^T x  (256x784x64)  {Time(() => dy0.T.MatMul(x)),8:F1} us"));
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  dW1 = dy1^T h1 (128x256x64)  {Time(() => dy1.T.MatMul(h1)),8:F1} us"));
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  dh1 = dy1 W1   (64x256x128)  {Time(() => dy1.MatMul(w1)),8:F1} us"));
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  relu mask dy0 * h1 > 0       {Time(() => dy0 * h1.Gt(0f)),8:F1} us"));
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  db0 = sum(dy0, 0)            {Time(() => dy0.Sum(0)),8:F1} us"));
        }
        for (int i = 0; i < layers.Length; i++)
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"forward {i} {layers[i].GetType().Name,-8} {forward[i] / steps,8:F1} us"));
        Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"loss              {loss / steps,8:F1} us"));
        Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"zero_grad         {zero / steps,8:F1} us"));
        Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"backward          {backward / steps,8:F1} us"));
        Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"optimizer step    {step / steps,8:F1} us"));
    }
}
