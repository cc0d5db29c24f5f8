namespace Nabla.NN;

/// <summary>
/// A batch of sequences of different lengths stored without padding (<c>torch.nn.utils.rnn.PackedSequence</c>):
/// the rows of all sequences at step 0, then at step 1, and so on, longest sequence first, so that step t holds
/// <see cref="BatchSizes"/>[t] rows. Made by <see cref="RnnUtils.PackPaddedSequence"/> or <see cref="RnnUtils.PackSequence"/>;
/// the recurrent layers take it and return one, and <see cref="RnnUtils.PadPackedSequence"/> pads it back.
/// </summary>
public sealed class PackedSequence
{
    /// <summary>Wraps packed rows; <paramref name="batchSizes"/> must be positive and non-increasing and sum to the rows of <paramref name="data"/>.</summary>
    /// <param name="data">(sum of batch sizes, *): the packed rows.</param>
    /// <param name="batchSizes">The number of sequences still running at each step.</param>
    /// <param name="sortedIndices">For each packed position, the index of its sequence in the original batch; null when the batch was given sorted.</param>
    /// <param name="unsortedIndices">The inverse permutation: for each original sequence, its packed position; null with <paramref name="sortedIndices"/>.</param>
    /// <exception cref="ArgumentException">The batch sizes do not fit the data, or the permutations do not fit each other.</exception>
    public PackedSequence(Tensor data, int[] batchSizes, int[]? sortedIndices = null, int[]? unsortedIndices = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(batchSizes);
        long rows = 0;
        for (int t = 0; t < batchSizes.Length; t++)
        {
            if (batchSizes[t] <= 0 || (t > 0 && batchSizes[t] > batchSizes[t - 1]))
                throw new ArgumentException($"PackedSequence: batch sizes must be positive and non-increasing, got [{string.Join(", ", batchSizes)}].");
            rows += batchSizes[t];
        }
        if (data.Rank == 0 || data.Shape[0] != rows)
            throw new ArgumentException($"PackedSequence: data of shape {Shapes.Format(data.shape)} does not hold the {rows} rows the batch sizes [{string.Join(", ", batchSizes)}] add up to.");
        if (sortedIndices is not null && unsortedIndices is null) unsortedIndices = Invert(sortedIndices);
        if (sortedIndices is null && unsortedIndices is not null) sortedIndices = Invert(unsortedIndices);
        int batch = batchSizes.Length == 0 ? 0 : batchSizes[0];
        if (sortedIndices is not null && (sortedIndices.Length != batch || unsortedIndices!.Length != batch || !Inverse(sortedIndices, unsortedIndices)))
            throw new ArgumentException($"PackedSequence: sorted_indices and unsorted_indices must be inverse permutations of the {batch} sequences.");
        Data = data;
        BatchSizes = batchSizes;
        SortedIndices = sortedIndices;
        UnsortedIndices = unsortedIndices;
    }

    /// <summary>(sum of batch sizes, *): the rows of every sequence, step by step.</summary>
    public Tensor Data { get; }

    /// <summary>The number of sequences running at each step (non-increasing).</summary>
    public int[] BatchSizes { get; }

    /// <summary>For each packed position, its sequence's index in the original batch (null when given sorted).</summary>
    public int[]? SortedIndices { get; }

    /// <summary>For each sequence of the original batch, its packed position (null when given sorted).</summary>
    public int[]? UnsortedIndices { get; }

    /// <summary>The number of sequences.</summary>
    public int BatchSize => BatchSizes.Length == 0 ? 0 : BatchSizes[0];

    /// <summary>The same batch structure around new data (what a recurrent layer returns).</summary>
    public PackedSequence WithData(Tensor data) => new(data, BatchSizes, SortedIndices, UnsortedIndices);

    /// <summary>Each packed position's sequence length, longest first.</summary>
    internal int[] SortedLengths()
    {
        var lengths = new int[BatchSize];
        foreach (int bt in BatchSizes)
            for (int b = 0; b < bt; b++) lengths[b]++;
        return lengths;
    }

    private static int[] Invert(int[] permutation)
    {
        var inverse = new int[permutation.Length];
        for (int i = 0; i < permutation.Length; i++)
        {
            if ((uint)permutation[i] >= (uint)permutation.Length)
                throw new ArgumentException($"PackedSequence: index {permutation[i]} is not a position among {permutation.Length} sequences.");
            inverse[permutation[i]] = i;
        }
        return inverse;
    }

    private static bool Inverse(int[] a, int[] b)
    {
        for (int i = 0; i < a.Length; i++)
            if ((uint)a[i] >= (uint)b.Length || b[a[i]] != i) return false;
        return true;
    }
}
