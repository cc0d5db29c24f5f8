namespace Nabla.Data;

/// <summary>
/// The random choices behind shuffling and splitting, all drawn from a <see cref="Generator"/> so that a
/// seed gives the same order on every machine and runtime (System.Random's algorithm is not guaranteed to).
/// </summary>
internal static class Sampling
{
    /// <summary>A uniformly random permutation of 0..n-1 (Fisher–Yates, drawing n - 1 numbers).</summary>
    public static int[] Permutation(int n, Generator generator)
    {
        var p = new int[n];
        for (int i = 0; i < n; i++) p[i] = i;
        Shuffle(p, generator);
        return p;
    }

    /// <summary>Shuffles <paramref name="values"/> in place (Fisher–Yates, from the end).</summary>
    public static void Shuffle(Span<int> values, Generator generator)
    {
        for (int i = values.Length - 1; i > 0; i--)
        {
            int j = (int)generator.NextInt64(0, i + 1);
            (values[i], values[j]) = (values[j], values[i]);
        }
    }

    /// <summary>
    /// The number of samples a fraction of <paramref name="n"/> stands for, rounded up as scikit-learn's
    /// <c>train_test_split</c> does for the test part (0.2 of 569 is 114).
    /// </summary>
    public static int CeilCount(double fraction, int n, string op, string paramName)
    {
        if (!(fraction >= 0 && fraction <= 1))
            throw new ArgumentOutOfRangeException(paramName, fraction, $"{op}: the fraction must be between 0 and 1, but is {fraction}.");
        // The 1e-9 absorbs representation error: 0.1 * 30 is 3.0000000000000004, which must give 3, not 4.
        return (int)Math.Ceiling(fraction * n - 1e-9);
    }

    /// <summary>
    /// Split sizes from fractions summing to 1, as PyTorch's <c>random_split</c>: each part gets
    /// floor(n · fraction), and the samples left over go one each to the parts in order, round-robin.
    /// </summary>
    public static int[] LengthsFromFractions(IReadOnlyList<double> fractions, int n)
    {
        double sum = 0;
        foreach (double f in fractions)
        {
            if (!(f >= 0 && f <= 1))
                throw new ArgumentOutOfRangeException(nameof(fractions), f, $"RandomSplit: every fraction must be between 0 and 1, but one is {f}.");
            sum += f;
        }
        if (Math.Abs(sum - 1) > 1e-9)
            throw new ArgumentException($"RandomSplit: the fractions must sum to 1, but sum to {sum}.", nameof(fractions));
        var lengths = new int[fractions.Count];
        int assigned = 0;
        for (int k = 0; k < lengths.Length; k++)
        {
            lengths[k] = (int)Math.Floor(n * fractions[k]);
            assigned += lengths[k];
        }
        for (int r = 0; r < n - assigned; r++) lengths[r % lengths.Length]++;
        return lengths;
    }

    /// <summary>
    /// Splits the samples, whose class labels are <paramref name="labels"/>, into two parts so that the second
    /// holds <paramref name="secondCount"/> samples and every class is split in (nearly) the same proportion.
    /// </summary>
    /// <remarks>
    /// Class c, with n_c samples, gives floor(secondCount · n_c / n) to the second part; the samples still
    /// missing go one each to the classes with the largest remainders (ties to the smaller label), so the
    /// total is exact. Which samples go is random: each class's indices are shuffled, in label order.
    /// Both parts come back in ascending index order.
    /// </remarks>
    public static (int[] First, int[] Second) Stratified(ReadOnlySpan<int> labels, int secondCount, Generator generator)
    {
        int n = labels.Length;
        var byClass = new SortedDictionary<int, List<int>>();
        for (int i = 0; i < n; i++)
        {
            if (!byClass.TryGetValue(labels[i], out var members)) byClass[labels[i]] = members = [];
            members.Add(i);
        }
        var classes = byClass.Values.ToArray();

        // Largest-remainder apportionment in integers, so that no rounding can make the total drift.
        var take = new int[classes.Length];
        var remainders = new long[classes.Length];
        int given = 0;
        for (int c = 0; c < classes.Length; c++)
        {
            long share = (long)secondCount * classes[c].Count;
            take[c] = (int)(share / n);
            remainders[c] = share % n;
            given += take[c];
        }
        var order = Enumerable.Range(0, classes.Length).OrderByDescending(c => remainders[c]).ThenBy(c => c).ToArray();
        for (int k = 0; k < secondCount - given; k++) take[order[k]]++;

        var first = new List<int>(n - secondCount);
        var second = new List<int>(secondCount);
        for (int c = 0; c < classes.Length; c++)
        {
            var members = classes[c].ToArray();
            Shuffle(members, generator);
            second.AddRange(members.AsSpan(0, take[c]));
            first.AddRange(members.AsSpan(take[c]));
        }
        first.Sort();
        second.Sort();
        return ([.. first], [.. second]);
    }
}
