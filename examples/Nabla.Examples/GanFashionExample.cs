using System.Diagnostics;
using System.Globalization;
using Nabla.Data;
using Nabla.NN;
using Nabla.Optim;
using Nabla.Training;

namespace Nabla.Examples;

/// <summary>
/// The shape of a DCGAN for 28 x 28 single-channel images (Radford et al., 2015, scaled to Fashion-MNIST):
/// <code>
///   G: z (N, Z) -> Linear -> (N, 2g*7*7) -> (N, 2g, 7, 7) -> BatchNorm2d, ReLU
///        -> ConvTranspose2d 4x4 stride 2 -> (N, g, 14, 14) -> BatchNorm2d, ReLU
///        -> ConvTranspose2d 4x4 stride 2 -> (N, 1, 28, 28) -> Tanh
///   D: (N, 1, 28, 28) -> Conv2d 4x4 stride 2 -> (N, d, 14, 14) -> LeakyReLU 0.2
///        -> Conv2d 4x4 stride 2 -> (N, 2d, 7, 7) -> BatchNorm2d, LeakyReLU 0.2 -> Linear -> (N, 1) logit
/// </code>
/// Strided convolutions instead of pooling, batch norm in both nets but not at G's output or D's input, ReLU in G and
/// LeakyReLU in D: the paper's recipe. The layers are <see cref="Sequential"/>s, so the weights carry PyTorch's names.
/// </summary>
/// <param name="LatentDim">Z, the size of the noise vector.</param>
/// <param name="GeneratorWidth">g, the channels of G's 14 x 14 maps (its 7 x 7 maps have twice as many). 64 by default: after 20
/// epochs it scored 56.3% of samples above 0.9 confidence, where 32 scored 50.0% (with a cosine schedule; 5,000 samples, a
/// 92.76% CNN), for about 20% more time per epoch.</param>
/// <param name="DiscriminatorWidth">d, the channels of D's 14 x 14 maps (its 7 x 7 maps have twice as many).</param>
public sealed record DcganSpec(int LatentDim = 64, int GeneratorWidth = 64, int DiscriminatorWidth = 32)
{
    /// <summary>Image channels, height and width: (1, 28, 28).</summary>
    public static readonly int[] ImageShape = [1, 28, 28];

    /// <summary>G, noise (N, Z) to images (N, 1, 28, 28) in [-1, 1].</summary>
    public Sequential BuildGenerator(Generator? init = null)
    {
        Check();
        int g = GeneratorWidth;
        return new Sequential(
            new Linear(LatentDim, 2 * g * 7 * 7, bias: false, generator: init), new Unflatten(1, 2 * g, 7, 7), new BatchNorm2d(2 * g), new ReLU(),
            new ConvTranspose2d(2 * g, g, 4, stride: 2, padding: 1, bias: false, generator: init), new BatchNorm2d(g), new ReLU(),
            new ConvTranspose2d(g, 1, 4, stride: 2, padding: 1, generator: init), new Tanh());
    }

    /// <summary>D, images (N, 1, 28, 28) to logits (N, 1).</summary>
    public Sequential BuildDiscriminator(Generator? init = null)
    {
        Check();
        int d = DiscriminatorWidth;
        return new Sequential(
            new Conv2d(1, d, 4, stride: 2, padding: 1, generator: init), new LeakyReLU(0.2f),
            new Conv2d(d, 2 * d, 4, stride: 2, padding: 1, bias: false, generator: init), new BatchNorm2d(2 * d), new LeakyReLU(0.2f),
            new Flatten(), new Linear(2 * d * 7 * 7, 1, generator: init));
    }

    private void Check()
    {
        if (LatentDim < 1 || GeneratorWidth < 1 || DiscriminatorWidth < 1)
            throw new ArgumentException($"DCGAN: sizes must be positive, got latent {LatentDim}, widths {GeneratorWidth} and {DiscriminatorWidth}.");
    }
}

/// <summary>
/// A DCGAN (<see cref="DcganSpec"/>) on Fashion-MNIST's 60,000 training images scaled to [-1, 1], trained with
/// <see cref="GanTrainer"/> (Adam 2e-4, beta1 0.5, as in the DCGAN paper, on batches of 64); writes a grid of 64 samples
/// from one fixed noise batch after every epoch and at the end.
/// </summary>
public sealed class GanFashionExample : IExample
{
    /// <summary>Epochs of the default run.</summary>
    /// <remarks>The generator was still improving at 10 epochs (classifier confidence above 0.9: 41.7% at 10 epochs of
    /// batch 128, 47.8% at 10 of batch 64, each scored on 5,000 samples by a 92.7% CNN), so the default run is 20. 30 epochs
    /// of the default networks scored 57.5% against 56.3% after 20, too little for half again the time.</remarks>
    public const int DefaultEpochs = 20;

    /// <summary>Samples per batch.</summary>
    /// <remarks>64 rather than the paper's 128: twice the updates per epoch for a little more time per epoch (smaller
    /// matrix products), which scored 47.8% instead of 41.7% after 10 epochs (32 did no better than 64, at 47.5%).</remarks>
    public const int DefaultBatchSize = 64;

    /// <summary>Adam's learning rate for both networks.</summary>
    public const double DefaultLearningRate = 2e-4;

    /// <inheritdoc/>
    public string Name => "gan-fashion";

