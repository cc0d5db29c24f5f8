namespace Nabla.NN;

/// <summary>
/// Splits one dim into several (<c>torch.nn.Unflatten</c>), the inverse of <see cref="Flatten"/>: with dim 1 and sizes
/// (128, 7, 7) a generator's (N, 6272) linear output becomes the (N, 128, 7, 7) feature maps its convolutions take.
/// </summary>
public class Unflatten : Module
{
    private readonly int[] sizes;

    /// <summary>Creates the layer splitting <paramref name="dim"/> into <paramref name="unflattenedSize"/>.</summary>
    /// <exception cref="ArgumentException">No sizes, or a size that is not positive.</exception>
    public Unflatten(int dim, params int[] unflattenedSize)
    {
        ArgumentNullException.ThrowIfNull(unflattenedSize);
        if (unflattenedSize.Length == 0 || unflattenedSize.Any(s => s < 1))
            throw new ArgumentException($"Unflatten: unflattened_size must be one or more positive sizes, got {Shapes.Format(unflattenedSize)}.");
        Dim = dim;
        sizes = (int[])unflattenedSize.Clone();
    }

    /// <summary>The dim that is split (negative counts from the end).</summary>
    public int Dim { get; }

    /// <summary>The sizes it is split into.</summary>
    public IReadOnlyList<int> UnflattenedSize => sizes;

    /// <summary>The input with <see cref="Dim"/> split into <see cref="UnflattenedSize"/> (a view when the input is contiguous).</summary>
    /// <exception cref="ArgumentException">The dim is out of range, or its size is not the product of the sizes.</exception>
    public override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        int rank = input.Rank, d = Dim < 0 ? Dim + rank : Dim;
        if (d < 0 || d >= rank)
            throw new ArgumentException($"Unflatten: dim {Dim} is out of range for an input of shape {Shapes.Format(input.Shape.ToArray())}.");
        long product = sizes.Aggregate(1L, (a, b) => a * b);
        if (input.Shape[d] != product)
            throw new ArgumentException(
                $"Unflatten: dim {Dim} of the input {Shapes.Format(input.Shape.ToArray())} has size {input.Shape[d]}, " +
                $"but unflattened_size {Shapes.Format(sizes)} holds {product}.");
        int[] shape = [.. input.Shape.Take(d), .. sizes, .. input.Shape.Skip(d + 1)];
        return input.Reshape(shape);
    }

    /// <inheritdoc/>
    protected override string ExtraRepr() => $"dim={Dim}, unflattened_size={Shapes.Format(sizes)}";
}
