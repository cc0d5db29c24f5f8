namespace Nabla.Kernels;

/// <summary>
/// The calling thread's im2col buffer, kept between calls: one image's unfolded matrix is a few hundred KB, and
/// allocating it per image (on the large-object heap) would cost more than filling it. Grows, never shrinks.
/// </summary>
internal static class ConvWorkspace<T> where T : unmanaged
{
    [ThreadStatic]
    private static T[]? t_col;

    /// <summary>Room for <paramref name="length"/> elements; contents are whatever the last user left.</summary>
    public static Span<T> Col(int length)
    {
        var col = t_col;
        if (col is null || col.Length < length)
        {
            t_col = col = GC.AllocateUninitializedArray<T>(length);
        }
        return col.AsSpan(0, length);
    }
}
