namespace Nabla.Data;

/// <summary>Small synthetic data sets for demos and tests, generated from a seed (no files, no downloads).</summary>
public static class Synthetic
{
    /// <summary>
    /// Two interleaving half circles, as scikit-learn's <c>make_moons</c>: the upper moon is class 0,
    /// the lower one (shifted right and down) class 1; the points are shuffled and Gaussian noise
    /// of standard deviation <paramref name="noise"/> is added to both coordinates.
    /// </summary>
    /// <param name="n">The number of points; the upper moon gets n / 2 (rounded down), the lower the rest.</param>
    /// <param name="noise">The standard deviation of the noise (0 for points exactly on the curves).</param>
    /// <param name="seed">Seed of the <see cref="Random"/> used to shuffle and add noise.</param>
    /// <returns><c>X</c>: n rows of (x, y); <c>y</c>: n labels, 0 or 1.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="n"/> is below 2, or the noise is negative or not finite.</exception>
    public static (double[][] X, int[] y) Moons(int n, double noise, int seed)
    {
        if (n < 2)
            throw new ArgumentOutOfRangeException(nameof(n), n, $"Moons needs at least 2 points (one per moon), but was asked for {n}.");
        if (!(noise >= 0) || !double.IsFinite(noise))
            throw new ArgumentOutOfRangeException(nameof(noise), noise, "The noise must be a finite number ≥ 0.");

        var random = new Random(seed);
        int outer = n / 2, inner = n - outer;
        var X = new double[n][];
        var y = new int[n];
        // Angles evenly spaced over [0, π], ends included, as numpy's linspace(0, pi, count).
        for (int i = 0; i < outer; i++)
        {
            double t = Linspace(i, outer);
            X[i] = [Math.Cos(t), Math.Sin(t)];
            y[i] = 0;
        }
        for (int i = 0; i < inner; i++)
        {
            double t = Linspace(i, inner);
            X[outer + i] = [1 - Math.Cos(t), 0.5 - Math.Sin(t)];
            y[outer + i] = 1;
        }

        // Shuffle (Fisher–Yates), so that the classes are not in two blocks.
        for (int i = n - 1; i > 0; i--)
        {
            int j = random.Next(i + 1);
            (X[i], X[j]) = (X[j], X[i]);
            (y[i], y[j]) = (y[j], y[i]);
        }

        foreach (var point in X)
        {
            point[0] += noise * Gaussian(random);
            point[1] += noise * Gaussian(random);
        }
        return (X, y);
    }

    private static double Linspace(int i, int count) => count == 1 ? 0 : Math.PI * i / (count - 1);

    // A standard normal sample by the Box–Muller transform (1 - NextDouble() is in (0, 1], so the log is finite).
    internal static double Gaussian(Random random)
    {
        double u1 = 1 - random.NextDouble();
        double u2 = random.NextDouble();
        return Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }
}
