namespace Nabla.Data;

// Splitting a data set into disjoint parts that together hold every sample exactly once.
public abstract partial class Dataset
{
    /// <summary>
    /// Splits <paramref name="dataset"/> into disjoint random subsets of the given sizes
    /// (<c>torch.utils.data.random_split</c> with lengths): one random permutation of the indices is cut
    /// into consecutive runs, so each subset's samples are in random order.
    /// </summary>
    /// <param name="dataset">The data set to split.</param>
    /// <param name="lengths">The size of each part; they must sum to <c>dataset.Count</c>.</param>
    /// <param name="generator">The source of randomness (default: <see cref="Generator.Default"/>); pass a seeded one for a reproducible split.</param>
    /// <exception cref="ArgumentException">A length is negative, or the lengths do not sum to the data set's size.</exception>
    public static Subset[] RandomSplit(Dataset dataset, int[] lengths, Generator? generator = null)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(lengths);
        long sum = 0;
        foreach (int length in lengths)
        {
            if (length < 0) throw new ArgumentException($"RandomSplit: lengths must be non-negative, but one is {length}.", nameof(lengths));
            sum += length;
        }
        if (sum != dataset.Count)
            throw new ArgumentException(
                $"RandomSplit: the lengths [{string.Join(", ", lengths)}] sum to {sum}, but the data set has {dataset.Count} samples.", nameof(lengths));

        var permutation = Sampling.Permutation(dataset.Count, generator ?? Generator.Default);
        var parts = new Subset[lengths.Length];
        int start = 0;
        for (int k = 0; k < lengths.Length; k++)
        {
            parts[k] = new Subset(dataset, permutation.AsSpan(start, lengths[k]).ToArray());
            start += lengths[k];
        }
        return parts;
    }

    /// <summary>
    /// Splits <paramref name="dataset"/> into disjoint random subsets holding the given fractions of it
    /// (<c>random_split</c> with fractions): part k gets floor(N · fractions[k]) samples, and the few left over
    /// go one each to the first parts, so <c>[0.8, 0.2]</c> of 569 samples gives 456 and 113.
    /// </summary>
    /// <param name="dataset">The data set to split.</param>
    /// <param name="fractions">The fraction for each part, each in [0, 1], summing to 1.</param>
    /// <param name="generator">The source of randomness (default: <see cref="Generator.Default"/>).</param>
    /// <exception cref="ArgumentException">The fractions do not sum to 1.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A fraction is outside [0, 1].</exception>
    public static Subset[] RandomSplit(Dataset dataset, double[] fractions, Generator? generator = null)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(fractions);
        return RandomSplit(dataset, Sampling.LengthsFromFractions(fractions, dataset.Count), generator);
    }

    /// <summary>
    /// Splits this data set in two: a validation part of ⌈N · <paramref name="validationFraction"/>⌉ samples
    /// (rounded up, as scikit-learn's <c>train_test_split</c>) and a training part with the rest. Each part
    /// lists its samples in ascending index order.
    /// </summary>
    /// <param name="validationFraction">The share of samples held out, in [0, 1].</param>
    /// <param name="seed">Seeds the random choice: the same seed gives the same split on every machine.</param>
    /// <param name="stratify">
    /// Keep each class's share the same in both parts (the targets must be one integer class label per
    /// sample): class c gets ⌊V · N_c / N⌋ validation samples, and the few left over go to the classes with
    /// the largest remainders, so the validation part still has exactly V samples.
    /// </param>
    /// <exception cref="ArgumentOutOfRangeException">The fraction is outside [0, 1].</exception>
    /// <exception cref="ArgumentException">Stratifying, and a target is not a single non-negative integer.</exception>
    public (Subset Train, Subset Validation) TrainValidationSplit(double validationFraction, long seed = 0, bool stratify = false)
    {
        var (train, validation) = SplitIndices(validationFraction, seed, stratify, "TrainValidationSplit", nameof(validationFraction));
        return (new Subset(this, train), new Subset(this, validation));
    }

    /// <summary>The indices of a two-way split: the second part holds ⌈N · fraction⌉ samples; both ascending.</summary>
    internal (int[] First, int[] Second) SplitIndices(double fraction, long seed, bool stratify, string op, string paramName)
    {
        int n = Count;
        int secondCount = Sampling.CeilCount(fraction, n, op, paramName);
        var generator = new Generator(seed);
        if (stratify)
            return Sampling.Stratified(ClassLabels(op), secondCount, generator);

        var permutation = Sampling.Permutation(n, generator);
        var second = permutation[..secondCount];
        var first = permutation[secondCount..];
        Array.Sort(first);
        Array.Sort(second);
        return (first, second);
    }

    /// <summary>
    /// The class label of every sample, read from the targets, which must hold one non-negative integer per
    /// sample (shape (N,) or (N, 1)).
    /// </summary>
    internal int[] ClassLabels(string op)
    {
        if (Count == 0) return [];
        var targets = GetBatch(AllIndices()).Target;
        if (targets.NumEl != Count)
            throw new ArgumentException(
                $"{op}: stratifying needs one class label per sample, but the targets of {Count} samples have shape {Shapes.Format(targets.shape)}.");
        var values = targets.ToDoubleArray();
        var labels = new int[values.Length];
        for (int i = 0; i < values.Length; i++)
        {
            double v = values[i];
            if (!(v >= 0 && v == Math.Floor(v) && v <= int.MaxValue))
                throw new ArgumentException($"{op}: stratifying needs integer class labels ≥ 0, but the target of sample {i} is {v}.");
            labels[i] = (int)v;
        }
        return labels;
    }
}
