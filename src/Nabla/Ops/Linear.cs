using Nabla.Kernels;

namespace Nabla;

// y = x W^T + b   (x: (..., in), W: (out, in), b: (out,))  -- torch.nn.functional.linear
//   dx += dy W,   dW += dy^T x,   db += sum of dy over all rows
// Fused: one GEMM reads W transposed in place, and the bias is written into the output before it
// (beta = 1), so the forward makes no temporaries.
public partial class Tensor
{
    /// <summary>
    /// The affine map y = x W^T + b of a fully connected layer (<c>torch.nn.functional.linear</c>):
    /// <paramref name="input"/> (..., in), <paramref name="weight"/> (out, in), <paramref name="bias"/> (out,) or null.
    /// </summary>
    /// <exception cref="ArgumentException">The sizes do not fit together (the message names the shapes).</exception>
    public static Tensor Linear(Tensor input, Tensor weight, Tensor? bias = null)
    {
        if (weight.Rank != 2 || input.Rank == 0 || input.shape[^1] != weight.shape[1])
            throw new ArgumentException(
                $"Linear: input {Shapes.Format(input.shape)} does not fit weight {Shapes.Format(weight.shape)} (expected input (..., {(weight.Rank == 2 ? weight.shape[1] : -1)}) and weight (out, in)).");
        int outFeatures = weight.shape[0], inFeatures = weight.shape[1];
        if (bias is not null && (bias.Rank != 1 || bias.shape[0] != outFeatures))
            throw new ArgumentException($"Linear: bias {Shapes.Format(bias.shape)} does not fit weight {Shapes.Format(weight.shape)} (expected ({outFeatures},)).");
        var dtype = input.DType == DType.Float64 || weight.DType == DType.Float64 || bias?.DType == DType.Float64 ? DType.Float64 : DType.Float32;

        var x = input.To(dtype).Detach().Contiguous();
        var w = weight.To(dtype).Detach().Contiguous();
        int rows = Shapes.NumEl(input.shape.AsSpan(0, input.Rank - 1));
        var outShape = (int[])input.shape.Clone();
        outShape[^1] = outFeatures;
        var y = Uninitialized(dtype, outShape); // written whole: bias rows then beta = 1, or beta = 0
        if (y.NumEl > 0)
        {
            float beta = 0f;
            if (bias is not null)
            {
                // Seed every output row with the bias; the GEMM then adds x W^T on top (beta = 1).
                var bvec = bias.To(dtype).Detach().Contiguous();
                if (dtype == DType.Float64) FillRows(bvec.Span<double>(), y.Span<double>());
                else FillRows(bvec.Span<float>(), y.Span<float>());
                beta = 1f;
            }
            if (dtype == DType.Float64)
                Gemm.Dgemm(false, true, rows, outFeatures, inFeatures, 1.0, x.Span<double>(), inFeatures, w.Span<double>(), inFeatures,
                           beta, y.Span<double>(), outFeatures);
            else
                Gemm.Sgemm(false, true, rows, outFeatures, inFeatures, 1f, x.Span<float>(), inFeatures, w.Span<float>(), inFeatures,
                           beta, y.Span<float>(), outFeatures);
        }
        var inputs = bias is null ? new[] { input, weight } : new[] { input, weight, bias };
        return NeedsGrad(inputs) ? y.WithGradFn(new LinearNode(inputs)) : y;
    }

    /// <summary>Copies <paramref name="bias"/> (out,) into every row of <paramref name="y"/> (rows * out).</summary>
    private static void FillRows<T>(ReadOnlySpan<T> bias, Span<T> y)
    {
        for (int start = 0; start < y.Length; start += bias.Length) bias.CopyTo(y.Slice(start, bias.Length));
    }

    /// <summary>
    /// dW = dy^T x by one GEMM written straight into a float32 weight's gradient: into a new buffer (beta = 0)
    /// when it has none, else added to it (beta = 1). This saves the (out, in) temporary and the copy a leaf
    /// otherwise makes of it (800 KB each for a 784 x 256 layer). False when the operands do not fit this path.
    /// </summary>
    private static bool WeightGradInPlace(Tensor w, Tensor dy2, Tensor x2)
    {
        if (!w.IsLeaf || w.DType != DType.Float32 || dy2.DType != DType.Float32 || x2.DType != DType.Float32) return false;
        var grad = w.Grad;
        if (grad is not null && (grad.DType != DType.Float32 || !grad.IsContiguous || !Shapes.Equal(grad.shape, w.shape))) return false;
        int rows = dy2.shape[0], outFeatures = w.shape[0], inFeatures = w.shape[1];
        var dyc = dy2.Contiguous();
        var xc = x2.Contiguous();
        bool fresh = grad is null;
        grad ??= Uninitialized(DType.Float32, outFeatures, inFeatures); // beta = 0 writes every element
        Gemm.Sgemm(true, false, outFeatures, inFeatures, rows, 1f, dyc.Span<float>(), outFeatures, xc.Span<float>(), inFeatures,
                   fresh ? 0f : 1f, grad.Span<float>(), inFeatures);
        if (fresh) w.Grad = grad;
        return true;
    }

    private sealed class LinearNode(Tensor[] inputs) : GradNode(inputs)
    {
        public override string Name => "LinearBackward";
        protected internal override void Backward(Tensor dy)
        {
            var x = Inputs[0];
            var w = Inputs[1];
            int inFeatures = w.shape[1], outFeatures = w.shape[0];
            var dy2 = dy.Reshape(-1, outFeatures);                 // (rows, out)
            if (NeedsGrad(0)) AccumulateGrad(0, dy2.MatMul(w).Reshape(x.shape));          // (rows, in)
            if (NeedsGrad(1))
            {
                var x2 = x.Reshape(-1, inFeatures);                                        // (rows, in)
                if (!WeightGradInPlace(w, dy2, x2)) AccumulateGrad(1, dy2.T.MatMul(x2));   // (out, in)
            }
            if (Inputs.Count > 2 && NeedsGrad(2)) AccumulateGrad(2, dy2.Sum(0));           // (out,)
        }
    }
}
