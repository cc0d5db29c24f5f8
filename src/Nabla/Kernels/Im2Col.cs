using System.Numerics;
using System.Numerics.Tensors;

namespace Nabla.Kernels;

/// <summary>
/// Unfolds one image into the matrix whose product with the weight is the convolution (im2col), and folds such a
/// matrix back into an image by summing the entries that came from the same pixel (col2im, its adjoint).
/// </summary>
/// <remarks>
/// Entry (r, p) with r = (c * KH + ki) * KW + kj and p = oh * OW + ow is x[c, oh * SH - PH + ki * DH,
/// ow * SW - PW + kj * DW], or 0 in the padding. Each (c, ki, kj) row is filled one output row (oh) at a time; the
/// range of ow that lands inside the image is computed once per row, so the inner loop has no bounds tests and, at
/// unit stride, is a plain copy (or vector add for col2im).
/// </remarks>
internal static class Im2Col
{
    /// <summary>col (C * KH * KW, OH * OW) from image (C, H, W).</summary>
    public static void Unfold<T>(in Conv2dGeometry g, ReadOnlySpan<T> image, Span<T> col)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int oh = g.OH, ow = g.OW, p = g.P;
        int r = 0;
        for (int c = 0; c < g.C; c++)
        {
            var plane = image.Slice(c * g.H * g.W, g.H * g.W);
            for (int ki = 0; ki < g.KH; ki++)
            {
                int ihBase = ki * g.DH - g.PH;
                for (int kj = 0; kj < g.KW; kj++, r++)
                {
                    int iwBase = kj * g.DW - g.PW;
                    var (lo, hi) = InsideRange(iwBase, g.SW, g.W, ow);
                    var row = col.Slice(r * p, p);
                    for (int y = 0; y < oh; y++)
                    {
                        var dst = row.Slice(y * ow, ow);
                        int ih = y * g.SH + ihBase;
                        if ((uint)ih >= (uint)g.H)
                        {
                            dst.Clear();
                            continue;
                        }
                        var src = plane.Slice(ih * g.W, g.W);
                        dst[..lo].Clear();
                        dst[hi..].Clear();
                        if (g.SW == 1)
                        {
                            src.Slice(lo + iwBase, hi - lo).CopyTo(dst[lo..hi]);
                        }
                        else
                        {
                            for (int x = lo; x < hi; x++) dst[x] = src[x * g.SW + iwBase];
                        }
                    }
                }
            }
        }
    }

    /// <summary>image (C, H, W) += the fold of col (C * KH * KW, OH * OW): each entry added to the pixel it came from.</summary>
    public static void FoldAdd<T>(in Conv2dGeometry g, ReadOnlySpan<T> col, Span<T> image)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int oh = g.OH, ow = g.OW, p = g.P;
        int r = 0;
        for (int c = 0; c < g.C; c++)
        {
            var plane = image.Slice(c * g.H * g.W, g.H * g.W);
            for (int ki = 0; ki < g.KH; ki++)
            {
                int ihBase = ki * g.DH - g.PH;
                for (int kj = 0; kj < g.KW; kj++, r++)
                {
                    int iwBase = kj * g.DW - g.PW;
                    var (lo, hi) = InsideRange(iwBase, g.SW, g.W, ow);
                    if (lo >= hi) continue;
                    var row = col.Slice(r * p, p);
                    for (int y = 0; y < oh; y++)
                    {
                        int ih = y * g.SH + ihBase;
                        if ((uint)ih >= (uint)g.H) continue;
                        var src = row.Slice(y * ow, ow);
                        var dst = plane.Slice(ih * g.W, g.W);
                        if (g.SW == 1)
                        {
                            var d = dst.Slice(lo + iwBase, hi - lo);
                            TensorPrimitives.Add(d, src[lo..hi], d);
                        }
                        else
                        {
                            for (int x = lo; x < hi; x++) dst[x * g.SW + iwBase] += src[x];
                        }
                    }
                }
            }
        }
    }

    /// <summary>
    /// The output columns [lo, hi) whose input column x * stride + offset lies in [0, width); lo == hi when none do.
    /// </summary>
    internal static (int Lo, int Hi) InsideRange(int offset, int stride, int width, int outWidth)
    {
        int lo = offset >= 0 ? 0 : (-offset + stride - 1) / stride;
        int hi = width - 1 - offset < 0 ? 0 : Math.Min(outWidth, (width - 1 - offset) / stride + 1);
        lo = Math.Min(lo, outWidth);
        return (lo, Math.Max(lo, hi));
    }
}
