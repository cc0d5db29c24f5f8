namespace Nabla.NN;

/// <summary>
/// Packing and padding of variable-length sequences for the recurrent layers (<c>torch.nn.utils.rnn</c>).
/// Every function is made of differentiable ops (gathers and concatenations), so gradients flow back to the padded
/// input, and the padding positions get none.
/// </summary>
public static class RnnUtils
{
    /// <summary>
    /// Packs a padded batch <paramref name="padded"/> (T, B, *) (batch-first: (B, T, *)) whose sequence b has
    /// <paramref name="lengths"/>[b] steps (<c>pack_padded_sequence</c>). With <paramref name="enforceSorted"/> the lengths must
    /// be non-increasing; otherwise the batch is sorted here, longest first, and the permutation is kept in the result.
    /// </summary>
    /// <exception cref="ArgumentException">The lengths do not match the batch, a length is 0 or longer than T, or they are not sorted when required.</exception>
    public static PackedSequence PackPaddedSequence(Tensor padded, int[] lengths, bool batchFirst = false, bool enforceSorted = true)
    {
        ArgumentNullException.ThrowIfNull(padded);
        ArgumentNullException.ThrowIfNull(lengths);
        if (padded.Rank < 2)
            throw new ArgumentException($"PackPaddedSequence: the padded batch needs at least 2 dims ({(batchFirst ? "batch, seq" : "seq, batch")}, *), got shape {Shapes.Format(padded.shape)}.");
        var x = batchFirst ? padded.Transpose(0, 1) : padded; // (T, B, *)
        int steps = x.shape[0], batch = x.shape[1];
        if (lengths.Length != batch)
            throw new ArgumentException($"PackPaddedSequence: {lengths.Length} lengths for a batch of {batch} sequences (padded shape {Shapes.Format(padded.shape)}, batch_first={batchFirst}).", nameof(lengths));
        for (int b = 0; b < batch; b++)
        {
            if (lengths[b] <= 0)
                throw new ArgumentException($"PackPaddedSequence: sequence {b} has length {lengths[b]}; every sequence needs at least one step.", nameof(lengths));
            if (lengths[b] > steps)
                throw new ArgumentException($"PackPaddedSequence: sequence {b} has length {lengths[b]}, longer than the {steps} steps of the padded batch (shape {Shapes.Format(padded.shape)}).", nameof(lengths));
            if (enforceSorted && b > 0 && lengths[b] > lengths[b - 1])
                throw new ArgumentException($"PackPaddedSequence: lengths [{string.Join(", ", lengths)}] are not sorted longest first; sort them or pass enforceSorted: false.", nameof(lengths));
        }
        int[]? sorted = null;
        if (!enforceSorted)
        {
            sorted = new int[batch];
            for (int b = 0; b < batch; b++) sorted[b] = b;
            // A stable sort: equal lengths keep their batch order.
            sorted = [.. sorted.OrderByDescending(b => lengths[b])];
        }
        int maxLength = lengths.Max();
        var batchSizes = new int[maxLength];
        var rows = new List<float>();
        for (int t = 0; t < maxLength; t++)
        {
            for (int j = 0; j < batch; j++)
            {
                int b = sorted?[j] ?? j;
                if (lengths[b] <= t) break;
                rows.Add(t * batch + b);
                batchSizes[t]++;
            }
        }
        var flatShape = x.shape.ToArray();
        flatShape = [steps * batch, .. flatShape[2..]];
        var data = x.Reshape(flatShape).IndexSelect(0, Tensor.FromArray(rows.ToArray(), rows.Count));
        return new PackedSequence(data, batchSizes, sorted);
    }

