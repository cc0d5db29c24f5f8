namespace Nabla.Kernels;

/// <summary>
/// The sizes of one 2-D convolution, checked by the op before any kernel sees them: input (N, C, H, W), weight
/// (O, C / groups, KH, KW), output (N, O, OH, OW) with OH = (H + 2 PH - DH (KH - 1) - 1) / SH + 1 (likewise OW).
/// </summary>
/// <remarks>
/// The kernels see one image as a matrix product per group: the im2col matrix of image n has C * KH * KW rows
/// (channel, kernel row, kernel column) and OH * OW columns, so group g's rows are the contiguous block
/// [g * Kg, (g + 1) * Kg) with Kg = C / groups * KH * KW, and its output rows are [g * Og, (g + 1) * Og).
/// </remarks>
internal readonly record struct Conv2dGeometry(
    int N, int C, int H, int W, int O, int KH, int KW,
    int SH, int SW, int PH, int PW, int DH, int DW, int Groups)
{
    /// <summary>Output height.</summary>
    public int OH => (H + 2 * PH - DH * (KH - 1) - 1) / SH + 1;

    /// <summary>Output width.</summary>
    public int OW => (W + 2 * PW - DW * (KW - 1) - 1) / SW + 1;

    /// <summary>Pixels per output plane: the columns of the im2col matrix.</summary>
    public int P => OH * OW;

    /// <summary>Input channels per group.</summary>
    public int Cg => C / Groups;

    /// <summary>Output channels per group.</summary>
    public int Og => O / Groups;

    /// <summary>Rows of one group's block of the im2col matrix: the length of one filter.</summary>
    public int Kg => Cg * KH * KW;

    /// <summary>Elements of one input image.</summary>
    public int ImageSize => C * H * W;

    /// <summary>Elements of one output image.</summary>
    public int OutputImageSize => O * P;

    /// <summary>Elements of the whole im2col matrix of one image (all groups).</summary>
    public int ColSize => C * KH * KW * P;

    /// <summary>Elements of the weight.</summary>
    public int WeightSize => O * Kg;

    /// <summary>
    /// A 1x1 kernel with unit stride and no padding: the image itself, (C, H * W), is already the im2col matrix,
    /// so no copy is made.
    /// </summary>
    public bool IsPointwise => KH == 1 && KW == 1 && SH == 1 && SW == 1 && PH == 0 && PW == 0;

    /// <summary>Multiply-adds of the whole forward pass (used to decide whether threads pay).</summary>
    public long MultiplyAdds => (long)N * O * P * Kg;
}
