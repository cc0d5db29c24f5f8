using Nabla.Kernels;

namespace Nabla;

// y = the transposed convolution of x by w (+ b)   -- torch.nn.functional.conv_transpose2d
//   = the input gradient of conv2d(., w) applied to x, with OH = (H - 1) SH - 2 PH + DH (KH - 1) + OPH + 1;
//   dx = conv2d(dy, w),   dW = conv2d's weight gradient with input dy and output gradient x,   db = sum of dy over n, h, w.
// All three run on the convolution's GEMM/im2col kernels (Kernels/ConvTranspose2dKernels.cs); the node keeps x and w.
public partial class Tensor
{
    /// <summary>
    /// 2-D transposed convolution (<c>torch.nn.functional.conv_transpose2d</c>, sometimes called a fractionally
    /// strided convolution or "deconvolution"): <paramref name="input"/> (N, C_in, H, W), <paramref name="weight"/>
    /// (C_in, C_out / groups, kH, kW) and an optional <paramref name="bias"/> (C_out,) give (N, C_out, OH, OW) with
    /// OH = (H - 1) stride - 2 padding + dilation (kH - 1) + output_padding + 1 (likewise OW). It is the gradient of
    /// <see cref="Conv2d"/> with respect to its input, so it maps a convolution's output shape back to its input shape;
    /// <paramref name="outputPadding"/> picks among the input sizes a strided convolution maps to the same output.
    /// </summary>
    /// <param name="input">(N, C_in, H, W).</param>
    /// <param name="weight">(C_in, C_out / groups, kH, kW): PyTorch's layout, input channels first.</param>
    /// <param name="bias">(C_out,), or null.</param>
    /// <param name="stride">Step between the input pixels' footprints in the output; default 1.</param>
    /// <param name="padding">Rows and columns cropped from each side of the full output (the convolution's padding); default 0.</param>
    /// <param name="outputPadding">Extra rows and columns added at the bottom and right; must be smaller than the stride; default 0.</param>
    /// <param name="groups">Channel groups; C_in must be divisible by it.</param>
    /// <param name="dilation">Spacing between kernel taps; default 1.</param>
    /// <exception cref="ArgumentException">A rank, channel count or setting does not fit, or the output would be empty (the message names the shapes).</exception>
    public static Tensor ConvTranspose2d(Tensor input, Tensor weight, Tensor? bias = null, Size2d? stride = null, Size2d? padding = null,
                                         Size2d? outputPadding = null, int groups = 1, Size2d? dilation = null)
    {
        Size2d s = stride ?? 1, p = padding ?? 0, op = outputPadding ?? 0, d = dilation ?? 1;
        var conv = ConvTransposeChecks.Check(input, weight, bias, s, p, op, d, groups);
        var dtype = input.DType == DType.Float64 || weight.DType == DType.Float64 || bias?.DType == DType.Float64
            ? DType.Float64 : DType.Float32;
        var x = input.To(dtype).Detach().Contiguous();
        var w = weight.To(dtype).Detach().Contiguous();
        var y = Empty(dtype, conv.N, conv.C, conv.H, conv.W);    // (N, C_out, OH, OW)
        if (y.NumEl > 0)
        {
            var b = bias?.To(dtype).Detach().Contiguous();
            if (dtype == DType.Float64) ConvTranspose2dKernels.Forward(conv, x.Memory<double>(), w.Memory<double>(), MemoryOf<double>(b), y.Memory<double>());
            else ConvTranspose2dKernels.Forward(conv, x.Memory<float>(), w.Memory<float>(), MemoryOf<float>(b), y.Memory<float>());
        }
        var inputs = bias is null ? new[] { input, weight } : new[] { input, weight, bias };
        return NeedsGrad(inputs) ? y.WithGradFn(new ConvTranspose2dNode(inputs, x, w, conv)) : y;
    }

    /// <summary>The elements of <paramref name="t"/>, or empty for none (the kernels' "skip this" marker).</summary>
    private static Memory<T> MemoryOf<T>(Tensor? t) where T : unmanaged => t is null ? default : t.Memory<T>();

    private sealed class ConvTranspose2dNode(Tensor[] inputs, Tensor x, Tensor w, Conv2dGeometry conv) : GradNode(inputs)
    {
        public override string Name => "ConvolutionBackward";

        protected internal override void Backward(Tensor dy)
        {
            var gy = dy.To(x.DType).Contiguous();
            var dx = NeedsGrad(0) ? Empty(x.DType, x.shape) : null;
            var dw = NeedsGrad(1) ? Empty(x.DType, w.shape) : null;
            var db = Inputs.Count > 2 && NeedsGrad(2) ? Empty(x.DType, conv.C) : null;
            if (conv.N > 0 && x.NumEl > 0)
            {
                if (x.DType == DType.Float64) Run<double>();
                else Run<float>();
            }
            Tensor?[] grads = [dx, dw, db];
            for (int i = 0; i < grads.Length; i++)
                if (grads[i] is Tensor g) AccumulateGrad(i, g);

            void Run<T>() where T : unmanaged, System.Numerics.IFloatingPointIeee754<T> =>
                ConvTranspose2dKernels.Backward(conv, x.Memory<T>(), w.Memory<T>(), gy.Memory<T>(), MemoryOf<T>(dx), MemoryOf<T>(dw), MemoryOf<T>(db));
        }
    }
}
