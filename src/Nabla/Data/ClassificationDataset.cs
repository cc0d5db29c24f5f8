namespace Nabla.Data;

/// <summary>
/// A <see cref="TensorDataset"/> whose targets are class indices, with the names of the classes and, for real
/// data, where the data comes from: what <see cref="BuiltinDatasets"/>, <see cref="FashionMnist"/> and
/// <see cref="Generators"/> return.
/// </summary>
/// <remarks>
/// The inputs are the features (shape (N, F), or (N, C, H, W) for images); the targets have shape (N,) and
/// hold integers 0 to <see cref="NumClasses"/> - 1 as floats, ready for a cross-entropy loss.
/// </remarks>
public sealed class ClassificationDataset : TensorDataset
{
    private readonly string[] classNames;

    /// <summary>Creates a classification data set, checking that every target is a valid class index.</summary>
    /// <param name="inputs">The features, shape (N, ...).</param>
    /// <param name="targets">The class indices, shape (N,), integers in [0, number of classes).</param>
    /// <param name="classNames">The name of each class, in index order.</param>
    /// <param name="name">A short name for the data set, e.g. "iris".</param>
    /// <param name="citation">Who made the data and under which licence; null for synthetic data.</param>
    /// <exception cref="ArgumentException">The targets are not 1-D, or a target is not a class index.</exception>
    public ClassificationDataset(Tensor inputs, Tensor targets, IReadOnlyList<string> classNames, string name, string? citation = null)
        : base(inputs, targets)
    {
        ArgumentNullException.ThrowIfNull(classNames);
        ArgumentNullException.ThrowIfNull(name);
        if (classNames.Count == 0)
            throw new ArgumentException($"ClassificationDataset '{name}': expected at least one class name.", nameof(classNames));
        if (Targets.Rank != 1)
            throw new ArgumentException(
                $"ClassificationDataset '{name}': the targets must have shape (N,), one class index per sample, but have shape {Shapes.Format(Targets.shape)}.", nameof(targets));
        var labels = Targets.ToDoubleArray();
        for (int i = 0; i < labels.Length; i++)
            if (!(labels[i] >= 0 && labels[i] < classNames.Count && labels[i] == Math.Floor(labels[i])))
                throw new ArgumentException(
                    $"ClassificationDataset '{name}': the target of sample {i} is {labels[i]}, not a class index in 0 to {classNames.Count - 1}.", nameof(targets));
        this.classNames = [.. classNames];
        Name = name;
        Citation = citation;
    }

    /// <summary>A short name for the data set, e.g. "iris" or "fashion-mnist (train)".</summary>
    public string Name { get; }

    /// <summary>The name of each class, in index order.</summary>
    public IReadOnlyList<string> ClassNames => classNames;

    /// <summary>The number of classes.</summary>
    public int NumClasses => classNames.Length;

    /// <summary>The creators, source and licence of the data, to cite when publishing results; null for synthetic data.</summary>
    public string? Citation { get; }

    /// <summary>How many samples each class has, in class index order.</summary>
    public int[] ClassCounts()
    {
        var counts = new int[NumClasses];
        foreach (double label in Targets.ToDoubleArray()) counts[(int)label]++;
        return counts;
    }

    /// <summary>
    /// The standard train/test split of this data set: a stratified split with ⌈N · <paramref name="testFraction"/>⌉
    /// test samples chosen by a fixed seed, so that a "test accuracy" on it means the same samples on every
    /// machine. Both parts keep the original sample order and are new data sets (the rows are copied).
    /// </summary>
    /// <param name="testFraction">The share of samples held out for testing (default 0.2: an 80/20 split).</param>
    /// <param name="seed">The seed of the split; keep the default to compare with published numbers.</param>
    /// <exception cref="ArgumentOutOfRangeException">The fraction is outside [0, 1].</exception>
    public (ClassificationDataset Train, ClassificationDataset Test) TrainTestSplit(double testFraction = 0.2, long seed = 0)
    {
        var (train, test) = SplitIndices(testFraction, seed, stratify: true, "TrainTestSplit", nameof(testFraction));
        return (Take(train, "train"), Take(test, "test"));
    }

    /// <summary>A new data set of the rows at <paramref name="indices"/>, with the same classes and citation.</summary>
    private ClassificationDataset Take(int[] indices, string part) => new(
        GatherRows(Inputs, indices), GatherRows(Targets, indices), classNames, $"{Name} ({part})", Citation);
}
