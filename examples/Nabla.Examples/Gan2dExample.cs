using System.Globalization;
using Nabla.Data;
using Nabla.NN;
using Nabla.Optim;
using Nabla.Training;
using Nabla.Viz;

namespace Nabla.Examples;

/// <summary>
/// The classic GAN test of mode coverage: real data drawn from eight Gaussians on a ring (radius 2, standard deviation
/// 0.02); two small MLPs, a generator from 2-D noise to points and a discriminator from points to a logit, trained
/// against each other. A generator that collapses onto a few modes still fools a discriminator that sees one batch
/// at a time, so the example counts how many of the eight modes the samples cover and draws real and generated points.
/// </summary>
public sealed class Gan2dExample : IExample
{
    /// <summary>Modes on the ring.</summary>
    public const int Modes = 8;

    /// <summary>The ring's radius.</summary>
    public const double Radius = 2.0;

    /// <summary>Each mode's standard deviation.</summary>
    public const double Std = 0.02;

    /// <summary>Size of the noise vector.</summary>
    public const int LatentDim = 2;

    /// <inheritdoc/>
    public string Name => "gan-2d";

    /// <inheritdoc/>
    public string Description => "An MLP GAN on a ring of 8 Gaussians: how many modes the generator covers; draws gan-2d.svg.";

    /// <inheritdoc/>
    public int Run(ExampleContext context)
    {
        var result = Train(context);
        return result.CoveredModes >= 7 ? 0 : 1;
    }

    /// <summary>What a run measured.</summary>
    /// <param name="CoveredModes">Modes that hold at least 1% of the generated samples within 3 standard deviations of their centre.</param>
    /// <param name="PerMode">Generated samples within 3 standard deviations of each mode.</param>
    /// <param name="HighQuality">Share of generated samples within 3 standard deviations of some mode.</param>
    /// <param name="History">The losses and D's outputs per epoch.</param>
    public sealed record Result(int CoveredModes, int[] PerMode, double HighQuality, GanHistory History);

    /// <summary>Trains for <paramref name="epochs"/> epochs of <paramref name="batches"/> batches of 256 points, then measures coverage on 2,500 samples.</summary>
    /// <param name="context">Output writer, output folder and seed.</param>
    /// <param name="epochs">Epochs; the learning rates fall to 0 along a cosine over them.</param>
    /// <param name="batches">Batches per epoch.</param>
    /// <param name="hidden">Width of both hidden layers of both networks.</param>
    public Result Train(ExampleContext context, int epochs = 30, int batches = 100, int hidden = 128)
    {
        var output = context.Out;
        int seed = context.Seed;
        Tensor.ManualSeed(seed);
        var init = new Generator(seed);

        // G: noise (N, 2) -> points (N, 2);  D: points (N, 2) -> logits (N, 1).
        const int B = 256;
        int H = hidden;
        var generator = new Sequential(
            new Linear(LatentDim, H, generator: init), new ReLU(),
            new Linear(H, H, generator: init), new ReLU(),
            new Linear(H, 2, generator: init));
        var discriminator = new Sequential(
            new Linear(2, H, generator: init), new LeakyReLU(0.2f),
            new Linear(H, H, generator: init), new LeakyReLU(0.2f),
            new Linear(H, 1, generator: init));
        // Adam with beta1 = 0.5, the DCGAN setting: less momentum keeps the two players from overshooting each other.
        var trainer = new GanTrainer(generator, discriminator,
            new Adam(generator.Parameters(), lr: 1e-3, betas: (0.5, 0.999)),
            new Adam(discriminator.Parameters(), lr: 1e-3, betas: (0.5, 0.999)),
            [LatentDim], new Generator(seed + 1));
        // The learning rates fall to 0 along a cosine: late small steps settle the samples onto the narrow modes
        // (without it, samples keep orbiting the modes and a late swing can drop some of them).
        trainer.Schedulers.Add(new CosineAnnealingLR(trainer.GeneratorOptimizer, tMax: epochs));
        trainer.Schedulers.Add(new CosineAnnealingLR(trainer.DiscriminatorOptimizer, tMax: epochs));
        trainer.Callbacks.Add(new GanProgressReporter(FashionMlpExample.ConsoleFor(output)));
        output.WriteLine($"G: {generator.ParameterCount():N0} parameters, D: {discriminator.ParameterCount():N0} parameters");

        var real = Ring(batches * B, new Generator(seed + 2));
        var data = new DataLoader(new TensorDataset(real, Tensor.Zeros(real.Shape[0])), B, shuffle: true, generator: new Generator(seed + 3));
        var history = trainer.Fit(data, epochs);

        var samples = trainer.Generate(trainer.SampleNoise(2500, new Generator(seed + 4)));
        var (perMode, highQuality) = Coverage(samples);
        int covered = perMode.Count(c => c >= samples.Shape[0] / 100);
        var ci = CultureInfo.InvariantCulture;
        output.WriteLine(string.Create(ci, $"Modes covered: {covered} of {Modes} (samples within 3 std of each mode: {string.Join(", ", perMode)})"));
        output.WriteLine(string.Create(ci, $"Samples within 3 std of some mode: {highQuality:P1}"));

        string path = context.OutputPath("gan-2d.svg");
        Draw(Ring(1000, new Generator(seed + 5)), samples, covered).Save(path);
        output.WriteLine($"Wrote {path}");
        return new Result(covered, perMode, highQuality, history);
    }

