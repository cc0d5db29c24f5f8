using Nabla.Kernels;

namespace Nabla;

// y[n, c, oh, ow] = (sum of x[n, c] over the window) / divisor   -- torch.nn.functional.avg_pool2d
//   divisor = the window's size clipped to the padded input (countIncludePad), or to the input alone (otherwise),
//   or divisorOverride;   dx += dy / divisor at every element of the window.
// Windows are described one dim at a time (AvgPoolWindows) and shared with AdaptiveAvgPool2d, which builds its own.
public partial class Tensor
{
    /// <summary>
    /// 2-D average pooling (<c>torch.nn.functional.avg_pool2d</c>) of this (N, C, H, W) tensor over kH x kW windows.
    /// With <paramref name="countIncludePad"/> the zero padding counts in the divisor (PyTorch's default); without it
    /// each window is averaged over its elements inside the input.
    /// </summary>
    /// <param name="kernelSize">The window size.</param>
    /// <param name="stride">Step between windows; default the kernel size.</param>
    /// <param name="padding">Zero padding on both sides; at most half the kernel size.</param>
    /// <param name="ceilMode">Round the output size up, so a partial window at the end is kept.</param>
    /// <param name="countIncludePad">Whether the padding counts in the divisor.</param>
    /// <param name="divisorOverride">A fixed divisor instead of the window size.</param>
    /// <exception cref="ArgumentException">The input is not 4-D, a setting is out of range, or the output would be empty.</exception>
    public Tensor AvgPool2d(Size2d kernelSize, Size2d? stride = null, Size2d? padding = null, bool ceilMode = false,
                            bool countIncludePad = true, int? divisorOverride = null)
    {
        const string op = "AvgPool2d";
        if (divisorOverride is int d && d == 0) throw new ArgumentException($"{op}: divisor_override must be non-zero.");
        var g = PoolChecks.Sliding(op, this, kernelSize, stride ?? kernelSize, padding ?? 0, 1, ceilMode);
        var (hs, he, hc) = Windows(g.OH, g.SH, g.PH, g.KH, g.H, countIncludePad);
        var (ws, we, wc) = Windows(g.OW, g.SW, g.PW, g.KW, g.W, countIncludePad);
        return AveragePool(this, g, new AvgPoolWindows(hs, he, hc, ws, we, wc, divisorOverride ?? 0), "AvgPool2DBackward");

        // PyTorch's avg_pool2d: the window is clipped to the padded input for the divisor, then to the input for the sum.
        static (int[] Start, int[] End, int[] Count) Windows(int outSize, int stride, int pad, int kernel, int size, bool includePad)
        {
            var start = new int[outSize];
            var end = new int[outSize];
            var count = new int[outSize];
            for (int o = 0; o < outSize; o++)
            {
                int s = o * stride - pad, e = Math.Min(s + kernel, size + pad);
                int padded = e - s;
                s = Math.Max(s, 0);
                e = Math.Min(e, size);
                (start[o], end[o], count[o]) = (s, e, includePad ? padded : e - s);
            }
            return (start, end, count);
        }
    }

    /// <summary>Runs a checked average pooling over the given windows and records its backward.</summary>
    internal static Tensor AveragePool(Tensor input, Pool2dGeometry g, AvgPoolWindows windows, string nodeName)
    {
        var x = input.Contiguous().Detach();
        var y = Empty(input.DType, input.shape[0], input.shape[1], g.OH, g.OW);
        int threads = Kernels.Threads.Count;
        if (y.NumEl > 0)
        {
            if (input.DType == DType.Float64) AvgPool2dKernels.Forward(g, windows, x.Memory<double>(), y.Memory<double>(), threads);
            else AvgPool2dKernels.Forward(g, windows, x.Memory<float>(), y.Memory<float>(), threads);
        }
        return NeedsGrad(input) ? y.WithGradFn(new AvgPoolNode(input, g, windows, nodeName)) : y;
    }

    private sealed class AvgPoolNode(Tensor input, Pool2dGeometry g, AvgPoolWindows windows, string name) : GradNode(input)
    {
        public override string Name => name;

        protected internal override void Backward(Tensor dy)
        {
            var x = Inputs[0];
            var gy = dy.To(x.DType).Contiguous();
            var dx = Empty(x.DType, x.shape);
            int threads = Kernels.Threads.Count;
            if (gy.NumEl > 0)
            {
                if (x.DType == DType.Float64) AvgPool2dKernels.Backward(g, windows, gy.Memory<double>(), dx.Memory<double>(), threads);
                else AvgPool2dKernels.Backward(g, windows, gy.Memory<float>(), dx.Memory<float>(), threads);
            }
            AccumulateGrad(0, dx);
        }
    }
}
