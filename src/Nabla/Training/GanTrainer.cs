using System.Diagnostics;
using Nabla.NN;
using Nabla.Optim;

namespace Nabla.Training;

/// <summary>
/// Trains a generative adversarial network (Goodfellow et al., 2014): a generator G maps noise z to samples and a
/// discriminator D gives each sample a logit for "real". Each batch takes two steps, each with its own optimizer:
/// <code>
///   discriminator:  loss_D = BCE(D(x), real) + BCE(D(G(z).Detach()), fake)      only D's weights move
///   generator:      loss_G = BCE(D(G(z)), real)                                  only G's weights move
/// </code>
/// The generator's loss is the non-saturating one of the paper (maximize log D(G(z)) rather than minimize
/// log(1 - D(G(z))), which has no gradient early on when D rejects every sample with confidence). The fakes are
/// generated once per batch and detached for D's step, so D's loss does not backpropagate into G.
/// </summary>
/// <remarks>
/// During G's step D's parameters do not record gradients (as <c>requires_grad_(False)</c> in PyTorch): G's loss
/// still flows back through D's layers to G, but D's weight gradients, which nothing would use, are not computed.
/// </remarks>
public sealed class GanTrainer
{
    private readonly BCEWithLogitsLoss bce = new();

    /// <summary>Creates a trainer.</summary>
    /// <param name="generator">G: noise of shape (N, <paramref name="latentShape"/>...) to samples shaped like the real data.</param>
    /// <param name="discriminator">D: samples to one logit each, (N, 1) or (N,).</param>
    /// <param name="generatorOptimizer">The optimizer over G's parameters.</param>
    /// <param name="discriminatorOptimizer">The optimizer over D's parameters.</param>
    /// <param name="latentShape">The shape of one noise vector, e.g. [100] or [100, 1, 1].</param>
    /// <param name="noise">The random stream for the noise (default: a generator seeded with 0).</param>
    public GanTrainer(Module generator, Module discriminator, Optimizer generatorOptimizer, Optimizer discriminatorOptimizer,
                      int[] latentShape, Generator? noise = null)
    {
        ArgumentNullException.ThrowIfNull(latentShape);
        if (latentShape.Length == 0 || latentShape.Any(d => d < 1))
            throw new ArgumentException($"GanTrainer: latentShape must be non-empty and positive, got {Shapes.Format(latentShape)}.", nameof(latentShape));
        (Generator, Discriminator, GeneratorOptimizer, DiscriminatorOptimizer) = (generator, discriminator, generatorOptimizer, discriminatorOptimizer);
        LatentShape = (int[])latentShape.Clone();
        Noise = noise ?? new Generator(0);
    }

    /// <summary>G.</summary>
    public Module Generator { get; }

    /// <summary>D.</summary>
    public Module Discriminator { get; }

    /// <summary>The optimizer over G's parameters.</summary>
    public Optimizer GeneratorOptimizer { get; }

    /// <summary>The optimizer over D's parameters.</summary>
    public Optimizer DiscriminatorOptimizer { get; }

    /// <summary>The shape of one noise vector.</summary>
    public IReadOnlyList<int> LatentShape { get; }

    /// <summary>The random stream the training noise is drawn from.</summary>
    public Generator Noise { get; }

    /// <summary>
    /// The target for real samples in D's loss: 1, or a little less (0.9, one-sided label smoothing, Salimans et al.
    /// 2016) to keep D from growing overconfident. G's loss always aims at 1.
    /// </summary>
    public float RealLabel { get; set; } = 1f;

    /// <summary>
    /// An exponential moving average of G's weights, updated after every generator step when set (null: none).
    /// <see cref="Generate"/> and the sample grids then use the average rather than the last step's weights. Unless the
    /// average also averages the batch-norm buffers, give it statistics of its own before sampling:
    /// <c>AveragedModel.UpdateBatchNorm(noiseBatches, trainer.GeneratorAverage.Module)</c>.
    /// </summary>
    public AveragedModel? GeneratorAverage
    {
        get => average;
        set
        {
            if (value is not null && !ReferenceEquals(value.Source, Generator))
                throw new ArgumentException("GanTrainer.GeneratorAverage must average this trainer's generator.", nameof(value));
            average = value;
        }
    }

    private AveragedModel? average;

    /// <summary>Learning-rate schedules (one per optimizer, say), each stepped once at the end of every epoch.</summary>
    public IList<LRScheduler> Schedulers { get; } = new List<LRScheduler>();

    /// <summary>Called at the start and end of training, after each batch and each epoch.</summary>
    public IList<GanCallback> Callbacks { get; } = new List<GanCallback>();

    /// <summary>Set by a callback to stop after the current epoch.</summary>
    public bool StopTraining { get; set; }

    /// <summary>The figures of the last <see cref="Fit"/>.</summary>
    public GanHistory History { get; private set; } = new();

    /// <summary>Noise for <paramref name="count"/> samples, (count, latent...), drawn from <paramref name="generator"/> (default <see cref="Noise"/>).</summary>
    public Tensor SampleNoise(int count, Generator? generator = null) => Tensor.Randn([count, .. LatentShape], generator ?? Noise);

    /// <summary>The network samples come from: the average of G's weights when <see cref="GeneratorAverage"/> is set, else G.</summary>
    public Module SamplingGenerator => average?.Module ?? Generator;

