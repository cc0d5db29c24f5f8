namespace Nabla;

// Layout helpers shared by the reductions and the ops along one dim (Max, Min, ArgMax, LogSumExp, Softmax):
// the kernels work on contiguous rows, so the dims being reduced are moved to the end (a copy only when
// they are not already there in a contiguous tensor), and the results are moved back.
public partial class Tensor
{
    /// <summary>
    /// This tensor's values, detached and contiguous, with the dims in <paramref name="mask"/> moved last (the
    /// others keeping their order): <paramref name="rows"/> rows of <paramref name="length"/> elements, one row
    /// per output element of the reduction. No copy when those dims already trail a contiguous tensor.
    /// </summary>
    internal Tensor ReducedDimsLast(bool[] mask, out int rows, out int length)
    {
        var perm = ReducedDimsLastOrder(mask);
        long kept = 1, reduced = 1;
        for (int d = 0; d < Rank; d++)
            if (mask[d]) reduced *= shape[d];
            else kept *= shape[d];
        rows = (int)kept;
        length = (int)reduced;
        var src = Detach();
        for (int i = 0; i < perm.Length; i++)
            if (perm[i] != i) { src = src.Permute(perm); break; }
        return src.Contiguous();
    }

    /// <summary>The permutation that puts the kept dims first and the reduced dims last.</summary>
    internal static int[] ReducedDimsLastOrder(bool[] mask)
    {
        var perm = new int[mask.Length];
        int k = 0;
        for (int d = 0; d < mask.Length; d++) if (!mask[d]) perm[k++] = d;
        for (int d = 0; d < mask.Length; d++) if (mask[d]) perm[k++] = d;
        return perm;
    }

    /// <summary>The inverse of a permutation: <c>t.Permute(perm).Permute(Inverse(perm))</c> is <c>t</c>.</summary>
    internal static int[] InversePermutation(int[] perm)
    {
        var inverse = new int[perm.Length];
        for (int i = 0; i < perm.Length; i++) inverse[perm[i]] = i;
        return inverse;
    }

    /// <summary>A mask selecting the single dim <paramref name="dim"/> (already normalized).</summary>
    internal bool[] SingleDimMask(int dim)
    {
        var mask = new bool[Rank];
        mask[dim] = true;
        return mask;
    }

    /// <summary>True for a contiguous tensor whose reduced dims are exactly its first few (and not all of them).</summary>
    internal bool ReducedDimsLeading(bool[] mask)
    {
        if (!IsContiguous || Rank == 0 || !mask[0] || mask[^1]) return false;
        int d = 0;
        while (mask[d]) d++;
        for (; d < Rank; d++) if (mask[d]) return false;
        return true;
    }

    /// <summary>Throws for a reduction with no identity (max, min, argmax) over a dim of size 0, naming the op and shape.</summary>
    internal void CheckReducible(bool[] mask, string op)
    {
        for (int d = 0; d < Rank; d++)
            if (mask[d] && shape[d] == 0)
                throw new ArgumentException(
                    $"{op}: cannot reduce over dim {d} of size 0 (input shape {Shapes.Format(shape)}): it has no elements to take the {op.ToLowerInvariant()} of.");
    }
}
