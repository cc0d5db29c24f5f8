using System.Numerics;
using Nabla.Kernels;

namespace Nabla;

// Max and Min reductions, and ArgMax/ArgMin. Two gradient conventions, both PyTorch's:
//   Max(dim):            y = x at the index ArgMax(dim) returns (the first maximum);  dx += dy at that index only
//   Max(), Max(dims):    y = the maximum of each slice (amax);  dx += dy / k at each of the k elements equal to it
//                        (ties share the gradient evenly, so a subgradient is still a valid one)
// Min is the same with the comparisons reversed. ArgMax/ArgMin return indices as float32 and have no gradient.
public partial class Tensor
{
    /// <summary>The largest element, as a rank-0 tensor (<c>x.max()</c>); ties share the gradient evenly.</summary>
    /// <exception cref="ArgumentException">The tensor has no elements.</exception>
    public Tensor Max() => Extreme(AllDims(), keepDim: false, "Max", isMax: true);

    /// <summary>
    /// The maximum over <paramref name="dim"/> (the values of <c>x.max(dim, keepdim)</c>); the gradient goes to the
    /// element <see cref="ArgMax(int, bool)"/> picks (the first maximum).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The dim is out of range.</exception>
    /// <exception cref="ArgumentException">The dim has size 0.</exception>
    public Tensor Max(int dim, bool keepDim = false) => IndexedExtreme(dim, keepDim, "Max", isMax: true);

    /// <summary>The maximum over several dims at once (<c>x.amax(dims, keepdim)</c>); ties share the gradient evenly.</summary>
    public Tensor Max(int[] dims, bool keepDim = false) => Extreme(dims, keepDim, "Max", isMax: true);

    /// <summary>The smallest element, as a rank-0 tensor (<c>x.min()</c>); ties share the gradient evenly.</summary>
    /// <exception cref="ArgumentException">The tensor has no elements.</exception>
    public Tensor Min() => Extreme(AllDims(), keepDim: false, "Min", isMax: false);

    /// <summary>
    /// The minimum over <paramref name="dim"/> (the values of <c>x.min(dim, keepdim)</c>); the gradient goes to the
    /// element <see cref="ArgMin(int, bool)"/> picks (the first minimum).
    /// </summary>
    public Tensor Min(int dim, bool keepDim = false) => IndexedExtreme(dim, keepDim, "Min", isMax: false);

    /// <summary>The minimum over several dims at once (<c>x.amin(dims, keepdim)</c>); ties share the gradient evenly.</summary>
    public Tensor Min(int[] dims, bool keepDim = false) => Extreme(dims, keepDim, "Min", isMax: false);

    /// <summary>
    /// The index of the first maximum along <paramref name="dim"/> (<c>x.argmax(dim, keepdim)</c>), as float32
    /// values (exact up to 2^24); a NaN counts as the maximum. Not differentiable.
    /// </summary>
    public Tensor ArgMax(int dim, bool keepDim = false) => ArgExtreme(dim, keepDim, "ArgMax", isMax: true);

    /// <summary>The flat (row-major) index of the first maximum of all elements (<c>x.argmax()</c>), as a float32 scalar.</summary>
    public Tensor ArgMax() => ArgExtremeAll("ArgMax", isMax: true);

    /// <summary>The index of the first minimum along <paramref name="dim"/> (<c>x.argmin(dim, keepdim)</c>), as float32 values.</summary>
    public Tensor ArgMin(int dim, bool keepDim = false) => ArgExtreme(dim, keepDim, "ArgMin", isMax: false);

    /// <summary>The flat (row-major) index of the first minimum of all elements (<c>x.argmin()</c>), as a float32 scalar.</summary>
    public Tensor ArgMin() => ArgExtremeAll("ArgMin", isMax: false);

    // ----- amax / amin: values only, ties share the gradient -----

    private Tensor Extreme(int[] dims, bool keepDim, string op, bool isMax)
    {
        var mask = ReducedDimsMask(dims, op);
        CheckReducible(mask, op);
        var y = Empty(DType, ReducedShape(mask, keepDim));
        if (y.NumEl > 0)
        {
            if (DType == DType.Float64) ExtremeInto<double>(mask, isMax, y);
            else ExtremeInto<float>(mask, isMax, y);
        }
        return NeedsGrad(this) ? y.WithGradFn(new ExtremeNode(this, y, mask, isMax)) : y;
    }

