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
///        [-> Conv2d 3x3 -> (N, g, 14, 14) -> BatchNorm2d, ReLU]      (GeneratorRefine)
///        -> ConvTranspose2d 4x4 stride 2 -> (N, 1, 28, 28) -> Tanh
///   D: (N, 1, 28, 28) -> Conv2d 4x4 stride 2 -> (N, d, 14, 14) -> LeakyReLU 0.2
///        -> Conv2d 4x4 stride 2 -> (N, 2d, 7, 7) -> BatchNorm2d, LeakyReLU 0.2 -> Linear -> (N, 1) logit
/// </code>
/// Strided convolutions instead of pooling, batch norm in both nets but not at G's output or D's input, ReLU in G and
/// LeakyReLU in D: the paper's recipe. The layers are <see cref="Sequential"/>s, so the weights carry PyTorch's names.
/// </summary>
/// <param name="LatentDim">Z, the size of the noise vector.</param>
/// <param name="GeneratorWidth">g, the channels of G's 14 x 14 maps (its 7 x 7 maps have twice as many). 64 by default: with the earlier
/// D (width 32) and without <paramref name="GeneratorRefine"/>, 20 epochs scored 56.3% of samples above 0.9 confidence,
/// where 32 scored 50.0% (with a cosine schedule; 5,000 samples, a 92.76% CNN), for about 20% more time per epoch.</param>
/// <param name="DiscriminatorWidth">d, the channels of D's 14 x 14 maps (its 7 x 7 maps have twice as many). 48 by default:
/// D kept up with G better than at 32 (D(x) 0.61 against 0.56 at the end), for about 15% more time per batch.</param>
/// <param name="GeneratorRefine">Whether G has a 3 x 3 convolution (stride 1, g channels, batch norm and ReLU) on its 14 x 14
/// maps between the two upsamplings: one more layer to shape the garments before the last upsampling draws the pixels.
/// On by default: after 8 epochs it scored 53.6% against 52.5% for G width 96 without it, at about the same time per
/// epoch (both with D width 48, D's learning rate 3e-4 and the average of G's weights).</param>
public sealed record DcganSpec(int LatentDim = 64, int GeneratorWidth = 64, int DiscriminatorWidth = 48, bool GeneratorRefine = true)
{
    /// <summary>Image channels, height and width: (1, 28, 28).</summary>
    public static readonly int[] ImageShape = [1, 28, 28];

