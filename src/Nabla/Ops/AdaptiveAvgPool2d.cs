using Nabla.Kernels;

namespace Nabla;

// y[n, c, oh, ow] = mean of x[n, c, hs:he, ws:we]   -- torch.nn.functional.adaptive_avg_pool2d
//   with PyTorch's windows hs = floor(oh H / OH), he = ceil((oh + 1) H / OH) (likewise for the width), so windows
//   may overlap by one when H is not a multiple of OH;  dx += dy / window size over each window.
public partial class Tensor
{
    /// <summary>
    /// 2-D adaptive average pooling (<c>torch.nn.functional.adaptive_avg_pool2d</c>) of this (N, C, H, W) tensor to
    /// (N, C, outH, outW): output (oh, ow) averages rows [floor(oh H / outH), ceil((oh + 1) H / outH)) and the
    /// columns likewise. An output size of 1 is global average pooling.
    /// </summary>
    /// <param name="outputSize">The output (height, width), or one int for both.</param>
    /// <exception cref="ArgumentException">The input is not 4-D or has an empty plane, or an output size is negative.</exception>
    public Tensor AdaptiveAvgPool2d(Size2d outputSize)
    {
        const string op = "AdaptiveAvgPool2d";
        PoolChecks.FourD(op, this);
        if (outputSize.H < 0 || outputSize.W < 0)
            throw new ArgumentException($"{op}: output_size must be non-negative, got {outputSize}.");
        int h = shape[2], w = shape[3];
        if (h == 0 || w == 0)
            throw new ArgumentException($"{op}: the input {Shapes.Format(shape)} has an empty plane; expected non-zero H and W.");
        var (hs, he, hc) = Windows(outputSize.H, h);
        var (ws, we, wc) = Windows(outputSize.W, w);
        var g = new Pool2dGeometry(shape[0] * shape[1], h, w, outputSize.H, outputSize.W, 0, 0, 0, 0, 0, 0, 1, 1);
        return AveragePool(this, g, new AvgPoolWindows(hs, he, hc, ws, we, wc, 0), "AdaptiveAvgPool2DBackward");

        static (int[] Start, int[] End, int[] Count) Windows(int outSize, int size)
        {
            var start = new int[outSize];
            var end = new int[outSize];
            var count = new int[outSize];
            for (int o = 0; o < outSize; o++)
            {
                start[o] = (int)((long)o * size / outSize);
                end[o] = (int)(((long)(o + 1) * size + outSize - 1) / outSize);
                count[o] = end[o] - start[o];
            }
            return (start, end, count);
        }
    }
}
