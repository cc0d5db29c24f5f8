using System.Collections;

namespace Nabla.Data;

/// <summary>
/// Cuts a data set into mini-batches, optionally in a new random order every epoch
/// (<c>torch.utils.data.DataLoader</c> with a <c>RandomSampler</c> or <c>SequentialSampler</c>):
/// <code>
/// var loader = new DataLoader(train, batchSize: 64, shuffle: true, generator: new Generator(0));
/// for (int epoch = 0; epoch &lt; 10; epoch++)
///     foreach (var (x, y) in loader) { ... }     // x: (B, ...), y: (B, ...)
/// </code>
/// </summary>
/// <remarks>
/// <para>Each enumeration is one epoch. With <c>shuffle</c>, the epoch's order is a fresh permutation drawn
/// from the generator when the enumeration starts, so consecutive epochs differ while the whole sequence of
/// epochs is fixed by the generator's seed (the same on every machine). Without <c>shuffle</c>, samples come
/// in index order.</para>
/// <para>A batch is one <see cref="Dataset.GetBatch"/> call on a slice of the epoch's index order, so a
/// <see cref="TensorDataset"/> costs one contiguous gather per batch: two new tensors, nothing else.
/// Batches are loaded on the calling thread (there are no worker processes).</para>
/// </remarks>
public sealed class DataLoader : IReadOnlyCollection<(Tensor Input, Tensor Target)>
{
    private readonly Generator generator;

    /// <summary>Creates a loader over <paramref name="dataset"/>.</summary>
    /// <param name="dataset">The samples.</param>
    /// <param name="batchSize">Samples per batch; the last batch of an epoch may be smaller unless <paramref name="dropLast"/>.</param>
    /// <param name="shuffle">Visit the samples in a new random order every epoch.</param>
    /// <param name="dropLast">Skip the last batch of an epoch when it is smaller than <paramref name="batchSize"/>.</param>
    /// <param name="generator">The source of the shuffles (default: <see cref="Generator.Default"/>, which <see cref="Tensor.ManualSeed"/> seeds).</param>
    /// <exception cref="ArgumentOutOfRangeException">The batch size is not positive.</exception>
    public DataLoader(Dataset dataset, int batchSize, bool shuffle = false, bool dropLast = false, Generator? generator = null)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        if (batchSize <= 0)
            throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, $"DataLoader: the batch size must be positive, but is {batchSize}.");
        Dataset = dataset;
        BatchSize = batchSize;
        Shuffle = shuffle;
        DropLast = dropLast;
        this.generator = generator ?? Generator.Default;
    }

    /// <summary>The data set the batches come from.</summary>
    public Dataset Dataset { get; }

    /// <summary>The number of samples per batch (the last may have fewer unless <see cref="DropLast"/>).</summary>
    public int BatchSize { get; }

    /// <summary>Whether each epoch visits the samples in a new random order.</summary>
    public bool Shuffle { get; }

    /// <summary>Whether an epoch's last, smaller batch is skipped.</summary>
    public bool DropLast { get; }

    /// <summary>The number of batches per epoch (<c>len(loader)</c>): ⌊N / B⌋ with <see cref="DropLast"/>, else ⌈N / B⌉.</summary>
    public int Count => BatchCount(Dataset.Count);

    private int BatchCount(int samples) => DropLast ? samples / BatchSize : (samples + BatchSize - 1) / BatchSize;

    /// <summary>Starts an epoch: draws its order (when shuffling) and yields its batches (input, target).</summary>
    public IEnumerator<(Tensor Input, Tensor Target)> GetEnumerator()
    {
        // The order is fixed at the start, so the size the epoch sees cannot change under it.
        int n = Dataset.Count;
        var order = Shuffle ? Sampling.Permutation(n, generator) : Dataset.AllIndices();
        return Batches(order, BatchCount(n));
    }

    private IEnumerator<(Tensor Input, Tensor Target)> Batches(int[] order, int batches)
    {
        for (int b = 0; b < batches; b++)
        {
            int start = b * BatchSize;
            yield return Dataset.GetBatch(order.AsSpan(start, Math.Min(BatchSize, order.Length - start)));
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
