using System.Numerics.Tensors;

namespace Nabla;

// In-place updates (PyTorch's add_, sub_, mul_, fill_, zero_, copy_): they change the storage and record
// nothing, so they are for weight updates and buffers. Like PyTorch, changing a tensor that requires grad
// while the graph is being recorded is refused: wrap updates in Tensor.NoGrad().
public partial class Tensor
{
    /// <summary>this += <paramref name="alpha"/> * <paramref name="other"/> (other broadcast to this shape); returns this.</summary>
    public Tensor AddInPlace(Tensor other, float alpha = 1f)
    {
        CheckInPlace("AddInPlace");
        var src = other.To(DType);
        if (IsContiguous && src.IsContiguous && Shapes.Equal(src.shape, shape))
        {
            // The optimizer's hot path: one fused multiply-add over flat spans, no temporary.
            if (DType == DType.Float64) TensorPrimitives.MultiplyAdd(src.Span<double>(), (double)alpha, Span<double>(), Span<double>());
            else TensorPrimitives.MultiplyAdd(src.Span<float>(), alpha, Span<float>(), Span<float>());
            return this;
        }
        var broadcast = Shapes.Broadcast("AddInPlace", shape, src.shape);
        if (!Shapes.Equal(broadcast, shape))
            throw new ArgumentException($"AddInPlace: a tensor of shape {Shapes.Format(src.shape)} cannot be added into one of shape {Shapes.Format(shape)}.");
        using (NoGrad()) CopyFrom(Detach() + src.Detach() * alpha);
        return this;
    }

    /// <summary>this -= <paramref name="other"/>; returns this.</summary>
    public Tensor SubInPlace(Tensor other) => AddInPlace(other, -1f);

    /// <summary>this *= <paramref name="factor"/>; returns this.</summary>
    public Tensor MulInPlace(float factor)
    {
        CheckInPlace("MulInPlace");
        if (IsContiguous)
        {
            if (DType == DType.Float64) TensorPrimitives.Multiply(Span<double>(), (double)factor, Span<double>());
            else TensorPrimitives.Multiply(Span<float>(), factor, Span<float>());
        }
        else using (NoGrad()) CopyFrom(Detach() * factor);
        return this;
    }

    /// <summary>Sets every element to <paramref name="value"/>; returns this.</summary>
    public Tensor FillInPlace(float value)
    {
        CheckInPlace("FillInPlace");
        if (IsContiguous)
        {
            if (DType == DType.Float64) Span<double>().Fill(value);
            else Span<float>().Fill(value);
        }
        else CopyFrom(FullLike(this, value));
        return this;
    }

    /// <summary>Sets every element to zero; returns this.</summary>
    public Tensor ZeroInPlace() => FillInPlace(0f);

    /// <summary>Copies <paramref name="source"/>'s values (broadcast to this shape) into this tensor; returns this.</summary>
    public Tensor CopyInPlace(Tensor source)
    {
        CheckInPlace("CopyInPlace");
        var broadcast = Shapes.Broadcast("CopyInPlace", shape, source.shape);
        if (!Shapes.Equal(broadcast, shape))
            throw new ArgumentException($"CopyInPlace: a tensor of shape {Shapes.Format(source.shape)} cannot be copied into one of shape {Shapes.Format(shape)}.");
        CopyFrom(source.Detach().Expand(shape));
        return this;
    }

    private void CheckInPlace(string op)
    {
        if (RequiresGrad && GradMode.IsEnabled)
            throw new InvalidOperationException(
                $"{op}: this tensor requires grad, and changing it in place while the graph is recorded would corrupt the gradients; do the update inside using (Tensor.NoGrad()) {{ ... }}.");
    }
}
