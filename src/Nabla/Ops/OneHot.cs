namespace Nabla;

// y[..., k] = 1 if indices[...] == k else 0: a float32 tensor with one more dim, of size numClasses.
// Not differentiable (indices are labels, not parameters).
public partial class Tensor
{
    /// <summary>
    /// One-hot encoding (<c>F.one_hot(indices, num_classes)</c>): for indices of shape S, a float32 tensor of shape
    /// (S..., <paramref name="numClasses"/>) with a 1 at each index. Indices are float values holding whole numbers
    /// (as <see cref="ArgMax(int, bool)"/> and the data loaders return them); <paramref name="numClasses"/> = -1
    /// infers it as the largest index + 1.
    /// </summary>
    /// <exception cref="ArgumentException">An index is not a whole number, or numClasses cannot be inferred.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An index is negative or not below numClasses.</exception>
    public static Tensor OneHot(Tensor indices, int numClasses = -1)
    {
        if (numClasses < -1)
            throw new ArgumentOutOfRangeException(nameof(numClasses), $"OneHot: numClasses must be -1 (infer) or non-negative, got {numClasses}.");
        var values = indices.ToDoubleArray(); // row-major
        for (int i = 0; i < values.Length; i++)
        {
            double v = values[i];
            if (!double.IsFinite(v) || v != Math.Floor(v))
                throw new ArgumentException(
                    $"OneHot: indices must be whole numbers, but the element at {IndexString(indices.shape, i)} is {v} (indices of shape {Shapes.Format(indices.shape)}).");
            if (v < 0)
                throw new ArgumentOutOfRangeException(nameof(indices),
                    $"OneHot: indices must be non-negative, but the element at {IndexString(indices.shape, i)} is {v}.");
        }
        if (numClasses == -1)
        {
            if (values.Length == 0)
                throw new ArgumentException($"OneHot: cannot infer the number of classes from an empty tensor (shape {Shapes.Format(indices.shape)}); pass numClasses.");
            numClasses = (int)Math.Min(values.Max() + 1, int.MaxValue);
        }
        var outShape = new int[indices.Rank + 1];
        indices.shape.CopyTo(outShape, 0);
        outShape[^1] = numClasses;
        var result = Zeros(outShape);
        var data = result.Buffer<float>();
        for (int i = 0; i < values.Length; i++)
        {
            if (values[i] >= numClasses)
                throw new ArgumentOutOfRangeException(nameof(indices),
                    $"OneHot: index {values[i]} at {IndexString(indices.shape, i)} is out of range for {numClasses} classes (expected 0 to {numClasses - 1}).");
            data[(long)i * numClasses + (int)values[i]] = 1f;
        }
        return result;
    }

    /// <summary>Formats the position of flat (row-major) element <paramref name="flat"/> as an index tuple, e.g. <c>[1, 0]</c>.</summary>
    private static string IndexString(int[] shape, int flat)
    {
        var index = new int[shape.Length];
        for (int d = shape.Length - 1; d >= 0; d--)
        {
            index[d] = flat % shape[d];
            flat /= shape[d];
        }
        return "[" + string.Join(", ", index) + "]";
    }
}
