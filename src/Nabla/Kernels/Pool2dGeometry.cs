namespace Nabla.Kernels;

/// <summary>
/// The sizes of one 2-D pooling over <see cref="Planes"/> = N * C independent (H, W) planes, each pooled to (OH, OW)
/// by windows of KH x KW taps DH, DW apart, starting at oh * SH - PH and ow * SW - PW. The op has checked them.
/// </summary>
internal readonly record struct Pool2dGeometry(
    int Planes, int H, int W, int OH, int OW, int KH, int KW, int SH, int SW, int PH, int PW, int DH, int DW)
{
    /// <summary>Elements of one input plane.</summary>
    public int InSize => H * W;

    /// <summary>Elements of one output plane.</summary>
    public int OutSize => OH * OW;
}

/// <summary>
/// Splits N * C planes into work items for <c>Threads.For</c>. Pooling reads each input element a few times at
/// most, so it is bound by memory and threads pay only on large tensors.
/// </summary>
internal static class PlaneChunks
{
    /// <summary>Below this many input elements pooling runs on the calling thread.</summary>
    internal const int ParallelMinElements = 1 << 16;

    /// <summary>How many items to split <paramref name="planes"/> planes into (a few per thread, to balance load).</summary>
    public static int Count(int planes, long elements, int threads) =>
        threads <= 1 || elements < ParallelMinElements ? 1 : Math.Min(planes, threads * 4);

    /// <summary>The planes [first, end) of item <paramref name="index"/> out of <paramref name="chunks"/>.</summary>
    public static (int First, int End) Range(int index, int chunks, int planes) =>
        ((int)((long)index * planes / chunks), (int)((long)(index + 1) * planes / chunks));
}
