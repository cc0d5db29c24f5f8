using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Nabla.Kernels;
using Nabla.NN;
using Nabla.Optim;

namespace Nabla.Bench;

/// <summary>
/// <c>lstm-json [--threads N] [--steps S] [--repeats R] [--input I] [--hidden H] [--seq T] [--batch B] [--profile]</c>:
/// times training steps of one LSTM layer (default input 32, hidden 128, sequence 50, batch 32, float32) and prints
/// JSON for bench/compare/lstm.py: steps per second, a step being the forward pass over the whole sequence, an MSE
/// loss against a fixed random target, the backward pass through time, and an SGD step. The figure is the best of R
/// timed runs of S steps after a warm-up run; with <c>--profile</c> it also prints, to stderr, the forward and
/// backward times of one step.
/// </summary>
internal static class LstmJson
{
    public static int Run(string[] args)
    {
        int threads = Environment.ProcessorCount, steps = 20, repeats = 3, input = 32, hidden = 128, seq = 50, batch = 32;
        bool profile = false;
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--threads": threads = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--steps": steps = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--repeats": repeats = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--input": input = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--hidden": hidden = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--seq": seq = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--batch": batch = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--profile": profile = true; break;
                default:
                    Console.Error.WriteLine($"lstm-json: unknown option '{args[i]}'. Options: --threads N, --steps S, --repeats R, --input I, --hidden H, --seq T, --batch B, --profile");
                    return 2;
            }
        }
        Threads.Count = threads;
        var g = new Generator(0);
        var lstm = new LSTM(input, hidden, generator: g);
        var optimizer = new SGD(lstm.Parameters(), lr: 0.01);
        var lossFunction = new MSELoss();
        var x = Tensor.Randn([seq, batch, input], g);        // (T, B, I)
        var target = Tensor.Randn([seq, batch, hidden], g);  // (T, B, H)

        double loss = 0;
        void Train()
        {
            for (int s = 0; s < steps; s++)
            {
                var l = lossFunction.Forward(lstm.Forward(x, null).Output, target);
                optimizer.ZeroGrad();
                l.Backward();
                optimizer.Step();
                if (s == steps - 1) loss = l.ItemAsDouble();
            }
        }
        double best = Timing.Best(repeats, Train);

        if (profile)
        {
            double forward = double.PositiveInfinity, backward = double.PositiveInfinity, layer = double.PositiveInfinity;
            int gen0 = GC.CollectionCount(0), gen1 = GC.CollectionCount(1), gen2 = GC.CollectionCount(2);
            for (int s = 0; s < 20; s++)
            {
                var clock = Stopwatch.StartNew();
                var y = lstm.Forward(x, null).Output;
                layer = Math.Min(layer, clock.Elapsed.TotalMilliseconds);
                var l = lossFunction.Forward(y, target);
                forward = Math.Min(forward, clock.Elapsed.TotalMilliseconds);
                optimizer.ZeroGrad();
                clock.Restart();
                l.Backward();
                backward = Math.Min(backward, clock.Elapsed.TotalMilliseconds);
            }
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"forward {layer:F2} ms, with the loss {forward:F2} ms, backward {backward:F2} ms (best of 20); collections over 20 steps: gen0 {GC.CollectionCount(0) - gen0}, gen1 {GC.CollectionCount(1) - gen1}, gen2 {GC.CollectionCount(2) - gen2}"));
            ProfileKernels(seq, batch, input, hidden);
            ProfileGemms(seq, batch, input, hidden);
        }

        Console.WriteLine(JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["library"] = "Nabla",
            ["threads"] = threads,
            ["steps"] = steps,
            ["steps_per_second"] = steps / best,
            ["final_loss"] = loss,
        }));
        return 0;
    }

    // The layer's kernels alone, on preallocated buffers: what the autograd and allocation around them cost is the rest.
    private static void ProfileKernels(int seq, int batch, int input, int hidden)
    {
        var p = new RnnProblem(RnnMode.Lstm, input, hidden, Enumerable.Repeat(batch, seq).ToArray(), false);
        var rnd = new Random(0);
        float[] R(int count) => Enumerable.Range(0, count).Select(_ => (float)(rnd.NextDouble() - 0.5) * 0.2f).ToArray();
        int gh = p.GateWidth, n = p.Rows;
        float[] x = R(n * input), wih = R(gh * input), whh = R(gh * hidden), bih = R(gh), bhh = R(gh), h0 = R(batch * hidden), c0 = R(batch * hidden);
        float[] y = new float[n * hidden], hN = new float[batch * hidden], cN = new float[batch * hidden];
        float[] dy = R(n * hidden), dx = new float[n * input], dh0 = new float[batch * hidden], dc0 = new float[batch * hidden];
        float[] dwih = new float[gh * input], dwhh = new float[gh * hidden], dbih = new float[gh], dbhh = new float[gh];
        var tape = new RnnTape<float>(p);
        double forward = double.PositiveInfinity, backward = double.PositiveInfinity, alloc = double.PositiveInfinity;
        for (int i = 0; i < 20; i++)
        {
            var clock = Stopwatch.StartNew();
            RnnKernels.Forward<float>(p, x, wih, whh, bih, bhh, h0, c0, y, hN, cN, tape);
            forward = Math.Min(forward, clock.Elapsed.TotalMilliseconds);
            clock.Restart();
            RnnKernels.Backward<float>(p, x, wih, whh, tape, dy, hN, cN, dx, dh0, dc0, dwih, dwhh, dbih, dbhh);
            backward = Math.Min(backward, clock.Elapsed.TotalMilliseconds);
            clock.Restart();
            new RnnTape<float>(p).Release();
            alloc = Math.Min(alloc, clock.Elapsed.TotalMilliseconds);
        }
        Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"kernels alone: forward {forward:F2} ms, backward {backward:F2} ms; renting and returning the tape {alloc:F2} ms"));
        // One step's elementwise work alone (batch rows of the first step), in microseconds.
        double cellForward = double.PositiveInfinity, cellBackward = double.PositiveInfinity;
        var g = tape.Gates.AsSpan(0, batch * gh).ToArray();
        var dg = new float[batch * gh];
        for (int i = 0; i < 200; i++)
        {
            var clock = Stopwatch.StartNew();
            RnnCellMath.LstmForward<float>(batch, hidden, g, cN, tape.CPrev, tape.TanhC, y);
            cellForward = Math.Min(cellForward, clock.Elapsed.TotalMicroseconds);
            clock.Restart();
            RnnCellMath.LstmBackward<float>(batch, hidden, g, tape.CPrev, tape.TanhC, dy, dh0, dc0, dg);
            cellBackward = Math.Min(cellBackward, clock.Elapsed.TotalMicroseconds);
            tape.Gates.AsSpan(0, batch * gh).CopyTo(g);
        }
        Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"one step's cell math: forward {cellForward:F1} us, backward {cellBackward:F1} us"));
    }

    // The GEMMs of one step and of the whole sequence, alone, in microseconds (best of 200 calls).
    private static void ProfileGemms(int seq, int batch, int input, int hidden)
    {
        int gh = 4 * hidden, n = seq * batch;
        var a = new float[Math.Max(n, gh) * Math.Max(gh, input + 16)];
        var b = new float[Math.Max(n, gh) * (gh + 16)];
        var c = new float[Math.Max(n, gh) * (gh + 16)];
        void Time(string what, bool ta, bool tb, int m, int nn, int k, int lda, int ldb)
        {
            double best = double.PositiveInfinity;
            for (int i = 0; i < 200; i++)
            {
                var clock = Stopwatch.StartNew();
                Gemm.Sgemm(ta, tb, m, nn, k, 1f, a, lda, b, ldb, 1f, c, nn);
                best = Math.Min(best, clock.Elapsed.TotalMicroseconds);
            }
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {what,-44} {best,8:F1} us  {2.0 * m * nn * k / best / 1e3,6:F1} GFLOP/s"));
        }
        Time("step: h W_hh^T (W_hh transposed)", false, true, batch, gh, hidden, hidden, hidden);
        Time("step: h W_hh^T (W_hh^T copy, ld G H)", false, false, batch, gh, hidden, hidden, gh);
        Time("step: h W_hh^T (W_hh^T copy, ld G H + 16)", false, false, batch, gh, hidden, hidden, gh + 16);
        Time("step back: dG W_hh", false, false, batch, hidden, gh, gh, hidden);
        Time("x W_ih^T", false, true, n, gh, input, input, input);
        Time("dW_hh = dG^T h", true, false, gh, hidden, n, gh, hidden);
        Time("dW_hh^T = h^T dG", true, false, hidden, gh, n, hidden, gh);
        Time("dW_ih = dG^T x", true, false, gh, input, n, gh, input);
        Time("dW_ih^T = x^T dG", true, false, input, gh, n, input, gh);
        Time("dx = dG W_ih", false, false, n, input, gh, gh, input);
    }
}
