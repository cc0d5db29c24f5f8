using Nabla.Kernels;

namespace Nabla;

// Softmax and LogSoftmax along one dim, each with its own fused backward.
//   y = exp(x - max) / sum(exp(x - max))          dx = y * (dy - sum(dy * y))
//   y = x - max - log(sum(exp(x - max)))          dx = dy - exp(y) * sum(dy)
// Why fused rather than composed from Exp/Sum/Div: the composite would record four or five nodes and keep
// as many intermediates alive until backward, and walk the data once per node; the fused backward needs only y
// and two passes over each row. For LogSoftmax it is also the stable form: log(softmax) would take the log of
// probabilities that have underflowed to 0 (giving -inf and NaN gradients) where x - max - logsumexp is exact.
// Subtracting the row maximum keeps every exp in (0, 1], so inputs like 1000 do not overflow.
public partial class Tensor
{
    /// <summary>Softmax along <paramref name="dim"/> (<c>F.softmax(x, dim)</c>): exp(x) / sum(exp(x)), computed stably.</summary>
    public Tensor Softmax(int dim) => SoftmaxCore(dim, log: false);

    /// <summary>Log-softmax along <paramref name="dim"/> (<c>F.log_softmax(x, dim)</c>): x - logsumexp(x), computed stably.</summary>
    public Tensor LogSoftmax(int dim) => SoftmaxCore(dim, log: true);

    private Tensor SoftmaxCore(int dim, bool log)
    {
        string op = log ? "LogSoftmax" : "Softmax";
        int d = Shapes.NormalizeDim(dim, Rank, op);
        var mask = SingleDimMask(d);
        // Rows along dim: a plain view of a contiguous tensor when dim is last, else a transposed copy.
        var src = ReducedDimsLast(mask, out int rows, out int length);
        var y = Empty(DType, src.shape);
        if (NumEl > 0)
        {
            if (DType == DType.Float64)
            {
                if (log) SoftmaxRows.LogForward(src.Span<double>(), rows, length, y.Span<double>());
                else SoftmaxRows.Forward(src.Span<double>(), rows, length, y.Span<double>());
            }
            else
            {
                if (log) SoftmaxRows.LogForward(src.Span<float>(), rows, length, y.Span<float>());
                else SoftmaxRows.Forward(src.Span<float>(), rows, length, y.Span<float>());
            }
        }
        y = DimBack(y, mask);
        return NeedsGrad(this) ? y.WithGradFn(new SoftmaxNode(this, y, mask, log)) : y;
    }

    /// <summary>Undoes <see cref="ReducedDimsLast"/> for a same-sized result, returning a contiguous tensor.</summary>
    private static Tensor DimBack(Tensor rowsLayout, bool[] mask)
    {
        if (mask[^1]) return rowsLayout; // dim was already last: same layout
        return rowsLayout.Permute(InversePermutation(ReducedDimsLastOrder(mask))).Contiguous();
    }

    private sealed class SoftmaxNode(Tensor x, Tensor y, bool[] mask, bool log) : GradNode(x)
    {
        public override string Name => log ? "LogSoftmaxBackward" : "SoftmaxBackward";
        protected internal override void Backward(Tensor dy)
        {
            var yRows = y.ReducedDimsLast(mask, out int rows, out int length);
            var dyRows = dy.To(y.DType).ReducedDimsLast(mask, out _, out _);
            var dx = Empty(y.DType, yRows.shape);
            if (y.NumEl > 0)
            {
                if (y.DType == DType.Float64)
                {
                    if (log) SoftmaxRows.LogBackward(yRows.Span<double>(), dyRows.Span<double>(), rows, length, dx.Span<double>());
                    else SoftmaxRows.Backward(yRows.Span<double>(), dyRows.Span<double>(), rows, length, dx.Span<double>());
                }
                else
                {
                    if (log) SoftmaxRows.LogBackward(yRows.Span<float>(), dyRows.Span<float>(), rows, length, dx.Span<float>());
                    else SoftmaxRows.Backward(yRows.Span<float>(), dyRows.Span<float>(), rows, length, dx.Span<float>());
                }
            }
            AccumulateGrad(0, DimBack(dx, mask));
        }
    }
}