    /// <summary>
    /// G(z) (or its average's, see <see cref="SamplingGenerator"/>) in evaluation mode and without recording a graph
    /// (batch norm uses its running statistics).
    /// </summary>
    public Tensor Generate(Tensor z)
    {
        var g = SamplingGenerator;
        bool wasTraining = g.IsTraining;
        g.Eval();
        try
        {
            using (Tensor.NoGrad()) return g.Forward(z);
        }
        finally
        {
            g.Train(wasTraining);
        }
    }

    /// <summary>
    /// Trains for <paramref name="epochs"/> passes over <paramref name="data"/>, whose inputs are the real samples
    /// (targets are ignored, so a classification <c>DataLoader</c> serves as is).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="epochs"/> is less than 1.</exception>
    public GanHistory Fit(IEnumerable<(Tensor Input, Tensor Target)> data, int epochs)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (epochs < 1) throw new ArgumentOutOfRangeException(nameof(epochs), $"GanTrainer.Fit: epochs must be at least 1, got {epochs}.");
        History = new GanHistory();
        StopTraining = false;
        int? batches = data switch
        {
            IReadOnlyCollection<(Tensor, Tensor)> c => c.Count,
            System.Collections.ICollection c => c.Count,
            _ => null,
        };
        foreach (var c in Callbacks) c.OnTrainBegin(this, epochs, batches);
        for (int epoch = 1; epoch <= epochs && !StopTraining; epoch++)
        {
            var (record, diverged) = TrainEpoch(data, epoch, epochs, batches);
            if (diverged is not null)
            {
                History.StopReason = diverged;
                break;
            }
            History.Add(record!);
            foreach (var s in Schedulers) s.Step();
            foreach (var c in Callbacks) c.OnEpochEnd(this, record!);
        }
        if (StopTraining && History.StopReason == "completed") History.StopReason = "stopped by a callback";
        foreach (var c in Callbacks) c.OnTrainEnd(this, History);
        return History;
    }

    private (GanEpochRecord? Record, string? Diverged) TrainEpoch(IEnumerable<(Tensor Input, Tensor Target)> data, int epoch, int epochs, int? batches)
    {
        Generator.Train();
        Discriminator.Train();
        double dSum = 0, gSum = 0, realSum = 0, fakeSum = 0;
        long samples = 0;
        int batch = 0;
        var clock = Stopwatch.StartNew();
        foreach (var (real, _) in data)
        {
            batch++;
            int n = real.Shape[0];
            var (dLoss, gLoss, realScore, fakeScore) = Step(real);
            if (!double.IsFinite(dLoss) || !double.IsFinite(gLoss))
                return (null, $"a loss became non-finite at epoch {epoch}, batch {batch} (D {dLoss}, G {gLoss}): training stopped " +
                              "(lower the learning rates, or check the data for NaN or infinite values)");
            dSum += dLoss * n;
            gSum += gLoss * n;
            realSum += realScore * n;
            fakeSum += fakeScore * n;
            samples += n;
            var progress = new GanBatchProgress(epoch, epochs, batch, batches, dSum / samples, gSum / samples, realSum / samples, fakeSum / samples,
                                                samples / Math.Max(clock.Elapsed.TotalSeconds, 1e-9), clock.Elapsed);
            foreach (var c in Callbacks) c.OnBatchEnd(this, progress);
        }
        if (samples == 0) throw new InvalidOperationException($"GanTrainer.Fit: the data yielded no batches in epoch {epoch}.");
        double seconds = clock.Elapsed.TotalSeconds;
        return (new GanEpochRecord
        {
            Epoch = epoch,
            DiscriminatorLoss = dSum / samples,
            GeneratorLoss = gSum / samples,
            RealScore = realSum / samples,
            FakeScore = fakeSum / samples,
            SamplesPerSecond = samples / Math.Max(seconds, 1e-9),
            Seconds = seconds,
        }, null);
    }

    /// <summary>One discriminator step and one generator step on a real batch; returns the losses and D's mean outputs.</summary>
    public (double DiscriminatorLoss, double GeneratorLoss, double RealScore, double FakeScore) Step(Tensor real)
    {
        ArgumentNullException.ThrowIfNull(real);
        int n = real.Shape[0];
        var fake = Generator.Forward(SampleNoise(n));

        // Discriminator: real against "real", the detached fakes against "fake".
        DiscriminatorOptimizer.ZeroGrad();
        var realLogits = Discriminator.Forward(real);
        var fakeLogits = Discriminator.Forward(fake.Detach());
        var dLoss = bce.Forward(realLogits, Tensor.Full(RealLabel, [.. realLogits.Shape]))
                  + bce.Forward(fakeLogits, Tensor.Zeros([.. fakeLogits.Shape]));
        dLoss.Backward();
        DiscriminatorOptimizer.Step();
        double realScore, fakeScore;
        using (Tensor.NoGrad())
        {
            realScore = realLogits.Sigmoid().Mean().ItemAsDouble();
            fakeScore = fakeLogits.Sigmoid().Mean().ItemAsDouble();
        }

        // Generator: the fakes through the updated D, against "real"; D's weights are held fixed.
        GeneratorOptimizer.ZeroGrad();
        var frozen = Discriminator.Parameters().ToList();
        foreach (var p in frozen) p.RequiresGrad = false;
        double gValue;
        try
        {
            var logits = Discriminator.Forward(fake);
            var gLoss = bce.Forward(logits, Tensor.Ones([.. logits.Shape]));
            gLoss.Backward();
            gValue = gLoss.ItemAsDouble();
        }
        finally
        {
            foreach (var p in frozen) p.RequiresGrad = true;
        }
        GeneratorOptimizer.Step();
        average?.Update();
        return (dLoss.ItemAsDouble(), gValue, realScore, fakeScore);
    }
}
