using System.Runtime.CompilerServices;
using System.Diagnostics;

namespace Nabla;

/// <summary>
/// An n-dimensional array of float32 (or float64) values with reverse-mode automatic differentiation.
/// </summary>
/// <remarks>
/// A tensor is a view: a shared storage array, an offset into it, a shape and strides (in elements).
/// Reshaping a contiguous tensor, transposing, permuting, slicing and expanding make new views of the
/// same storage without copying; an op copies to a contiguous layout only when its kernel needs one.
/// The surface follows PyTorch in .NET casing: <c>x.Sum(1, keepDim: true)</c>, <c>x.Backward()</c>,
/// <c>using (Tensor.NoGrad()) { ... }</c>.
/// </remarks>
public partial class Tensor
{
    /// <summary>The storage shared by all views of it: a <c>float[]</c> or a <c>double[]</c>.</summary>
    internal readonly Array storage;
    internal readonly int offset;
    internal readonly int[] shape;
    internal readonly int[] strides;
    private bool requiresGrad;

    /// <summary>Creates a view of <paramref name="storage"/>; the arrays are owned by the new tensor.</summary>
    internal Tensor(Array storage, int offset, int[] shape, int[] strides)
    {
        this.storage = storage;
        this.offset = offset;
        this.shape = shape;
        this.strides = strides;
        DType = storage is double[] ? DType.Float64 : DType.Float32;
        NumEl = Shapes.NumEl(shape);
    }

    /// <summary>Creates a contiguous tensor over <paramref name="storage"/> (which it then owns).</summary>
    internal Tensor(Array storage, int[] shape) : this(storage, 0, shape, Shapes.ContiguousStrides(shape)) { }

    /// <summary>The element type.</summary>
    public DType DType { get; }

    /// <summary>The size of each dimension (<c>x.shape</c> in PyTorch).</summary>
    public IReadOnlyList<int> Shape => shape;

    /// <summary>The number of dimensions (<c>x.dim()</c>).</summary>
    public int Rank => shape.Length;

    /// <summary>The number of elements (<c>x.numel()</c>).</summary>
    public int NumEl { get; }

    /// <summary>The distance in elements between neighbours along each dimension (<c>x.stride()</c>).</summary>
    public IReadOnlyList<int> Strides => strides;

    /// <summary>The size of dimension <paramref name="dim"/>; negative dims count from the end.</summary>
    public int Size(int dim) => shape[Shapes.NormalizeDim(dim, Rank, "Size")];

    /// <summary>True when the elements are laid out row-major with no gaps, so kernels can use one flat span.</summary>
    public bool IsContiguous => Shapes.IsContiguous(shape, strides);

    /// <summary>
    /// Whether gradients are recorded for this tensor. Settable on leaves (tensors not made by an op),
    /// like <c>x.requires_grad_()</c>; a tensor made by an op requires grad when any input does.
    /// </summary>
    public bool RequiresGrad
    {
        get => requiresGrad;
        set
        {
            if (GradFn is not null && !value)
                throw new InvalidOperationException(
                    $"RequiresGrad cannot be turned off on a tensor made by {GradFn.Name}: use Detach() to get a tensor outside the graph.");
            requiresGrad = value;
        }
    }

    /// <summary>
    /// The gradient accumulated by <see cref="Backward(Tensor?)"/> for a leaf that requires grad;
    /// null until the first backward. Gradients add up across backward calls until <see cref="ZeroGrad"/>.
    /// </summary>
    public Tensor? Grad { get; set; }

    /// <summary>The node that made this tensor and knows its backward, or null for a leaf.</summary>
    public GradNode? GradFn { get; private set; }

    /// <summary>True for a tensor not made by a recorded op (user data and parameters).</summary>
    public bool IsLeaf => GradFn is null;

    /// <summary>Records that <paramref name="node"/> made this tensor (called once by the op that created it).</summary>
    internal Tensor WithGradFn(GradNode node)
    {
        GradFn = node;
        requiresGrad = true;
        return this;
    }

    /// <summary>Clears the accumulated gradient (<c>x.grad = None</c>).</summary>
    public void ZeroGrad() => Grad = null;

    // ----- raw access for kernels -----

    /// <summary>The storage array as <typeparamref name="T"/>[]; the caller has checked the dtype.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal T[] Buffer<T>() => (T[])storage;

    /// <summary>The elements of a contiguous tensor as one span.</summary>
    internal Span<T> Span<T>()
    {
        Debug.Assert(IsContiguous, "Span<T>() needs a contiguous tensor");
        // An empty view's offset may point past the end of its storage (x[1] of a (2, 0) tensor): never slice there.
        return NumEl == 0 ? default : new Span<T>(Buffer<T>(), offset, NumEl);
    }

    /// <summary>The storage array as float[]; throws a clear error for float64 tensors.</summary>
    internal float[] FloatBuffer() => storage as float[]
        ?? throw new InvalidOperationException("This operation needs a float32 tensor; call .Float() first.");

    internal static Type ClrType(DType dtype) => dtype == DType.Float64 ? typeof(double) : typeof(float);

    internal static Array Allocate(DType dtype, int count) =>
        dtype == DType.Float64 ? new double[count] : new float[count];

    // ----- conversion out -----

    /// <summary>The elements in row-major order as float32 (converting float64).</summary>
    public float[] ToArray()
    {
        var c = Contiguous();
        if (c.DType == DType.Float32) return c.Span<float>().ToArray();
        var result = new float[NumEl];
        var src = c.Span<double>();
        for (int i = 0; i < result.Length; i++) result[i] = (float)src[i];
        return result;
    }

    /// <summary>The elements in row-major order as float64.</summary>
    public double[] ToDoubleArray()
    {
        var c = Contiguous();
        if (c.DType == DType.Float64) return c.Span<double>().ToArray();
        var result = new double[NumEl];
        var src = c.Span<float>();
        for (int i = 0; i < result.Length; i++) result[i] = src[i];
        return result;
    }

    /// <summary>The single value of a one-element tensor (<c>x.item()</c>).</summary>
    /// <exception cref="InvalidOperationException">The tensor does not have exactly one element.</exception>
    public float Item() => (float)ItemAsDouble();

    /// <summary>The single value of a one-element tensor, in double precision.</summary>
    public double ItemAsDouble()
    {
        if (NumEl != 1)
            throw new InvalidOperationException(
                $"Item() needs a tensor with exactly one element, but this one has shape {Shapes.Format(shape)} ({NumEl} elements).");
        return DType == DType.Float64 ? Buffer<double>()[offset] : Buffer<float>()[offset];
    }

    /// <summary>The element at <paramref name="index"/> (one index per dimension), as a double.</summary>
    internal double GetDouble(ReadOnlySpan<int> index)
    {
        int at = offset;
        for (int d = 0; d < index.Length; d++) at += index[d] * strides[d];
        return DType == DType.Float64 ? Buffer<double>()[at] : Buffer<float>()[at];
    }
}
