namespace Nabla;

// Slicing: views that select a range (with a step) or one index along a dim.
//   dx = zeros(x.shape), with dy written into the same slice of it.
public partial class Tensor
{
    /// <summary>The sub-tensor at <paramref name="index"/> along the first dim, dropping that dim (<c>x[i]</c>); negative counts from the end.</summary>
    [System.Runtime.CompilerServices.IndexerName("At")] // "Item" is taken by Item(), the scalar value
    public Tensor this[int index] => Select(0, index);

    /// <summary>The view at <paramref name="index"/> along <paramref name="dim"/>, without that dim (<c>x.select(dim, i)</c>).</summary>
    public Tensor Select(int dim, int index)
    {
        int d = Shapes.NormalizeDim(dim, Rank, "Select");
        int i = index < 0 ? index + shape[d] : index;
        if (i < 0 || i >= shape[d])
            throw new ArgumentOutOfRangeException(nameof(index), $"Select: index {index} is out of range for dim {dim} of size {shape[d]} (shape {Shapes.Format(shape)}).");
        var newShape = new List<int>(shape); newShape.RemoveAt(d);
        var newStrides = new List<int>(strides); newStrides.RemoveAt(d);
        return SliceView(offset + i * strides[d], newShape.ToArray(), newStrides.ToArray(), g => g.Select(d, i));
    }

    /// <summary>
    /// Elements <paramref name="start"/>, start + step, ... before <paramref name="end"/> along <paramref name="dim"/>,
    /// as a view (<c>x[..., start:end:step]</c>). Negative start/end count from the end; out-of-range bounds are clamped, as in Python.
    /// </summary>
    public Tensor Slice(int dim, int? start = null, int? end = null, int step = 1)
    {
        int d = Shapes.NormalizeDim(dim, Rank, "Slice");
        if (step <= 0) throw new ArgumentException($"Slice: step must be positive, got {step}.");
        int n = shape[d];
        int s = Clamp(start ?? 0), e = Clamp(end ?? n);
        int count = e > s ? (e - s + step - 1) / step : 0;
        var newShape = (int[])shape.Clone(); newShape[d] = count;
        var newStrides = (int[])strides.Clone(); newStrides[d] = strides[d] * step;
        return SliceView(offset + (count > 0 ? s * strides[d] : 0), newShape, newStrides, g => g.Slice(d, s, e, step));

        int Clamp(int v) => Math.Clamp(v < 0 ? v + n : v, 0, n);
    }

    /// <summary>
    /// <paramref name="length"/> elements from <paramref name="start"/> along <paramref name="dim"/> (<c>x.narrow</c>);
    /// a negative start counts from the end; the range must fit.
    /// </summary>
    public Tensor Narrow(int dim, int start, int length)
    {
        int d = Shapes.NormalizeDim(dim, Rank, "Narrow");
        if (start < 0 && start >= -shape[d]) start += shape[d];
        if (start < 0 || length < 0 || (long)start + length > shape[d])
            throw new ArgumentOutOfRangeException(nameof(start), $"Narrow: [{start}, {start + length}) does not fit dim {dim} of size {shape[d]}.");
        return Slice(d, start, start + length);
    }

    // sameView takes the same view of another tensor shaped like this one (used by the backward).
    private Tensor SliceView(int newOffset, int[] newShape, int[] newStrides, Func<Tensor, Tensor> sameView)
    {
        var y = new Tensor(storage, newOffset, newShape, newStrides);
        return NeedsGrad(this) ? y.WithGradFn(new SliceNode(this, sameView)) : y;
    }

    /// <summary>Writes <paramref name="source"/>'s values (same shape) into this view's storage; no graph.</summary>
    internal void CopyFrom(Tensor source)
    {
        if (!Shapes.Equal(shape, source.shape))
            throw new ArgumentException($"CopyFrom: shapes {Shapes.Format(source.shape)} and {Shapes.Format(shape)} differ.");
        var src = source.To(DType);
        if (DType == DType.Float64)
            Kernels.StridedCopy.Copy(src.Buffer<double>(), src.offset, shape, src.strides, Buffer<double>(), offset, strides);
        else
            Kernels.StridedCopy.Copy(src.Buffer<float>(), src.offset, shape, src.strides, Buffer<float>(), offset, strides);
    }

    private sealed class SliceNode(Tensor x, Func<Tensor, Tensor> sameView) : GradNode(x)
    {
        public override string Name => "SliceBackward";
        protected internal override void Backward(Tensor dy)
        {
            // Write dy into the same slice of a zero gradient shaped like x (backward runs without recording).
            var gx = ZerosLike(x);
            sameView(gx).CopyFrom(dy);
            AccumulateGrad(0, gx);
        }
    }
}
