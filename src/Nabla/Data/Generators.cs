namespace Nabla.Data;

/// <summary>
/// Synthetic 2-D classification data sets as tensors, the classic first problems for a small network: each
/// returns a <see cref="ClassificationDataset"/> with inputs of shape (n, 2) (or (8, 3) for <see cref="Xor3"/>)
/// and class indices of shape (n,). The same arguments give the same data on every machine.
/// </summary>
/// <remarks>The samples are shuffled, so the classes are interleaved rather than in blocks.</remarks>
public static class Generators
{
    /// <summary>
    /// The XOR problem, which no linear model solves: n points at the four corners of the unit square, in equal
    /// numbers (to within one), each moved by Gaussian noise of standard deviation <paramref name="noise"/>;
    /// the class is the XOR of the corner's coordinates: (0, 0) and (1, 1) are class 0, (0, 1) and (1, 0) class 1.
    /// </summary>
    /// <param name="n">The number of points, at least 4.</param>
    /// <param name="noise">The standard deviation of the noise added to each coordinate (0 for the exact corners).</param>
    /// <param name="seed">Seeds the shuffle and the noise.</param>
    /// <exception cref="ArgumentOutOfRangeException">n is below 4, or the noise is negative or not finite.</exception>
    public static ClassificationDataset Xor(int n, double noise = 0.1, int seed = 0)
    {
        CheckCount(n, 4, "Xor", "one per corner");
        CheckNoise(noise);
        var g = new Generator(seed);
        var points = new float[2 * n];
        var labels = new float[n];
        for (int i = 0; i < n; i++)
        {
            int a = (i >> 1) & 1, b = i & 1; // corner i mod 4: (0,0), (0,1), (1,0), (1,1)
            points[2 * i] = (float)(a + noise * g.NextNormal());
            points[2 * i + 1] = (float)(b + noise * g.NextNormal());
            labels[i] = a ^ b;
        }
        return Shuffled(points, labels, 2, g, ["0", "1"], "xor");
    }

    /// <summary>
    /// Three-input XOR (3-bit parity): the 8 rows of every combination of 3 bits, in counting order
    /// (000, 001, ..., 111, first column the most significant), each labelled with the XOR of its bits:
    /// 1 when an odd number of bits are 1. Exact (no noise, not shuffled): a problem to fit, not to generalise from.
    /// </summary>
    /// <returns>Inputs (8, 3) of 0s and 1s; targets (8,): 0, 1, 1, 0, 1, 0, 0, 1.</returns>
    public static ClassificationDataset Xor3()
    {
        var inputs = new float[8 * 3];
        var targets = new float[8];
        for (int row = 0; row < 8; row++)
        {
            for (int bit = 0; bit < 3; bit++)
                inputs[row * 3 + bit] = (row >> (2 - bit)) & 1;
            targets[row] = int.PopCount(row) & 1;
        }
        return new ClassificationDataset(new Tensor(inputs, [8, 3]), new Tensor(targets, [8]), ["0", "1"], "xor3");
    }

    /// <summary>
    /// Two interleaving half circles (scikit-learn's <c>make_moons</c>): the upper moon is class 0, the lower
    /// class 1, with Gaussian noise of standard deviation <paramref name="noise"/>. The points are those of
    /// <see cref="Synthetic.Moons"/> (the scalar engine's data) for the same arguments.
    /// </summary>
    /// <param name="n">The number of points, at least 2; the upper moon gets n / 2 (rounded down).</param>
    /// <param name="noise">The standard deviation of the noise.</param>
    /// <param name="seed">Seeds the shuffle and the noise.</param>
    /// <exception cref="ArgumentOutOfRangeException">n is below 2, or the noise is negative or not finite.</exception>
    public static ClassificationDataset Moons(int n, double noise = 0.1, int seed = 0)
    {
        var (x, y) = Synthetic.Moons(n, noise, seed);
        var points = new float[2 * n];
        var labels = new float[n];
        for (int i = 0; i < n; i++)
        {
            points[2 * i] = (float)x[i][0];
            points[2 * i + 1] = (float)x[i][1];
            labels[i] = y[i];
        }
        return new ClassificationDataset(new Tensor(points, [n, 2]), new Tensor(labels, [n]), ["0", "1"], "moons");
    }

