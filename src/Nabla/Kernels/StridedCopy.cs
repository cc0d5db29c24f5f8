namespace Nabla.Kernels;

/// <summary>Copies strided views into contiguous buffers and back (the one place layouts are materialized).</summary>
internal static class StridedCopy
{
    /// <summary>
    /// Writes the elements of the view (<paramref name="src"/>, <paramref name="srcOffset"/>, <paramref name="shape"/>,
    /// <paramref name="srcStrides"/>) into <paramref name="dst"/> laid out with <paramref name="dstStrides"/>.
    /// </summary>
    public static void Copy<T>(T[] src, int srcOffset, ReadOnlySpan<int> shape, int[] srcStrides,
                               T[] dst, int dstOffset, int[] dstStrides)
    {
        var layout = new StridedLayout(shape, [dstOffset, srcOffset], dstStrides, srcStrides);
        int n = layout.RowLength;
        int ds = layout.InnerStrides[0], ss = layout.InnerStrides[1];
        for (int r = 0; r < layout.Rows; r++, layout.Advance())
        {
            int d = layout.Offset(0), s = layout.Offset(1);
            if (ds == 1 && ss == 1)
                Array.Copy(src, s, dst, d, n);
            else if (ss == 0 && ds == 1)
                dst.AsSpan(d, n).Fill(src[s]);
            else
                for (int i = 0; i < n; i++) dst[d + i * ds] = src[s + i * ss];
        }
    }

    /// <summary>A new contiguous array with the view's elements in row-major order.</summary>
    public static T[] ToContiguous<T>(T[] src, int offset, int[] shape, int[] strides)
    {
        var dst = new T[Shapes.NumEl(shape)];
        Copy(src, offset, shape, strides, dst, 0, Shapes.ContiguousStrides(shape));
        return dst;
    }
}
