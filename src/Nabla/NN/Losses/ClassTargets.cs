namespace Nabla.NN;

/// <summary>Reading and checking class-index targets for the classification losses (<see cref="CrossEntropyLoss"/>, <see cref="NLLLoss"/>).</summary>
internal static class ClassTargets
{
    /// <summary>The class dim of an input: 0 for a single sample (C), else 1 for (N, C) and (N, C, d...).</summary>
    public static int ClassDim(Tensor input) => input.Rank == 1 ? 0 : 1;

    /// <summary>Checks the input is (C), (N, C) or (N, C, d...) with at least one class, and returns C.</summary>
    public static int NumClasses(string loss, Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Rank == 0)
            throw new ArgumentException($"{loss}: the input must have a class dim, (C), (N, C) or (N, C, d1, ...), but it is a scalar.");
        int c = input.shape[ClassDim(input)];
        if (c == 0)
            throw new ArgumentException($"{loss}: the input of shape {Shapes.Format(input.shape)} has no classes (dim {ClassDim(input)} is 0).");
        return c;
    }

    /// <summary>Checks that a class weight is (C,), naming both shapes.</summary>
    public static void CheckWeight(string loss, Tensor? weight, int c)
    {
        if (weight is not null && (weight.Rank != 1 || weight.shape[0] != c))
            throw new ArgumentException($"{loss}: the class weight has shape {Shapes.Format(weight.shape)} but the input has {c} classes; expected ({c},).");
    }

    /// <summary>The input's shape without its class dim: the shape class-index targets must have.</summary>
    public static int[] TargetShape(Tensor input)
    {
        var shape = new List<int>(input.shape);
        shape.RemoveAt(ClassDim(input));
        return shape.ToArray();
    }

    /// <summary>
    /// The targets as class indices in row-major order, -1 where the target equals <paramref name="ignoreIndex"/>;
    /// every other target must be a whole number in [0, C).
    /// </summary>
    /// <exception cref="ArgumentException">The target's shape is not the input's without the class dim, or a target is not a whole number.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A target is outside [0, C) (the message names it, its position and C).</exception>
    public static int[] Read(string loss, Tensor input, Tensor target, int c, int ignoreIndex, bool probabilitiesAllowed)
    {
        var expected = TargetShape(input);
        if (!Shapes.Equal(target.shape, expected))
            throw new ArgumentException(
                $"{loss}: the target has shape {Shapes.Format(target.shape)} but the input has shape {Shapes.Format(input.shape)}; expected a target of shape " +
                $"{Shapes.Format(expected)} (class indices){(probabilitiesAllowed ? $" or {Shapes.Format(input.shape)} (class probabilities)" : "")}.");
        var values = target.ToDoubleArray();
        var result = new int[values.Length];
        for (int i = 0; i < values.Length; i++)
        {
            double v = values[i];
            if (v == ignoreIndex) { result[i] = -1; continue; }
            if (v != Math.Floor(v)) // also NaN and infinities
                throw new ArgumentException(
                    $"{loss}: class targets must be whole numbers, but the target at {Position(target.shape, i)} is {v}.");
            if (v < 0 || v >= c)
                throw new ArgumentOutOfRangeException(nameof(target),
                    $"{loss}: target {v} at {Position(target.shape, i)} is out of range for {c} classes (expected 0 to {c - 1}, or the ignore index {ignoreIndex}).");
            result[i] = (int)v;
        }
        return result;
    }

    /// <summary>The sum of the weights of the targets used (not ignored): the divisor of the weighted mean, as PyTorch.</summary>
    public static double WeightSum(int[] targets, Tensor? weight)
    {
        var w = weight?.ToDoubleArray();
        double sum = 0;
        foreach (int y in targets)
            if (y >= 0) sum += w is null ? 1 : w[y];
        return sum;
    }

    /// <summary>The position of row-major element <paramref name="flat"/> as an index tuple, e.g. <c>[1, 0]</c> (<c>[]</c> for a scalar).</summary>
    public static string Position(IReadOnlyList<int> shape, int flat)
    {
        var index = new int[shape.Count];
        for (int d = shape.Count - 1; d >= 0; d--)
        {
            index[d] = flat % shape[d];
            flat /= shape[d];
        }
        return "[" + string.Join(", ", index) + "]";
    }
}