    /// <summary>
    /// A small circle inside a large one (scikit-learn's <c>make_circles</c>): the outer circle, of radius 1, is
    /// class 0 and gets n / 2 points (rounded down); the inner one, of radius <paramref name="factor"/>, class 1.
    /// The points are evenly spaced in angle, then moved by Gaussian noise of standard deviation <paramref name="noise"/>.
    /// </summary>
    /// <param name="n">The number of points, at least 2.</param>
    /// <param name="noise">The standard deviation of the noise.</param>
    /// <param name="factor">The inner circle's radius relative to the outer one, in [0, 1).</param>
    /// <param name="seed">Seeds the shuffle and the noise.</param>
    /// <exception cref="ArgumentOutOfRangeException">n is below 2, the factor is outside [0, 1), or the noise is negative or not finite.</exception>
    public static ClassificationDataset Circles(int n, double noise = 0.05, double factor = 0.5, int seed = 0)
    {
        CheckCount(n, 2, "Circles", "one per circle");
        CheckNoise(noise);
        if (!(factor >= 0 && factor < 1))
            throw new ArgumentOutOfRangeException(nameof(factor), factor, "Circles: the factor (inner radius / outer radius) must be in [0, 1).");
        var g = new Generator(seed);
        int outer = n / 2, inner = n - outer;
        var points = new float[2 * n];
        var labels = new float[n];
        for (int i = 0; i < n; i++)
        {
            bool isOuter = i < outer;
            int k = isOuter ? i : i - outer, count = isOuter ? outer : inner;
            double radius = isOuter ? 1 : factor;
            double angle = 2 * Math.PI * k / count; // numpy's linspace(0, 2π, count, endpoint=False)
            points[2 * i] = (float)(radius * Math.Cos(angle) + noise * g.NextNormal());
            points[2 * i + 1] = (float)(radius * Math.Sin(angle) + noise * g.NextNormal());
            labels[i] = isOuter ? 0 : 1;
        }
        return Shuffled(points, labels, 2, g, ["0", "1"], "circles");
    }

    /// <summary>
    /// Interleaved spiral arms, one per class (as in Stanford CS231n's spiral data): arm j has radius r going
    /// from 0 to 1 while its angle goes from 2πj / classes through 4 radians, jittered by Gaussian noise of
    /// standard deviation <paramref name="noise"/> radians; the point is r · (sin θ, cos θ). The n points are
    /// shared equally among the classes (the first n mod classes classes get one more).
    /// </summary>
    /// <param name="n">The number of points, at least <paramref name="classes"/>.</param>
    /// <param name="classes">The number of arms (classes), at least 2.</param>
    /// <param name="noise">The standard deviation of the angle's jitter, in radians (CS231n uses 0.2).</param>
    /// <param name="seed">Seeds the shuffle and the noise.</param>
    /// <exception cref="ArgumentOutOfRangeException">classes is below 2, n is below classes, or the noise is negative or not finite.</exception>
    public static ClassificationDataset Spirals(int n, int classes = 3, double noise = 0.2, int seed = 0)
    {
        if (classes < 2)
            throw new ArgumentOutOfRangeException(nameof(classes), classes, $"Spirals needs at least 2 classes, but was asked for {classes}.");
        CheckCount(n, classes, "Spirals", "one per arm");
        CheckNoise(noise);
        var g = new Generator(seed);
        var points = new float[2 * n];
        var labels = new float[n];
        int i = 0;
        for (int j = 0; j < classes; j++)
        {
            int count = n / classes + (j < n % classes ? 1 : 0);
            for (int k = 0; k < count; k++, i++)
            {
                double t = count == 1 ? 0 : (double)k / (count - 1); // linspace(0, 1, count)
                double angle = 2 * Math.PI * j / classes + 4 * t + noise * g.NextNormal();
                points[2 * i] = (float)(t * Math.Sin(angle));
                points[2 * i + 1] = (float)(t * Math.Cos(angle));
                labels[i] = j;
            }
        }
        var names = Enumerable.Range(0, classes).Select(c => c.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        return Shuffled(points, labels, 2, g, names, "spirals");
    }

    /// <summary>The samples in a random order drawn from <paramref name="g"/>, as a data set.</summary>
    private static ClassificationDataset Shuffled(float[] points, float[] labels, int dims, Generator g, string[] classNames, string name)
    {
        int n = labels.Length;
        var order = Sampling.Permutation(n, g);
        var x = new float[points.Length];
        var y = new float[n];
        for (int i = 0; i < n; i++)
        {
            points.AsSpan(order[i] * dims, dims).CopyTo(x.AsSpan(i * dims));
            y[i] = labels[order[i]];
        }
        return new ClassificationDataset(new Tensor(x, [n, dims]), new Tensor(y, [n]), classNames, name);
    }

    private static void CheckCount(int n, int minimum, string op, string why)
    {
        if (n < minimum)
            throw new ArgumentOutOfRangeException(nameof(n), n, $"{op} needs at least {minimum} points ({why}), but was asked for {n}.");
    }

    private static void CheckNoise(double noise)
    {
        if (!(noise >= 0) || !double.IsFinite(noise))
            throw new ArgumentOutOfRangeException(nameof(noise), noise, "The noise must be a finite number ≥ 0.");
    }
}
