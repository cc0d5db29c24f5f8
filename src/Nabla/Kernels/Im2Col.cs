using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Nabla.Kernels;

/// <summary>
/// Unfolds one image into the matrix whose product with the weight is the convolution (im2col), and folds such a
/// matrix back into an image by summing the entries that came from the same pixel (col2im, its adjoint).
/// </summary>
/// <remarks>
/// Entry (r, p) with r = (c * KH + ki) * KW + kj and p = oh * OW + ow is x[c, oh * SH - PH + ki * DH,
/// ow * SW - PW + kj * DW], or 0 in the padding. The image is first copied into a zero-bordered one, (C, H + 2 PH,
/// W + 2 PW), so that every output row (oh) of every (c, ki, kj) row of the matrix is OW consecutive elements of
/// one padded row at unit stride: a copy of a few vectors with no bounds tests. Measured at the benchmark shape
/// (32 x 14 x 14, 3x3, pad 1: 4032 pieces of 14 floats per image) this took the unfold from 27 us to 13 us per
/// image against slicing spans and clearing the edges of each piece, which cost more than the copy itself.
/// </remarks>
internal static class Im2Col
{
    /// <summary>Elements of the zero-bordered copy of one image that <see cref="Unfold{T}"/> needs (0 without padding).</summary>
    public static int PaddedSize(in Conv2dGeometry g) =>
        g.PH == 0 && g.PW == 0 ? 0 : g.C * (g.H + 2 * g.PH) * (g.W + 2 * g.PW);