    /// <summary>Mode k's centre, (R cos 2 pi k / 8, R sin 2 pi k / 8).</summary>
    public static (double X, double Y) Centre(int k) =>
        (Radius * Math.Cos(2 * Math.PI * k / Modes), Radius * Math.Sin(2 * Math.PI * k / Modes));

    /// <summary><paramref name="count"/> points (count, 2), each from a mode picked uniformly, plus N(0, Std^2) noise.</summary>
    public static Tensor Ring(int count, Generator generator)
    {
        var modes = Tensor.RandInt(0, Modes, [count], generator).ToArray();
        var noise = Tensor.Randn([count, 2], generator).ToArray();
        var points = new float[count * 2];
        for (int i = 0; i < count; i++)
        {
            var (x, y) = Centre((int)modes[i]);
            points[2 * i] = (float)(x + Std * noise[2 * i]);
            points[2 * i + 1] = (float)(y + Std * noise[2 * i + 1]);
        }
        return Tensor.FromArray(points, count, 2);
    }

    /// <summary>For each mode, the samples within 3 standard deviations of its centre; and the share of such samples.</summary>
    public static (int[] PerMode, double HighQuality) Coverage(Tensor samples)
    {
        var values = samples.ToArray();
        int n = samples.Shape[0];
        var perMode = new int[Modes];
        int good = 0;
        for (int i = 0; i < n; i++)
        {
            for (int k = 0; k < Modes; k++)
            {
                var (cx, cy) = Centre(k);
                double dx = values[2 * i] - cx, dy = values[2 * i + 1] - cy;
                if (Math.Sqrt(dx * dx + dy * dy) <= 3 * Std)
                {
                    perMode[k]++;
                    good++;
                    break;
                }
            }
        }
        return (perMode, (double)good / n);
    }

    private static SvgWriter Draw(Tensor real, Tensor fake, int covered)
    {
        const double size = 480, margin = 30, extent = 3;
        double Px(double x) => margin + (x + extent) / (2 * extent) * (size - 2 * margin);
        double Py(double y) => size - margin - (y + extent) / (2 * extent) * (size - 2 * margin);
        var svg = new SvgWriter(size, size + 20).Rect(0, 0, size, size + 20, "white");
        svg.Rect(margin, margin, size - 2 * margin, size - 2 * margin, "none", stroke: "#bbb");
        var r = real.ToArray();
        for (int i = 0; i < real.Shape[0]; i++) svg.Circle(Px(r[2 * i]), Py(r[2 * i + 1]), 2, "#1f77b4");
        var f = fake.ToArray();
        for (int i = 0; i < fake.Shape[0]; i++) svg.Circle(Px(f[2 * i]), Py(f[2 * i + 1]), 1.5, "#ff7f0e");
        svg.Text(margin, size + 8, $"real (blue) and generated (orange) points; {covered} of {Modes} modes covered", 12);
        return svg;
    }
}
