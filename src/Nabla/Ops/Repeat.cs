namespace Nabla;

// Repeat: the tensor tiled repeats[d] times along each dim (torch.Tensor.repeat).
// Composed from views, so its backward comes free: for each dim of size s repeated r times,
//   x (.., s, ..) -> unsqueeze (.., 1, s, ..) -> expand (.., r, s, ..) -> reshape (.., r*s, ..)
// The reshape makes the one copy; the expand's backward sums the r copies of the gradient.
public partial class Tensor
{
    /// <summary>
    /// This tensor tiled <paramref name="repeats"/>[d] times along each dim d, as a new tensor
    /// (<c>x.repeat(*repeats)</c>). Extra leading repeats add new leading dims:
    /// a (2, 3) tensor repeated (4, 1, 2) has shape (4, 2, 6). Unlike Expand, it copies.
    /// </summary>
    /// <exception cref="ArgumentException">Fewer repeats than dims, or a negative repeat.</exception>
    public Tensor Repeat(params int[] repeats)
    {
        ArgumentNullException.ThrowIfNull(repeats);
        if (repeats.Length < Rank)
            throw new ArgumentException(
                $"Repeat: got {repeats.Length} repeats {Shapes.Format(repeats)} for a tensor with {Rank} dims (shape {Shapes.Format(shape)}); give one per dim (or more, to add leading dims).",
                nameof(repeats));
        foreach (int r in repeats)
            if (r < 0) throw new ArgumentException($"Repeat: repeats {Shapes.Format(repeats)} contain the negative count {r}.", nameof(repeats));

        int lead = repeats.Length - Rank;
        var unsqueezed = new int[2 * repeats.Length]; // (1, s0, 1, s1, ...)
        var expanded = new int[2 * repeats.Length];   // (r0, s0, r1, s1, ...)
        var tiled = new int[repeats.Length];          // (r0*s0, r1*s1, ...)
        for (int d = 0; d < repeats.Length; d++)
        {
            int s = d < lead ? 1 : shape[d - lead];
            unsqueezed[2 * d] = 1;
            unsqueezed[2 * d + 1] = s;
            expanded[2 * d] = repeats[d];
            expanded[2 * d + 1] = s;
            long size = (long)repeats[d] * s;
            if (size > int.MaxValue)
                throw new ArgumentException($"Repeat: repeating shape {Shapes.Format(shape)} by {Shapes.Format(repeats)} gives a dim of {size} elements, more than {int.MaxValue}.", nameof(repeats));
            tiled[d] = (int)size;
        }
        return ViewAs(unsqueezed).Expand(expanded).Reshape(tiled);
    }
}
