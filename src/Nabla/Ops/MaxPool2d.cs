using Nabla.Kernels;

namespace Nabla;

// y[n, c, oh, ow] = max over the window of x[n, c]   -- torch.nn.functional.max_pool2d
//   dx[n, c, argmax] += dy[n, c, oh, ow]   (the argmax is PyTorch's: the first maximum in row-major order, or the last NaN)
// The forward records the argmax of every window (int, like return_indices), so the backward is a scatter.
public partial class Tensor
{
    /// <summary>
    /// 2-D max pooling (<c>torch.nn.functional.max_pool2d</c>) of this (N, C, H, W) tensor: each output is the largest
    /// element of a kH x kW window (taps <paramref name="dilation"/> apart, the padding never chosen). The gradient goes
    /// to the first maximum of the window in row-major order; a NaN in the window wins and is propagated.
    /// </summary>
    /// <param name="kernelSize">The window size.</param>
    /// <param name="stride">Step between windows; default the kernel size (windows side by side).</param>
    /// <param name="padding">Implicit -inf padding on both sides; at most half the kernel size.</param>
    /// <param name="dilation">Spacing between window taps; default 1.</param>
    /// <param name="ceilMode">Round the output size up, so a partial window at the end is kept.</param>
    /// <exception cref="ArgumentException">The input is not 4-D, a setting is out of range, or the output would be empty.</exception>
    public Tensor MaxPool2d(Size2d kernelSize, Size2d? stride = null, Size2d? padding = null, Size2d? dilation = null, bool ceilMode = false)
    {
        var g = PoolChecks.Sliding("MaxPool2d", this, kernelSize, stride ?? kernelSize, padding ?? 0, dilation ?? 1, ceilMode);
        var x = Contiguous().Detach();
        var y = Uninitialized(DType, shape[0], shape[1], g.OH, g.OW); // every window writes its maximum and argmax
        var argmax = GC.AllocateUninitializedArray<int>(y.NumEl);
        int threads = Kernels.Threads.Count;
        if (DType == DType.Float64) MaxPool2dKernels.Forward(g, x.Memory<double>(), y.Memory<double>(), argmax, threads);
        else MaxPool2dKernels.Forward(g, x.Memory<float>(), y.Memory<float>(), argmax, threads);
        return NeedsGrad(this) ? y.WithGradFn(new MaxPool2dNode(this, argmax, g)) : y;
    }

    private sealed class MaxPool2dNode(Tensor input, int[] argmax, Pool2dGeometry g) : GradNode(input)
    {
        public override string Name => "MaxPool2DWithIndicesBackward";

        protected internal override void Backward(Tensor dy)
        {
            var x = Inputs[0];
            var gy = dy.To(x.DType).Contiguous();
            var dx = Empty(x.DType, x.shape);
            int threads = Kernels.Threads.Count;
            if (x.DType == DType.Float64) MaxPool2dKernels.Backward(g, gy.Memory<double>(), argmax, dx.Memory<double>(), threads);
            else MaxPool2dKernels.Backward(g, gy.Memory<float>(), argmax, dx.Memory<float>(), threads);
            AccumulateGrad(0, dx);
        }
    }
}