    /// <inheritdoc/>
    public string Description => "A DCGAN on Fashion-MNIST (ConvTranspose2d generator, strided-conv discriminator); sample grids per epoch.";

    /// <inheritdoc/>
    public int Run(ExampleContext context)
    {
        var run = Train(context, FashionMnist.DefaultDirectory, DefaultEpochs, new DcganSpec(), DefaultBatchSize, DefaultLearningRate,
                        context.OutputPath("gan-fashion"));
        return run is null ? 1 : 0;
    }

    /// <summary>What a training run produced.</summary>
    /// <param name="Spec">The architecture.</param>
    /// <param name="Generator">G, trained.</param>
    /// <param name="Discriminator">D, trained.</param>
    /// <param name="History">Losses and D's outputs per epoch.</param>
    /// <param name="FinalGrid">The path of the last sample grid.</param>
    /// <param name="Seconds">Wall-clock time of the training.</param>
    public sealed record GanRun(DcganSpec Spec, Sequential Generator, Sequential Discriminator, GanHistory History, string FinalGrid, double Seconds);

    /// <summary>Trains the DCGAN and writes <c>epoch_NNN.png</c> grids and <c>samples.png</c> into <paramref name="folder"/>; null when the data is missing.</summary>
    /// <param name="context">Output writer and seed.</param>
    /// <param name="directory">The folder of the Fashion-MNIST files.</param>
    /// <param name="epochs">Passes over the 60,000 training images.</param>
    /// <param name="spec">The networks' sizes.</param>
    /// <param name="batchSize">Real images per batch (and as many generated).</param>
    /// <param name="learningRate">Adam's learning rate for both networks.</param>
    /// <param name="folder">Where the sample grids go.</param>
    /// <param name="limit">Train on the first this many images only (0: all), for quick checks.</param>
    /// <param name="schedule">Makes a learning-rate schedule for each of the two optimizers (stepped after every epoch);
    /// null or a null result keeps the rate constant, as in the DCGAN paper.</param>
    public static GanRun? Train(ExampleContext context, string directory, int epochs, DcganSpec spec, int batchSize, double learningRate,
                             string folder, int limit = 0, Func<Optimizer, LRScheduler?>? schedule = null)
    {
        var output = context.Out;
        if (!FashionMlpExample.IsInstalled(directory, output)) return null;
        Tensor.ManualSeed(context.Seed);
        var init = new Generator(context.Seed);

        // Pixels in [0, 1] mapped to [-1, 1], the range of G's Tanh output.
        var images = FashionMnist.Load(directory, train: true).Inputs;                          // (60000, 1, 28, 28)
        if (limit > 0) images = images.Slice(0, 0, Math.Min(limit, images.Shape[0])).Contiguous();
        images = images * 2f - 1f;
        var data = new DataLoader(new TensorDataset(images, Tensor.Zeros(images.Shape[0])), batchSize, shuffle: true, dropLast: true,
                                  generator: new Generator(context.Seed + 1));

        var g = spec.BuildGenerator(init);
        var d = spec.BuildDiscriminator(init);
        // DCGAN's initialization: weights from N(0, 0.02), batch-norm scales from N(1, 0.02).
        DcganInit(g, init);
        DcganInit(d, init);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{images.Shape[0]:N0} images, batch {batchSize}; G {g.ParameterCount():N0} parameters, D {d.ParameterCount():N0} parameters"));
        var trainer = new GanTrainer(g, d,
            new Adam(g.Parameters(), learningRate, betas: (0.5, 0.999)),
            new Adam(d.Parameters(), learningRate, betas: (0.5, 0.999)),
            [spec.LatentDim], new Generator(context.Seed + 2));
        foreach (var optimizer in new[] { trainer.GeneratorOptimizer, trainer.DiscriminatorOptimizer })
            if (schedule?.Invoke(optimizer) is { } scheduler) trainer.Schedulers.Add(scheduler);
        var fixedNoise = trainer.SampleNoise(64, new Generator(context.Seed + 3));
        var grids = GanSampleWriter.ImageGrids(fixedNoise, folder, columns: 8, scale: 2);
        trainer.Callbacks.Add(new GanProgressReporter(FashionMlpExample.ConsoleFor(output)));
        trainer.Callbacks.Add(grids);

        var clock = Stopwatch.StartNew();
        var history = trainer.Fit(data, epochs);
        double seconds = clock.Elapsed.TotalSeconds;
        string final = Path.Combine(folder, "samples.png");
        GanSampleWriter.SaveGrid(final, trainer.Generate(fixedNoise), columns: 8, scale: 2);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{history.Epochs.Count} epochs in {seconds:F0} s ({seconds / Math.Max(1, history.Epochs.Count):F1} s per epoch); wrote {grids.Files.Count} epoch grids and {final}"));
        return new GanRun(spec, g, d, history, final, seconds);
    }

    /// <summary>Conv and linear weights from N(0, 0.02) and biases 0; batch-norm scales from N(1, 0.02) and shifts 0.</summary>
    public static void DcganInit(Module model, Generator generator)
    {
        foreach (var m in model.Modules())
        {
            bool norm = m is BatchNorm2d;
            if (!norm && m is not (Conv2d or ConvTranspose2d or Linear)) continue;
            foreach (var (name, p) in m.NamedParameters())
            {
                if (name == "weight") Init.Normal(p, norm ? 1 : 0, 0.02, generator);
                else Init.Zeros(p);
            }
        }
    }
}
