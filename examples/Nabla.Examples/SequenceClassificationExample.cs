using System.Globalization;
using Nabla.Examples.Sequences;
using Nabla.NN;
using Nabla.Optim;
using Nabla.Viz;

namespace Nabla.Examples;

/// <summary>
/// Parity of bit strings of 1 to 20 bits, learned by a GRU from variable-length batches (each string's output taken at
/// its own last step), and tested on new strings of 1 to 20 bits and on longer ones (21 to 30 bits) than it ever saw;
/// a bag-of-tokens model (mean of embeddings, then an MLP) trained on the same batches stays near chance.
/// </summary>
/// <remarks>
/// Parity needs one bit of memory carried along the whole string, and flipping any bit flips the answer, so the mean
/// of the tokens says almost nothing (only the all-zero strings are certain). The GRU learns a flip-flop: its state
/// switches between two points at every 1 bit and stays at every 0 bit, which works at any length, so it is right on
/// strings longer than any it was trained on too. Training starts with short strings and lets them grow (a curriculum):
/// on long strings from the start the gradient says almost nothing until the short cases are solved.
/// </remarks>
public sealed class SequenceClassificationExample : IExample
{
    /// <summary>The longest training string.</summary>
    public const int TrainLength = 20;

    /// <summary>The longest test string.</summary>
    public const int TestLength = 30;

    /// <inheritdoc/>
    public string Name => "sequence-classification";

    /// <inheritdoc/>
    public string Description => "Parity of bit strings (1-20 bits) with a GRU, tested up to 30 bits; a bag-of-tokens MLP stays near chance.";

    /// <inheritdoc/>
    public int Run(ExampleContext context)
    {
        var output = context.Out;
        var (rnn, bag) = Train(context.Seed, DefaultSteps, output);
        output.WriteLine();
        output.WriteLine($"held-out accuracy           lengths 1-{TrainLength}   lengths {TrainLength + 1}-{TestLength} (never seen)");
        foreach (var (name, r) in new[] { ("GRU", rnn), ("bag of tokens (mean + MLP)", bag) })
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name,-27} {100 * r.Seen,9:F2}%   {100 * r.Longer,9:F2}%"));
        string plot = context.OutputPath("sequence-classification.svg");
        SavePlot(plot, rnn, bag);
        output.WriteLine($"Accuracy by length: {plot}");
        return rnn.Seen >= 0.99 && rnn.Longer >= 0.99 ? 0 : 1;
    }

    /// <summary>The training steps of the example.</summary>
    public const int DefaultSteps = 1500;

    /// <summary>Held-out accuracy of one model: over lengths 1 to <see cref="TrainLength"/>, over the longer ones, and at each length (index = length).</summary>
    public sealed record Accuracy(double Seen, double Longer, double[] ByLength);

    /// <summary>Trains the GRU and the bag-of-tokens model on the same batches for <paramref name="steps"/> steps and measures both.</summary>
    public static (Accuracy Rnn, Accuracy Bag) Train(int seed, int steps, TextWriter log)
    {
        ArgumentNullException.ThrowIfNull(log);
        var rnn = new RecurrentClassifier(ParityData.TokenCount, embeddingDim: 8, hiddenSize: 32, classes: 2, new Generator(seed));
        var bag = new BagOfTokensClassifier(ParityData.TokenCount, embeddingDim: 16, hiddenSize: 64, classes: 2, new Generator(seed));
        var models = new ISequenceClassifier[] { rnn, bag };
        var optimizers = models.Select(m => new Adam(m.Module.Parameters(), lr: 3e-3)).ToArray();
        var lossFunction = new CrossEntropyLoss();
        var data = new Generator(seed + 1);
        var losses = new double[2];
        for (int step = 1; step <= steps; step++)
        {
            var batch = ParityData.Generate(64, 1, CurriculumLength(step, steps), data);
            for (int m = 0; m < models.Length; m++)
            {
                var loss = lossFunction.Forward(models[m].Forward(batch.Tokens, batch.Lengths), batch.Labels);
                optimizers[m].ZeroGrad();
                loss.Backward();
                GradClip.ClipGradNorm(models[m].Module.Parameters(), 1.0);
                optimizers[m].Step();
                losses[m] = 0.9 * losses[m] + 0.1 * loss.ItemAsDouble();
            }
            if (step % 250 == 0 || step == steps)
                log.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"step {step,5}: strings up to {CurriculumLength(step, steps),2} bits, loss GRU {losses[0]:F4}, bag of tokens {losses[1]:F4}"));
        }
        var test = new Generator(seed + 2);
        return (Measure(rnn, test), Measure(bag, test));
    }

    /// <summary>The longest string at <paramref name="step"/>: from 2 bits, growing to <see cref="TrainLength"/> by the middle of training.</summary>
    public static int CurriculumLength(int step, int steps) => Math.Clamp(2 + (int)((TrainLength - 1) * 2.0 * step / steps), 2, TrainLength);

    /// <summary>Accuracy on 200 new strings of each length from 1 to <see cref="TestLength"/>.</summary>
    public static Accuracy Measure(ISequenceClassifier model, Generator generator, int perLength = 200)
    {
        ArgumentNullException.ThrowIfNull(model);
        var byLength = new double[TestLength + 1];
        byLength[0] = double.NaN;
        model.Module.Eval();
        using (Tensor.NoGrad())
        {
            for (int n = 1; n <= TestLength; n++)
            {
                var batch = ParityData.Generate(perLength, n, n, generator);
                var predicted = model.Forward(batch.Tokens, batch.Lengths).ArgMax(1).ToArray();
                var labels = batch.Labels.ToArray();
                byLength[n] = predicted.Zip(labels).Count(p => p.First == p.Second) / (double)perLength;
            }
        }
        model.Module.Train();
        return new Accuracy(byLength[1..(TrainLength + 1)].Average(), byLength[(TrainLength + 1)..].Average(), byLength);
    }

    private static void SavePlot(string path, Accuracy rnn, Accuracy bag)
    {
        var svg = new SvgWriter(640, 400);
        svg.Rect(0, 0, 640, 400, fill: "#fafafa");
        List<(double, double)> Points(Accuracy a) => Enumerable.Range(1, TestLength).Select(n => ((double)n, a.ByLength[n])).ToList();
        LineChart.Draw(svg, 0, 0, 640, 400, "Parity: held-out accuracy by string length", "bits",
        [
            new ChartSeries("GRU", Points(rnn), "#1f77b4"),
            new ChartSeries("bag of tokens", Points(bag), "#d62728", Dashed: true),
        ], [(TrainLength, "#2a7", "longest trained")]);
        File.WriteAllText(path, svg.ToString());
    }
}
