namespace Nabla.Kernels;

/// <summary>
/// The calling thread's im2col buffer and zero-bordered image copy, kept between calls: one image's unfolded matrix
/// is a few hundred KB, and allocating it per image (on the large-object heap) would cost more than filling it.
/// They grow, never shrink.
/// </summary>
internal static class ConvWorkspace<T> where T : unmanaged
{
    [ThreadStatic]
    private static T[]? t_col;

    [ThreadStatic]
    private static T[]? t_padded;

    /// <summary>Room for the im2col matrix, <paramref name="length"/> elements; contents are whatever the last user left.</summary>
    public static Span<T> Col(int length) => Get(ref t_col, length);

    /// <summary>Room for the zero-bordered image (see <see cref="Im2Col.PaddedSize"/>); contents undefined.</summary>
    public static Span<T> Padded(int length) => Get(ref t_padded, length);

    private static Span<T> Get(ref T[]? buffer, int length)
    {
        if (buffer is null || buffer.Length < length)
        {
            buffer = GC.AllocateUninitializedArray<T>(length);
        }
        return buffer.AsSpan(0, length);
    }
}
