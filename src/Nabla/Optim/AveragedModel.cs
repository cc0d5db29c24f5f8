using Nabla.NN;

namespace Nabla.Optim;

/// <summary>
/// An exponential moving average of a model's weights, kept in a second instance of the same architecture
/// (PyTorch's <c>torch.optim.swa_utils.AveragedModel</c> with <c>get_ema_multi_avg_fn(decay)</c>). After each
/// optimizer step, <see cref="Update"/> moves every averaged weight a little towards the trained one:
/// <code>
///   average = decay * average + (1 - decay) * weight
/// </code>
/// The average of the last few thousand steps is smoother than any single step's weights: for a GAN's generator it
/// damps the oscillation of the adversarial game and gives visibly cleaner samples (Yazıcı et al., 2019, "The
/// unusual effectiveness of averaging in GAN training"; used by ProGAN, StyleGAN and BigGAN).
/// </summary>
/// <remarks>
/// Batch-norm statistics are not weights: with <c>averageBuffers</c> false (PyTorch's default,
/// <c>use_buffers=False</c>) the running means and variances of <see cref="Module"/> are left as they were copied at
/// construction, and <see cref="UpdateBatchNorm"/> recomputes them for the averaged weights before use (PyTorch's
/// <c>update_bn</c>). With <c>averageBuffers</c> true they are averaged like the weights (<c>use_buffers=True</c>).
/// The batch counters (<c>num_batches_tracked</c>) are copied, not averaged.
/// </remarks>
public sealed class AveragedModel
{
    private readonly (Tensor Average, Tensor Source)[] averaged;
    private readonly (Tensor Average, Tensor Source)[] copied;

    /// <summary>Starts the average at <paramref name="model"/>'s current state, held in <paramref name="copy"/>.</summary>
    /// <param name="model">The model being trained.</param>
    /// <param name="copy">A second instance of the same architecture (its state is overwritten), which holds the average.</param>
    /// <param name="decay">The weight of the old average at each update, in [0, 1): 0.999 averages over about the last 1,000 steps.</param>
    /// <param name="averageBuffers">Whether batch-norm running statistics are averaged too (else they keep their copied values).</param>
    /// <exception cref="ArgumentException">The two models do not have the same parameters and buffers, or the decay is out of range.</exception>
    public AveragedModel(Module model, Module copy, double decay = 0.999, bool averageBuffers = false)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(copy);
        if (ReferenceEquals(model, copy))
            throw new ArgumentException("AveragedModel: the copy must be a second instance of the architecture, not the model itself.", nameof(copy));
        if (!(decay >= 0 && decay < 1))
            throw new ArgumentOutOfRangeException(nameof(decay), decay, "AveragedModel: the decay must be in [0, 1).");
        copy.LoadStateDict(model.StateDict()); // checks that every name and shape matches
        Source = model;
        Module = copy;
        Decay = decay;
        var own = copy.StateDict().ToDictionary(kv => kv.Key, kv => kv.Value);
        var buffers = model.NamedBuffers().Select(b => b.Name).ToHashSet();
        var average = new List<(Tensor, Tensor)>();
        var copies = new List<(Tensor, Tensor)>();
        foreach (var (name, tensor) in model.StateDict())
        {
            bool isBuffer = buffers.Contains(name);
            bool isCount = name == "num_batches_tracked" || name.EndsWith(".num_batches_tracked", StringComparison.Ordinal);
            if (!isBuffer || (averageBuffers && !isCount)) average.Add((own[name], tensor));
            else if (averageBuffers) copies.Add((own[name], tensor));
        }
        averaged = [.. average];
        copied = [.. copies];
        Module.Train(model.IsTraining);
    }

    /// <summary>The averaged model: use it to evaluate or sample (in evaluation mode).</summary>
    public Module Module { get; }

    /// <summary>The weight of the old average at each update.</summary>
    public double Decay { get; }

    /// <summary>How many times <see cref="Update"/> has run.</summary>
    public long Updates { get; private set; }

    /// <summary>Moves the average towards the model's current weights: <c>average = decay * average + (1 - decay) * weight</c>.</summary>
    public void Update()
    {
        using var _ = Tensor.NoGrad();
        float keep = (float)Decay, take = (float)(1 - Decay);
        foreach (var (average, weight) in averaged)
            average.MulInPlace(keep).AddInPlace(weight, take);
        foreach (var (average, value) in copied)
            average.CopyInPlace(value);
        Updates++;
    }

    /// <summary>The model the average follows.</summary>
    public Module Source { get; }

    /// <summary>
    /// Recomputes the running mean and variance of every batch-norm layer of <paramref name="model"/> as the plain
    /// average over <paramref name="inputs"/> (PyTorch's <c>torch.optim.swa_utils.update_bn</c>): the statistics a
    /// model's training batches left behind belong to earlier weights, not to an average of them. Restores the layers'
    /// momentum and the model's mode afterwards; does nothing for a model without batch norm.
    /// </summary>
    /// <param name="inputs">Batches to run through the model in training mode (for a generator: noise).</param>
    /// <param name="model">The model, typically <see cref="Module"/>.</param>
    /// <exception cref="ArgumentException"><paramref name="inputs"/> is empty while the model has batch norm.</exception>
    public static void UpdateBatchNorm(IEnumerable<Tensor> inputs, Module model)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(model);
        var norms = model.Modules().OfType<BatchNormBase>().Where(b => b.TrackRunningStats).ToList();
        if (norms.Count == 0) return;
        var momenta = norms.Select(b => b.Momentum).ToList();
        // The statistics as they were, put back if the batches fail (an empty sequence, a wrong shape).
        var saved = norms.Select(b => (b.RunningMean!.Clone(), b.RunningVar!.Clone(), b.NumBatchesTracked!.Clone())).ToList();
        bool wasTraining = model.IsTraining;
        using var _ = Tensor.NoGrad();
        bool done = false;
        try
        {
            foreach (var b in norms)
            {
                b.RunningMean!.ZeroInPlace();
                b.RunningVar!.FillInPlace(1);
                b.NumBatchesTracked!.ZeroInPlace();
                b.Momentum = null; // a cumulative average over the batches below
            }
            model.Train();
            int batches = 0;
            foreach (var input in inputs)
            {
                model.Forward(input);
                batches++;
            }
            if (batches == 0)
                throw new ArgumentException("UpdateBatchNorm: no input batches were given to recompute the batch-norm statistics from.", nameof(inputs));
            done = true;
        }
        finally
        {
            for (int i = 0; i < norms.Count; i++)
            {
                norms[i].Momentum = momenta[i];
                if (!done)
                {
                    norms[i].RunningMean!.CopyInPlace(saved[i].Item1);
                    norms[i].RunningVar!.CopyInPlace(saved[i].Item2);
                    norms[i].NumBatchesTracked!.CopyInPlace(saved[i].Item3);
                }
            }
            model.Train(wasTraining);
        }
    }
}