    private void ExtremeInto<T>(bool[] mask, bool isMax, Tensor y) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int rows, length;
        if (ReducedDimsLeading(mask))
        {
            // (reduced..., kept...) in a contiguous tensor: combine whole rows elementwise, no transpose.
            length = y.NumEl;
            rows = NumEl / length;
            if (isMax) Reduce.MaxColumns(Span<T>(), rows, length, y.Span<T>());
            else Reduce.MinColumns(Span<T>(), rows, length, y.Span<T>());
            return;
        }
        var src = ReducedDimsLast(mask, out rows, out length);
        if (isMax) Reduce.MaxRows(src.Span<T>(), rows, length, y.Span<T>());
        else Reduce.MinRows(src.Span<T>(), rows, length, y.Span<T>());
    }

    private sealed class ExtremeNode(Tensor x, Tensor y, bool[] mask, bool isMax) : GradNode(x)
    {
        public override string Name => isMax ? "AmaxBackward" : "AminBackward";
        protected internal override void Backward(Tensor dy)
        {
            var keep = x.ReducedShape(mask, keepDim: true);
            var hit = x.Eq(y.Reshape(keep));  // 1 at every element equal to its slice's extreme
            var reduced = new List<int>();
            for (int d = 0; d < mask.Length; d++) if (mask[d]) reduced.Add(d);
            var count = reduced.Count == 0 ? OnesLike(hit) : hit.Sum(reduced.ToArray(), keepDim: true);
            AccumulateGrad(0, hit * (dy.Reshape(keep) / count));
        }
    }

    // ----- max(dim) / min(dim): values and the index they came from -----

    private Tensor IndexedExtreme(int dim, bool keepDim, string op, bool isMax)
    {
        int d = Shapes.NormalizeDim(dim, Rank, op);
        var mask = SingleDimMask(d);
        CheckReducible(mask, op);
        var src = ReducedDimsLast(mask, out int rows, out int length);
        var indices = new int[rows];
        var y = Empty(DType, ReducedShape(mask, keepDim));
        if (DType == DType.Float64) PickExtremes<double>(src, rows, length, isMax, indices, y);
        else PickExtremes<float>(src, rows, length, isMax, indices, y);
        return NeedsGrad(this) ? y.WithGradFn(new IndexedExtremeNode(this, d, indices, isMax)) : y;
    }

    /// <summary>Finds each row's extreme by index (one pass), then reads the value at that index.</summary>
    private static void PickExtremes<T>(Tensor src, int rows, int length, bool isMax, int[] indices, Tensor y)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var x = src.Span<T>();
        if (isMax) Reduce.IndexOfMaxRows(x, rows, length, indices);
        else Reduce.IndexOfMinRows(x, rows, length, indices);
        var values = y.Span<T>();
        for (int r = 0; r < rows; r++) values[r] = x[r * length + indices[r]];
    }

    private sealed class IndexedExtremeNode(Tensor x, int dim, int[] indices, bool isMax) : GradNode(x)
    {
        public override string Name => isMax ? "MaxBackward" : "MinBackward";
        protected internal override void Backward(Tensor dy)
        {
            // Scatter dy to the chosen index of each row, in the layout with dim last, then move dim back.
            var mask = x.SingleDimMask(dim);
            var perm = ReducedDimsLastOrder(mask);
            var permuted = new int[perm.Length];
            for (int i = 0; i < perm.Length; i++) permuted[i] = x.shape[perm[i]];
            var g = Empty(dy.DType, permuted);
            if (g.DType == DType.Float64) Scatter<double>(dy, g);
            else Scatter<float>(dy, g);
            AccumulateGrad(0, g.Permute(InversePermutation(perm)));
        }

        private void Scatter<T>(Tensor dy, Tensor g) where T : unmanaged, IFloatingPointIeee754<T>
        {
            var src = dy.Contiguous().Span<T>(); // row r of the reduction is output element r, whatever keepDim
            var dst = g.Span<T>();
            int length = x.shape[dim];
            for (int r = 0; r < indices.Length; r++) dst[r * length + indices[r]] = src[r];
        }
    }

    // ----- argmax / argmin -----

    private Tensor ArgExtreme(int dim, bool keepDim, string op, bool isMax)
    {
        int d = Shapes.NormalizeDim(dim, Rank, op);
        var mask = SingleDimMask(d);
        CheckReducible(mask, op);
        var src = ReducedDimsLast(mask, out int rows, out int length);
        var indices = new int[rows];
        if (DType == DType.Float64) FindIndices<double>(src, rows, length, isMax, indices);
        else FindIndices<float>(src, rows, length, isMax, indices);
        var result = Empty(DType.Float32, ReducedShape(mask, keepDim));
        var values = result.Span<float>();
        for (int r = 0; r < rows; r++) values[r] = indices[r];
        return result;
    }

    private Tensor ArgExtremeAll(string op, bool isMax)
    {
        if (NumEl == 0)
            throw new ArgumentException($"{op}: the tensor of shape {Shapes.Format(shape)} has no elements; there is no index to return.");
        var src = Detach().Contiguous();
        var index = new int[1];
        if (DType == DType.Float64) FindIndices<double>(src, 1, NumEl, isMax, index);
        else FindIndices<float>(src, 1, NumEl, isMax, index);
        return Scalar((float)index[0]);
    }

    private static void FindIndices<T>(Tensor src, int rows, int length, bool isMax, int[] indices)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (isMax) Reduce.IndexOfMaxRows(src.Span<T>(), rows, length, indices);
        else Reduce.IndexOfMinRows(src.Span<T>(), rows, length, indices);
    }
}
