using System.Numerics;
using System.Numerics.Tensors;

namespace Nabla.Kernels;

/// <summary>
/// The transposed convolution run on <see cref="Conv2dKernels"/>: it is the input gradient of the convolution whose
/// geometry <see cref="Conv2dGeometry"/> has the transposed convolution's output as its input (see
/// <see cref="AsConvolution"/>). So the three passes are the convolution's, with the roles of x and y swapped:
/// <code>
///   forward:       y  = conv_input_grad(w, x)  = col2im(W^T x)      (the convolution's data gradient)
///   input grad:    dx = conv(dy, w)                                (the convolution's forward)
///   weight grad:   dW = conv_weight_grad(input = dy, grad = x)     (the convolution's weight gradient)
///   bias grad:     db[o] = sum of dy[n, o, :, :]
/// </code>
/// The weight (C_in, C_out / groups, KH, KW) is exactly that convolution's weight (O = C_in, C = C_out).
/// </summary>
internal static class ConvTranspose2dKernels
{
    /// <summary>
    /// The convolution that maps the transposed convolution's output (N, C_out, OH, OW) back to its input
    /// (N, C_in, H, W): same kernel, stride, padding, dilation and groups. With output padding smaller than the
    /// stride its output size is exactly H (the output padding rows are the remainder the floor drops).
    /// </summary>
    public static Conv2dGeometry AsConvolution(int n, int cIn, int cOut, int oh, int ow, int kh, int kw,
                                               int sh, int sw, int ph, int pw, int dh, int dw, int groups)
        => new(n, cOut, oh, ow, cIn, kh, kw, sh, sw, ph, pw, dh, dw, groups);

    /// <summary>y (N, C_out, OH, OW) from x (N, C_in, H, W), w (C_in, C_out / groups, KH, KW), bias (C_out,) or empty; y zero on entry.</summary>
    public static void Forward<T>(in Conv2dGeometry conv, ReadOnlyMemory<T> x, ReadOnlyMemory<T> w, ReadOnlyMemory<T> bias, Memory<T> y)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Conv2dKernels.Backward(conv, default, w, x, y, default, default);
        if (bias.IsEmpty) return;
        var output = y.Span;
        var b = bias.Span;
        int plane = conv.ImageSize / conv.C;
        for (int n = 0; n < conv.N; n++)
            for (int o = 0; o < conv.C; o++)
            {
                var row = output.Slice((n * conv.C + o) * plane, plane);
                TensorPrimitives.Add(row, b[o], row);
            }
    }

    /// <summary>
    /// Gradients for output gradient dy (N, C_out, OH, OW): dx (N, C_in, H, W), dw and db, each skipped when empty.
    /// dw and db must be zero on entry (they are added to); dx is overwritten.
    /// </summary>
    public static void Backward<T>(in Conv2dGeometry conv, ReadOnlyMemory<T> x, ReadOnlyMemory<T> w, ReadOnlyMemory<T> dy,
                                   Memory<T> dx, Memory<T> dw, Memory<T> db)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (!dx.IsEmpty) Conv2dKernels.Forward(conv, dy, w, default, dx);
        if (!dw.IsEmpty) Conv2dKernels.Backward(conv, dy, w, x, default, dw, default);
        if (db.IsEmpty) return;
        var gradOut = dy.Span;
        var gradBias = db.Span;
        int plane = conv.ImageSize / conv.C;
        for (int n = 0; n < conv.N; n++)
            for (int o = 0; o < conv.C; o++)
                gradBias[o] += TensorPrimitives.Sum<T>(gradOut.Slice((n * conv.C + o) * plane, plane));
    }
}
