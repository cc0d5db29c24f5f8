using System.Numerics;
using Nabla.Kernels;

namespace Nabla;

// y = sum of x over some dims;  dx += dy broadcast back over the summed dims.
// Mean is Sum divided by the count of summed elements, so it needs no backward of its own.
public partial class Tensor
{
    /// <summary>The sum of all elements, as a rank-0 tensor (<c>x.sum()</c>).</summary>
    public Tensor Sum() => Sum(AllDims(), keepDim: false);

    /// <summary>The sum over <paramref name="dim"/> (<c>x.sum(dim, keepdim)</c>).</summary>
    public Tensor Sum(int dim, bool keepDim = false) => Sum([dim], keepDim);

    /// <summary>The sum over several dims at once.</summary>
    public Tensor Sum(int[] dims, bool keepDim = false)
    {
        var mask = ReducedDimsMask(dims, "Sum");
        var y = SumCore(mask, keepDim);
        return NeedsGrad(this) ? y.WithGradFn(new SumNode(this, mask, keepDim)) : y;
    }

    /// <summary>The mean of all elements (<c>x.mean()</c>).</summary>
    public Tensor Mean() => Mean(AllDims(), keepDim: false);

    /// <summary>The mean over <paramref name="dim"/>.</summary>
    public Tensor Mean(int dim, bool keepDim = false) => Mean([dim], keepDim);

    /// <summary>The mean over several dims at once.</summary>
    public Tensor Mean(int[] dims, bool keepDim = false)
    {
        var mask = ReducedDimsMask(dims, "Mean");
        long count = 1;
        for (int d = 0; d < Rank; d++) if (mask[d]) count *= shape[d];
        return Sum(dims, keepDim) / (float)count;
    }

    internal int[] AllDims()
    {
        var dims = new int[Rank];
        for (int d = 0; d < dims.Length; d++) dims[d] = d;
        return dims;
    }

    /// <summary>Which dims a reduction over <paramref name="dims"/> removes; checks range and repeats.</summary>
    internal bool[] ReducedDimsMask(int[] dims, string op)
    {
        var mask = new bool[Rank];
        foreach (int dim in dims)
        {
            int d = Shapes.NormalizeDim(dim, Rank, op);
            if (mask[d]) throw new ArgumentException($"{op}: dim {dim} appears more than once in the dims list.");
            mask[d] = true;
        }
        return mask;
    }

    /// <summary>The output shape of a reduction: reduced dims become 1 (keepDim) or disappear.</summary>
    internal int[] ReducedShape(bool[] mask, bool keepDim)
    {
        var result = new List<int>(Rank);
        for (int d = 0; d < Rank; d++)
            if (!mask[d]) result.Add(shape[d]);
            else if (keepDim) result.Add(1);
        return result.ToArray();
    }

    private Tensor SumCore(bool[] mask, bool keepDim)
    {
        var outShape = ReducedShape(mask, keepDim);
        var result = Empty(DType, outShape);
        // Put kept dims first and reduced dims last (a copy only when that reorders anything).
        var perm = new List<int>(Rank);
        for (int d = 0; d < Rank; d++) if (!mask[d]) perm.Add(d);
        int kept = perm.Count;
        for (int d = 0; d < Rank; d++) if (mask[d]) perm.Add(d);
        long keptCount = 1;
        for (int d = 0; d < Rank; d++) if (!mask[d]) keptCount *= shape[d];
        int rows = (int)keptCount;
        int length = rows == 0 ? 0 : NumEl / rows;

        // All reduced dims leading in a contiguous tensor: add rows together, no transpose needed.
        bool leading = IsContiguous;
        for (int i = 0; i < Rank && leading; i++) if (mask[i] != (i < Rank - kept)) leading = false;
        if (leading && rows > 0)
        {
            if (DType == DType.Float64) Reduce.SumColumns(Span<double>(), length, rows, result.Span<double>());
            else Reduce.SumColumns(Span<float>(), length, rows, result.Span<float>());
            return result;
        }
        var src = Detach().Permute(perm.ToArray()).Contiguous();
        if (DType == DType.Float64) Reduce.SumRows(src.Span<double>(), rows, length, result.Span<double>());
        else Reduce.SumRows(src.Span<float>(), rows, length, result.Span<float>());
        return result;
    }

    private sealed class SumNode(Tensor x, bool[] mask, bool keepDim) : GradNode(x)
    {
        public override string Name => "SumBackward";
        protected internal override void Backward(Tensor dy)
        {
            // Restore the summed dims as size 1, then broadcast (a stride-0 view, no copy).
            var kept = keepDim ? dy : dy.Reshape(x.ReducedShape(mask, keepDim: true));
            AccumulateGrad(0, kept.Expand(x.shape));
        }
    }
}