    /// <summary>
    /// Pads a packed batch back to (T, B, *) (batch-first: (B, T, *)) with <paramref name="paddingValue"/> after each
    /// sequence's end (<c>pad_packed_sequence</c>), in the original batch order; T is the longest length, or
    /// <paramref name="totalLength"/>. Returns the padded batch and each sequence's length.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="totalLength"/> is shorter than the longest sequence.</exception>
    public static (Tensor Padded, int[] Lengths) PadPackedSequence(PackedSequence sequence, bool batchFirst = false, float paddingValue = 0,
                                                                   int? totalLength = null)
    {
        ArgumentNullException.ThrowIfNull(sequence);
        int maxLength = sequence.BatchSizes.Length, batch = sequence.BatchSize;
        int steps = totalLength ?? maxLength;
        if (steps < maxLength)
            throw new ArgumentException($"PadPackedSequence: total_length {steps} is shorter than the longest sequence, {maxLength} steps.", nameof(totalLength));
        var data = sequence.Data;
        int rows = data.shape[0];
        // One padding row after the data: every position past a sequence's end gathers it.
        int[] rowShape = [1, .. data.shape[1..]];
        var withPadding = Tensor.Cat([data, Tensor.Full(paddingValue, rowShape).To(data.DType)], 0);
        var index = new float[steps * batch];
        int offset = 0;
        for (int t = 0; t < steps; t++)
        {
            int bt = t < maxLength ? sequence.BatchSizes[t] : 0;
            for (int b = 0; b < batch; b++)
            {
                int position = sequence.UnsortedIndices?[b] ?? b;
                index[t * batch + b] = position < bt ? offset + position : rows;
            }
            offset += bt;
        }
        int[] outShape = [steps, batch, .. data.shape[1..]];
        var padded = withPadding.IndexSelect(0, Tensor.FromArray(index, index.Length)).Reshape(outShape);
        var sortedLengths = sequence.SortedLengths();
        var lengths = new int[batch];
        for (int b = 0; b < batch; b++) lengths[b] = sortedLengths[sequence.UnsortedIndices?[b] ?? b];
        return (batchFirst ? padded.Transpose(0, 1) : padded, lengths);
    }

    /// <summary>
    /// Stacks sequences (L_i, *) of different lengths into (T, B, *) (batch-first: (B, T, *)), T the longest, padding
    /// the shorter ones with <paramref name="paddingValue"/> (<c>pad_sequence</c>).
    /// </summary>
    /// <exception cref="ArgumentException">The list is empty, or the sequences' trailing dims differ.</exception>
    public static Tensor PadSequence(IReadOnlyList<Tensor> sequences, bool batchFirst = false, float paddingValue = 0)
    {
        ArgumentNullException.ThrowIfNull(sequences);
        if (sequences.Count == 0) throw new ArgumentException("PadSequence: the list of sequences is empty.", nameof(sequences));
        var first = sequences[0];
        int maxLength = 0;
        for (int i = 0; i < sequences.Count; i++)
        {
            var s = sequences[i];
            if (s.Rank == 0 || !Shapes.Equal(s.shape.AsSpan(1), first.shape.AsSpan(1)))
                throw new ArgumentException(
                    $"PadSequence: sequence {i} has shape {Shapes.Format(s.shape)}, but every sequence must be (length, {string.Join(", ", first.shape[1..])}) like sequence 0 ({Shapes.Format(first.shape)}).", nameof(sequences));
            maxLength = Math.Max(maxLength, s.shape[0]);
        }
        var padded = new Tensor[sequences.Count];
        for (int i = 0; i < sequences.Count; i++)
        {
            var s = sequences[i];
            int missing = maxLength - s.shape[0];
            int[] fillShape = [missing, .. s.shape[1..]];
            padded[i] = missing == 0 ? s : Tensor.Cat([s, Tensor.Full(paddingValue, fillShape).To(s.DType)], 0);
        }
        return Tensor.Stack(padded, batchFirst ? 0 : 1);
    }

    /// <summary>
    /// Packs sequences (L_i, *) of different lengths (<c>pack_sequence</c>): <see cref="PadSequence"/> then
    /// <see cref="PackPaddedSequence"/>. With <paramref name="enforceSorted"/> they must come longest first.
    /// </summary>
    /// <exception cref="ArgumentException">The list is empty, a sequence is empty, the trailing dims differ, or the order is wrong when enforced.</exception>
    public static PackedSequence PackSequence(IReadOnlyList<Tensor> sequences, bool enforceSorted = true)
    {
        var padded = PadSequence(sequences);
        var lengths = new int[sequences.Count];
        for (int i = 0; i < lengths.Length; i++) lengths[i] = sequences[i].shape[0];
        return PackPaddedSequence(padded, lengths, false, enforceSorted);
    }
}
