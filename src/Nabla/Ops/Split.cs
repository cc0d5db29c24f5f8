namespace Nabla;

// Split, Chunk, Unbind: a tensor cut into views along one dim (torch.split, torch.chunk, torch.unbind).
// Each piece is a Narrow (or Select) view, whose backward writes dy into its band of a zero gradient;
// the pieces' gradients add up in x. No copy is made and no backward of their own is needed.
public partial class Tensor
{
    /// <summary>
    /// Cuts this tensor along <paramref name="dim"/> into views of <paramref name="splitSize"/> elements each,
    /// the last one smaller if the size does not divide evenly (<c>x.split(split_size, dim)</c>).
    /// </summary>
    /// <exception cref="ArgumentException">The split size is negative, or zero for a non-empty dim.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The dim is out of range.</exception>
    public Tensor[] Split(int splitSize, int dim = 0)
    {
        int d = Shapes.NormalizeDim(dim, Rank, "Split");
        int n = shape[d];
        if (splitSize < 0 || (splitSize == 0 && n != 0))
            throw new ArgumentException(
                $"Split: the split size must be positive, got {splitSize} for dim {dim} of size {n} (shape {Shapes.Format(shape)}).",
                nameof(splitSize));
        // An empty dim still gives one (empty) piece, as in PyTorch.
        int count = splitSize == 0 ? 1 : Math.Max(1, (n + splitSize - 1) / splitSize);
        var parts = new Tensor[count];
        for (int i = 0; i < count; i++)
        {
            int start = i * splitSize;
            parts[i] = Narrow(d, start, Math.Min(splitSize, n - start));
        }
        return parts;
    }

    /// <summary>
    /// Cuts this tensor along <paramref name="dim"/> into views of the given <paramref name="sizes"/>, which
    /// must add up to the size of that dim (<c>x.split([s0, s1, ...], dim)</c>).
    /// </summary>
    /// <exception cref="ArgumentException">A size is negative, or the sizes do not add up to the dim's size.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The dim is out of range.</exception>
    public Tensor[] Split(int[] sizes, int dim = 0)
    {
        ArgumentNullException.ThrowIfNull(sizes);
        int d = Shapes.NormalizeDim(dim, Rank, "Split");
        long sum = 0;
        foreach (int s in sizes)
        {
            if (s < 0)
                throw new ArgumentException($"Split: sizes {Shapes.Format(sizes)} contain the negative size {s}.", nameof(sizes));
            sum += s;
        }
        if (sum != shape[d])
            throw new ArgumentException(
                $"Split: sizes {Shapes.Format(sizes)} add up to {sum} but dim {dim} has size {shape[d]} (shape {Shapes.Format(shape)}).",
                nameof(sizes));
        var parts = new Tensor[sizes.Length];
        for (int i = 0, start = 0; i < sizes.Length; start += sizes[i], i++)
            parts[i] = Narrow(d, start, sizes[i]);
        return parts;
    }

    /// <summary>
    /// Cuts this tensor along <paramref name="dim"/> into at most <paramref name="chunks"/> views of equal size
    /// (the last may be smaller), with PyTorch's sizing: each piece has ceil(n / chunks) elements, so fewer
    /// pieces come back when that covers the dim sooner (<c>x.chunk(chunks, dim)</c>: 5 into 4 gives 2, 2, 1).
    /// An empty dim gives <paramref name="chunks"/> empty pieces.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="chunks"/> is not positive.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The dim is out of range.</exception>
    public Tensor[] Chunk(int chunks, int dim = 0)
    {
        int d = Shapes.NormalizeDim(dim, Rank, "Chunk");
        if (chunks <= 0)
            throw new ArgumentException($"Chunk: the number of chunks must be positive, got {chunks}.", nameof(chunks));
        int n = shape[d];
        if (n == 0) return Split(new int[chunks], d);
        return Split((int)(((long)n + chunks - 1) / chunks), d);
    }

    /// <summary>The slices along <paramref name="dim"/>, each without that dim, as views (<c>x.unbind(dim)</c>).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The dim is out of range.</exception>
    public Tensor[] Unbind(int dim = 0)
    {
        int d = Shapes.NormalizeDim(dim, Rank, "Unbind");
        var parts = new Tensor[shape[d]];
        for (int i = 0; i < parts.Length; i++) parts[i] = Select(d, i);
        return parts;
    }
}