    /// <summary>G, noise (N, Z) to images (N, 1, 28, 28) in [-1, 1].</summary>
    public Sequential BuildGenerator(Generator? init = null)
    {
        Check();
        int g = GeneratorWidth;
        var layers = new List<Module>
        {
            new Linear(LatentDim, 2 * g * 7 * 7, bias: false, generator: init), new Unflatten(1, 2 * g, 7, 7), new BatchNorm2d(2 * g), new ReLU(),
            new ConvTranspose2d(2 * g, g, 4, stride: 2, padding: 1, bias: false, generator: init), new BatchNorm2d(g), new ReLU(),
        };
        if (GeneratorRefine)
            layers.AddRange([new Conv2d(g, g, 3, padding: 1, bias: false, generator: init), new BatchNorm2d(g), new ReLU()]);
        layers.AddRange([new ConvTranspose2d(g, 1, 4, stride: 2, padding: 1, generator: init), new Tanh()]);
        return new Sequential(layers.ToArray());
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
/// <see cref="GanTrainer"/> (Adam with beta1 0.5 as in the DCGAN paper, 2e-4 for G and 3e-4 for D, on batches of 64);
/// samples come from a moving average of G's weights. Writes a grid of 64 samples from one fixed noise batch after every
/// epoch and at the end.
/// </summary>
public sealed class GanFashionExample : IExample
{
    /// <summary>Epochs of the default run.</summary>
    /// <remarks>The generator was still improving at 10 epochs (classifier confidence above 0.9: 41.7% at 10 epochs of
    /// batch 128, 47.8% at 10 of batch 64, each scored on 5,000 samples by a 92.7% CNN), so the default run is 20. With the
    /// default networks, one run scored 56.0% after 10 epochs, 57.9% after 15 and 59.7% after 20 (60.3% on 20,000 samples);
    /// after 21 it scored 59.2%: the score has levelled off by 20.</remarks>
    public const int DefaultEpochs = 20;

    /// <summary>Samples per batch.</summary>
    /// <remarks>64 rather than the paper's 128: twice the updates per epoch for a little more time per epoch (smaller
    /// matrix products), which scored 47.8% instead of 41.7% after 10 epochs (32 did no better than 64, at 47.5%).</remarks>
    public const int DefaultBatchSize = 64;

    /// <summary>Adam's learning rate for G.</summary>
    public const double DefaultLearningRate = 2e-4;

    /// <summary>D's learning rate over G's, unless given: 1.5, so 3e-4 against 2e-4.</summary>
    /// <remarks>A D that learns faster than G (the two time-scale rule of Heusel et al., 2017) kept up with G better: with D
    /// width 48, 57.4% of samples above 0.9 confidence after 20 epochs against 56.7% at 2e-4 for both.</remarks>
    public const double DiscriminatorLearningRateRatio = 1.5;

    /// <summary>The decay of the moving average of G's weights that samples are drawn from (<see cref="GanTrainer.GeneratorAverage"/>).</summary>
    /// <remarks>0.999 averages over about the last 1,000 steps, so the samples do not carry the noise of the last few
    /// updates; batch-norm statistics are averaged too, so the average needs no extra pass.</remarks>
    public const double DefaultGeneratorAverageDecay = 0.999;

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
    /// <param name="Generator">G as samples are drawn from it: the moving average of its weights, or the last step's when
    /// there is no average.</param>
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
    /// <param name="learningRate">Adam's learning rate for G; D's is <see cref="DiscriminatorLearningRateRatio"/> times it
    /// unless <paramref name="discriminatorLearningRate"/> is given.</param>
    /// <param name="folder">Where the sample grids go.</param>
    /// <param name="limit">Train on the first this many images only (0: all), for quick checks.</param>
    /// <param name="schedule">Makes a learning-rate schedule for each of the two optimizers (stepped after every epoch);
    /// null or a null result keeps the rate constant, as in the DCGAN paper.</param>
    /// <param name="discriminatorLearningRate">Adam's learning rate for D, if not the ratio's.</param>
    /// <param name="averageDecay">The decay of the average of G's weights that samples come from; 0 samples from G itself.</param>
    public static GanRun? Train(ExampleContext context, string directory, int epochs, DcganSpec spec, int batchSize, double learningRate,
                             string folder, int limit = 0, Func<Optimizer, LRScheduler?>? schedule = null,
                             double? discriminatorLearningRate = null, double averageDecay = DefaultGeneratorAverageDecay)
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
        var trainer = CreateTrainer(spec, g, d, learningRate, discriminatorLearningRate ?? DiscriminatorLearningRateRatio * learningRate,
                                    averageDecay, new Generator(context.Seed + 2));
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
        // What samples come from: the average of G's weights when there is one, which is what the grids showed.
        var sampler = (Sequential)trainer.SamplingGenerator;
        return new GanRun(spec, sampler, d, history, final, seconds);
    }

    /// <summary>
    /// The trainer of G and D: Adam with beta1 0.5 for each (the DCGAN paper's), and, unless <paramref name="averageDecay"/>
    /// is 0, a moving average of G's weights and batch-norm statistics that samples come from.
    /// </summary>
    public static GanTrainer CreateTrainer(DcganSpec spec, Sequential g, Sequential d, double generatorLearningRate,
                                           double discriminatorLearningRate, double averageDecay, Generator noise)
    {
        var trainer = new GanTrainer(g, d,
            new Adam(g.Parameters(), generatorLearningRate, betas: (0.5, 0.999)),
            new Adam(d.Parameters(), discriminatorLearningRate, betas: (0.5, 0.999)),
            [spec.LatentDim], noise);
        if (averageDecay > 0)
            trainer.GeneratorAverage = new AveragedModel(g, spec.BuildGenerator(), averageDecay, averageBuffers: true);
        return trainer;
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