    /// <summary>col (C * KH * KW, OH * OW) from image (C, H, W); <paramref name="padded"/> has <see cref="PaddedSize"/> elements of scratch.</summary>
    public static void Unfold<T>(in Conv2dGeometry g, ReadOnlySpan<T> image, Span<T> col, Span<T> padded)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int hp = g.H + 2 * g.PH, wp = g.W + 2 * g.PW;
        ReadOnlySpan<T> source = image;
        if (hp != g.H || wp != g.W)
        {
            padded = padded[..(g.C * hp * wp)];
            padded.Clear();
            for (int c = 0; c < g.C; c++)
                for (int y = 0; y < g.H; y++)
                    image.Slice((c * g.H + y) * g.W, g.W).CopyTo(padded.Slice((c * hp + y + g.PH) * wp + g.PW, g.W));
            source = padded;
        }
        int oh = g.OH, ow = g.OW, p = g.P;
        ref T src = ref MemoryMarshal.GetReference(source);
        ref T dst = ref MemoryMarshal.GetReference(col);
        int r = 0;
        for (int c = 0; c < g.C; c++)
            for (int ki = 0; ki < g.KH; ki++)
                for (int kj = 0; kj < g.KW; kj++, r++)
                {
                    ref T row = ref Unsafe.Add(ref dst, (nint)r * p);
                    for (int y = 0; y < oh; y++)
                    {
                        // Inside the padded image by construction of OH and OW: no bounds to test.
                        ref T from = ref Unsafe.Add(ref src, (nint)(c * hp + y * g.SH + ki * g.DH) * wp + kj * g.DW);
                        ref T to = ref Unsafe.Add(ref row, (nint)y * ow);
                        if (g.SW == 1) Copy(ref from, ref to, ow);
                        else for (int x = 0; x < ow; x++) Unsafe.Add(ref to, x) = Unsafe.Add(ref from, (nint)x * g.SW);
                    }
                }
    }

    /// <summary>image (C, H, W) += the fold of col (C * KH * KW, OH * OW): each entry added to the pixel it came from.</summary>
    /// <remarks>
    /// Unlike <see cref="Unfold{T}"/> this adds straight into the image, skipping the taps that fall in the padding:
    /// for each (c, ki, kj) the output columns [lo, hi) that land inside the image are found once, and each output row
    /// adds that piece with whole vectors and one masked overlapping vector.
    /// </remarks>
    public static void FoldAdd<T>(in Conv2dGeometry g, ReadOnlySpan<T> col, Span<T> image)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int oh = g.OH, ow = g.OW, p = g.P;
        ref T src = ref MemoryMarshal.GetReference(col);
        ref T dst = ref MemoryMarshal.GetReference(image);
        int r = 0;
        for (int c = 0; c < g.C; c++)
            for (int ki = 0; ki < g.KH; ki++)
            {
                int ihBase = ki * g.DH - g.PH;
                for (int kj = 0; kj < g.KW; kj++, r++)
                {
                    int iwBase = kj * g.DW - g.PW;
                    var (lo, hi) = InsideRange(iwBase, g.SW, g.W, ow);
                    if (lo >= hi) continue;
                    var tail = TailMask<T>(hi - lo);
                    ref T row = ref Unsafe.Add(ref src, (nint)r * p + lo);
                    for (int y = 0; y < oh; y++)
                    {
                        int ih = y * g.SH + ihBase;
                        if ((uint)ih >= (uint)g.H) continue;
                        ref T from = ref Unsafe.Add(ref row, (nint)y * ow);
                        ref T to = ref Unsafe.Add(ref dst, (nint)(c * g.H + ih) * g.W + lo * g.SW + iwBase);
                        if (g.SW == 1) AddTo(ref from, ref to, hi - lo, tail);
                        else for (int x = 0; x < hi - lo; x++) Unsafe.Add(ref to, (nint)x * g.SW) += Unsafe.Add(ref from, x);
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

    /// <summary>Copies n elements; short pieces (one output row) are the common case, so the last vector overlaps instead of a scalar tail.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Copy<T>(ref T from, ref T to, int n) where T : unmanaged
    {
        int v = Vector256<T>.Count;
        if (!Vector256.IsHardwareAccelerated || n < v)
        {
            for (int i = 0; i < n; i++) Unsafe.Add(ref to, i) = Unsafe.Add(ref from, i);
            return;
        }
        for (int i = 0; i < n - v; i += v)
            Vector256.LoadUnsafe(ref from, (nuint)i).StoreUnsafe(ref to, (nuint)i);
        Vector256.LoadUnsafe(ref from, (nuint)(n - v)).StoreUnsafe(ref to, (nuint)(n - v));
    }

    /// <summary>
    /// For <see cref="AddTo{T}"/>: the lanes of the last, overlapping vector of an n-element piece that the whole
    /// vectors before it did not cover (all lanes when n is a multiple of the vector length).
    /// </summary>
    private static Vector256<T> TailMask<T>(int n) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int v = Vector256<T>.Count, rem = n % v;
        return rem == 0 ? Vector256<T>.AllBitsSet
                        : Vector256.GreaterThanOrEqual(Vector256<T>.Indices, Vector256.Create(T.CreateTruncating(v - rem)));
    }

    /// <summary>
    /// to[i] += from[i] for n elements: whole vectors, then one last vector overlapping the previous one, whose
    /// already-covered lanes are masked to + 0 (a scalar tail would cost more than the vector part on rows of 14).
    /// The last two vectors are both loaded before either is stored: loading a vector that partly overlaps one just
    /// stored stalls store-to-load forwarding, which measured twice as slow as a scalar tail.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AddTo<T>(ref T from, ref T to, int n, Vector256<T> tail) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int v = Vector256<T>.Count;
        if (!Vector256.IsHardwareAccelerated || n < v)
        {
            for (int i = 0; i < n; i++) Unsafe.Add(ref to, i) += Unsafe.Add(ref from, i);
            return;
        }
        int last = n - v, lastFull = (n / v - 1) * v;
        for (int i = 0; i < lastFull; i += v)
            (Vector256.LoadUnsafe(ref to, (nuint)i) + Vector256.LoadUnsafe(ref from, (nuint)i)).StoreUnsafe(ref to, (nuint)i);
        var full = Vector256.LoadUnsafe(ref to, (nuint)lastFull) + Vector256.LoadUnsafe(ref from, (nuint)lastFull);
        var rest = Vector256.LoadUnsafe(ref to, (nuint)last) + (Vector256.LoadUnsafe(ref from, (nuint)last) & tail);
        // The overlap holds to + 0 in rest and to + from in full: store rest first so that full wins there.
        rest.StoreUnsafe(ref to, (nuint)last);
        full.StoreUnsafe(ref to, (nuint)lastFull);
    }
}
