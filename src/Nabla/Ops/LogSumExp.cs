using Nabla.Kernels;

namespace Nabla;

// y = log(sum(exp(x))) over the dims, computed as m + log(sum(exp(x - m))) with m the maximum (no overflow even
// for x ~ 1000, where exp(x) alone is inf);   dx += dy * exp(x - y)   (the softmax of x; reuses y)
public partial class Tensor
{
    /// <summary>log(sum(exp(x))) over <paramref name="dim"/>, without overflow (<c>torch.logsumexp(x, dim, keepdim)</c>).</summary>
    public Tensor LogSumExp(int dim, bool keepDim = false) => LogSumExp([dim], keepDim);

    /// <summary>log(sum(exp(x))) over several dims at once; -inf over no elements.</summary>
    public Tensor LogSumExp(int[] dims, bool keepDim = false)
    {
        var mask = ReducedDimsMask(dims, "LogSumExp");
        var src = ReducedDimsLast(mask, out int rows, out int length);
        var y = Empty(DType, ReducedShape(mask, keepDim));
        if (DType == DType.Float64) Reduce.LogSumExpRows(src.Span<double>(), rows, length, y.Span<double>());
        else Reduce.LogSumExpRows(src.Span<float>(), rows, length, y.Span<float>());
        return NeedsGrad(this) ? y.WithGradFn(new LogSumExpNode(this, y, mask)) : y;
    }

    private sealed class LogSumExpNode(Tensor x, Tensor y, bool[] mask) : GradNode(x)
    {
        public override string Name => "LogsumexpBackward";
        protected internal override void Backward(Tensor dy)
        {
            var keep = x.ReducedShape(mask, keepDim: true);
            AccumulateGrad(0, (x - y.Reshape(keep)).Exp() * dy.Reshape(keep));
        }
    }
}
