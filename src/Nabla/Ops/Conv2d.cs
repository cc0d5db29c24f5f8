using Nabla.Kernels;

namespace Nabla;

// y[n, o] = b[o] + sum over c in o's group of (w[o, c] cross-correlated with x[n, c])   -- torch.nn.functional.conv2d
//   dx = the convolution transposed: col2im(W^T dy),   dW = sum over n of dy col^T,   db = sum of dy over n, oh, ow
// The kernels (Kernels/Conv2dKernels.cs) do each as one GEMM per image and group on the im2col matrix; the node keeps
// the input and weight (not the im2col matrices, which would be KH * KW times the input) and unfolds again backward.
public partial class Tensor
{
    /// <summary>
    /// 2-D convolution (<c>torch.nn.functional.conv2d</c>, a cross-correlation as in every deep-learning library):
    /// <paramref name="input"/> (N, C, H, W), <paramref name="weight"/> (O, C / groups, kH, kW) and an optional
    /// <paramref name="bias"/> (O,) give (N, O, OH, OW) with OH = (H + 2 padding - dilation (kH - 1) - 1) / stride + 1
    /// (rounded down; likewise OW). Zero padding. Input channel c belongs to group c / (C / groups), and so does
    /// output channel o to group o / (O / groups).
    /// </summary>
    /// <param name="input">(N, C, H, W).</param>
    /// <param name="weight">(O, C / groups, kH, kW).</param>
    /// <param name="bias">(O,), or null.</param>
    /// <param name="stride">Step between windows; default 1.</param>
    /// <param name="padding">Zeros added on both sides of each spatial dim; default 0.</param>
    /// <param name="dilation">Spacing between kernel taps; default 1.</param>
    /// <param name="groups">Channel groups convolved separately; C and O must be divisible by it (C for depthwise).</param>
    /// <exception cref="ArgumentException">A rank, channel count or size does not fit (the message names the shapes).</exception>
    public static Tensor Conv2d(Tensor input, Tensor weight, Tensor? bias = null, Size2d? stride = null, Size2d? padding = null,
                                Size2d? dilation = null, int groups = 1)
    {
        Size2d s = stride ?? 1, p = padding ?? 0, d = dilation ?? 1;
        var g = ConvChecks.Convolution("Conv2d", input, weight, bias, [s.H, s.W], [p.H, p.W], [d.H, d.W], groups);
        return Convolution(g, input, weight, bias, [g.N, g.O, g.OH, g.OW]);
    }

    /// <summary>Runs a checked convolution; <paramref name="outShape"/> is (N, O, OH, OW), or (N, O, OW) for Conv1d.</summary>
    internal static Tensor Convolution(in Conv2dGeometry g, Tensor input, Tensor weight, Tensor? bias, int[] outShape)
    {
        var dtype = input.DType == DType.Float64 || weight.DType == DType.Float64 || bias?.DType == DType.Float64
            ? DType.Float64 : DType.Float32;
        var x = input.To(dtype).Detach().Contiguous();
        var w = weight.To(dtype).Detach().Contiguous();
        var b = bias?.To(dtype).Detach().Contiguous();
        var y = Uninitialized(dtype, outShape); // every element is written (the bias, or the GEMM with beta = 0)
        if (y.NumEl > 0)
        {
            if (dtype == DType.Float64) Conv2dKernels.Forward(g, x.Memory<double>(), w.Memory<double>(), b?.Memory<double>() ?? default, y.Memory<double>());
            else Conv2dKernels.Forward(g, x.Memory<float>(), w.Memory<float>(), b?.Memory<float>() ?? default, y.Memory<float>());
        }
        var inputs = bias is null ? new[] { input, weight } : new[] { input, weight, bias };
        return NeedsGrad(inputs) ? y.WithGradFn(new ConvolutionNode(inputs, x, w, g)) : y;
    }

    private sealed class ConvolutionNode(Tensor[] inputs, Tensor x, Tensor w, Conv2dGeometry g) : GradNode(inputs)
    {
        public override string Name => "ConvolutionBackward";

        protected internal override void Backward(Tensor dy)
        {
            bool needX = NeedsGrad(0), needW = NeedsGrad(1), needB = Inputs.Count > 2 && NeedsGrad(2);
            var gy = dy.To(x.DType).Contiguous();
            var dx = needX ? Empty(x.DType, x.shape) : null;
            var dw = needW ? Empty(x.DType, w.shape) : null;
            var db = needB ? Empty(x.DType, g.O) : null;
            if (g.N > 0 && g.P > 0)
            {
                if (x.DType == DType.Float64)
                    Conv2dKernels.Backward(g, x.Memory<double>(), w.Memory<double>(), gy.Memory<double>(),
                                           dx?.Memory<double>() ?? default, dw?.Memory<double>() ?? default, db?.Memory<double>() ?? default);
                else
                    Conv2dKernels.Backward(g, x.Memory<float>(), w.Memory<float>(), gy.Memory<float>(),
                                           dx?.Memory<float>() ?? default, dw?.Memory<float>() ?? default, db?.Memory<float>() ?? default);
            }
            if (dx is not null) AccumulateGrad(0, dx);
            if (dw is not null) AccumulateGrad(1, dw);
            if (db is not null) AccumulateGrad(2, db);
        }
    }
}
