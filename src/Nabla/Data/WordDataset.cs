namespace Nabla.Data;

/// <summary>
/// A padded batch of words for a character-level language model, batch first. Row b holds one word of n
/// characters as the input <c>&lt;s&gt; c1 ... cn</c> and the target <c>c1 ... cn &lt;/s&gt;</c> (so the target at
/// step t is the input at step t + 1), both padded with <see cref="CharVocabulary.PadIndex"/> up to the longest
/// word of the batch.
/// </summary>
/// <param name="Inputs">Token indices (B, T), stored as floats, T = the longest word's length + 1.</param>
/// <param name="Targets">Token indices (B, T), stored as floats; padding positions hold the pad index.</param>
/// <param name="Lengths">Each row's number of real steps: its word's length + 1.</param>
/// <param name="Words">The words, in row order.</param>
public sealed record WordBatch(Tensor Inputs, Tensor Targets, int[] Lengths, IReadOnlyList<string> Words)
{
    /// <summary>The number of predicted tokens (the characters and each word's end token): the sum of <see cref="Lengths"/>.</summary>
    public int TokenCount => Lengths.Sum();
}

/// <summary>
/// Words encoded with a <see cref="CharVocabulary"/>, served as padded batches with their lengths
/// (<see cref="WordBatch"/>). Every word is checked against the vocabulary once, when the data set is made.
/// </summary>
public sealed class WordDataset
{
    /// <summary>How many batches' worth of shuffled words are sorted by length together (see <see cref="Batches"/>).</summary>
    public const int BucketBatches = 16;

    private readonly int[][] encoded;

    /// <summary>Encodes <paramref name="words"/> with <paramref name="vocabulary"/>.</summary>
    /// <exception cref="ArgumentException">A word is empty or has a character outside the vocabulary (the message names the word).</exception>
    public WordDataset(IReadOnlyList<string> words, CharVocabulary vocabulary)
    {
        ArgumentNullException.ThrowIfNull(words);
        ArgumentNullException.ThrowIfNull(vocabulary);
        Words = words;
        Vocabulary = vocabulary;
        encoded = new int[words.Count][];
        for (int i = 0; i < words.Count; i++)
        {
            if (string.IsNullOrEmpty(words[i])) throw new ArgumentException($"WordDataset: word {i} is empty.", nameof(words));
            encoded[i] = vocabulary.Encode(words[i]);
        }
    }

    /// <summary>The words, in index order.</summary>
    public IReadOnlyList<string> Words { get; }

    /// <summary>The vocabulary the words are encoded with.</summary>
    public CharVocabulary Vocabulary { get; }

    /// <summary>The number of words.</summary>
    public int Count => encoded.Length;

    /// <summary>The number of tokens a model predicts over the whole data set: each word's characters and its end token.</summary>
    public long TokenCount => encoded.Sum(e => (long)e.Length + 1);

    /// <summary>The words at <paramref name="indices"/>, in that order, as one padded batch.</summary>
    /// <exception cref="ArgumentException">No index was given.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An index is out of range.</exception>
    public WordBatch GetBatch(ReadOnlySpan<int> indices)
    {
        if (indices.IsEmpty) throw new ArgumentException("WordDataset.GetBatch: expected at least one index.", nameof(indices));
        int steps = 0;
        foreach (int i in indices)
        {
            Dataset.CheckIndex(i, Count, nameof(indices));
            steps = Math.Max(steps, encoded[i].Length + 1);
        }
        int b = indices.Length;
        var inputs = new float[b * steps];   // (B, T), zero = pad
        var targets = new float[b * steps];  // (B, T)
        var lengths = new int[b];
        var words = new string[b];
        for (int row = 0; row < b; row++)
        {
            var ids = encoded[indices[row]];
            int at = row * steps;
            inputs[at] = CharVocabulary.StartIndex;
            for (int t = 0; t < ids.Length; t++)
            {
                inputs[at + t + 1] = ids[t];
                targets[at + t] = ids[t];
            }
            targets[at + ids.Length] = CharVocabulary.EndIndex;
            lengths[row] = ids.Length + 1;
            words[row] = Words[indices[row]];
        }
        return new WordBatch(Tensor.FromArray(inputs, b, steps), Tensor.FromArray(targets, b, steps), lengths, words);
    }

    /// <summary>
    /// One epoch of batches of up to <paramref name="batchSize"/> words. With a <paramref name="shuffle"/> generator the
    /// words come in a new random order each call, and each run of <see cref="BucketBatches"/> batches' worth is sorted
    /// by length before it is cut, and the batches then shuffled, so that a batch holds words of similar length and
    /// little of it is padding (the usual bucketing). Without one, the words come sorted by length (then by index):
    /// the least padding, for evaluation.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The batch size is less than 1.</exception>
    public IEnumerable<WordBatch> Batches(int batchSize, Generator? shuffle = null)
    {
        if (batchSize < 1)
            throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, $"WordDataset.Batches: the batch size must be at least 1, got {batchSize}.");
        return BatchesCore(batchSize, shuffle);
    }

    private IEnumerable<WordBatch> BatchesCore(int batchSize, Generator? shuffle)
    {
        var order = shuffle is null ? AllIndices() : Sampling.Permutation(Count, shuffle);
        int window = shuffle is null ? Count : batchSize * BucketBatches;
        for (int start = 0; start < order.Length; start += window)
        {
            var part = order.AsSpan(start, Math.Min(window, order.Length - start));
            // Stable: equal lengths keep their (shuffled or index) order.
            var sorted = part.ToArray().OrderBy(i => encoded[i].Length).ToArray();
            sorted.CopyTo(part);
        }
        var starts = new int[(order.Length + batchSize - 1) / batchSize];
        for (int k = 0; k < starts.Length; k++) starts[k] = k * batchSize;
        if (shuffle is not null) Sampling.Shuffle(starts, shuffle);
        foreach (int s in starts)
            yield return GetBatch(order.AsSpan(s, Math.Min(batchSize, order.Length - s)));
    }

    private int[] AllIndices()
    {
        var all = new int[Count];
        for (int i = 0; i < all.Length; i++) all[i] = i;
        return all;
    }
}
