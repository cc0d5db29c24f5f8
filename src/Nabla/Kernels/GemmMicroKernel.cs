namespace Nabla.Kernels;

/// <summary>
/// A register-blocked SGEMM micro-kernel and the cache blocking that feeds it. It updates one tile
/// of row-major C, up to MR x NR, from a panel of A and a packed panel of B:
/// <c>C = alpha * sum_p A[:, p] B[p, :] + beta * C</c>, where beta == 0 overwrites C without
/// reading it. Edge tiles are computed by the same code specialised for fewer rows and fewer
/// vectors, with the last vector of B read and of C written under a mask: the kernel touches no
/// row of A past <c>rows</c> and no column of B or C past <c>cols</c>, so either operand can be
/// read in place, and no work is spent on padding beyond the last vector.
/// The driver (<see cref="GemmDriver{TKernel}"/>) is generic over this interface, so each kernel
/// gets its own compiled copy of the loops with MR, NR and the block sizes as constants.
/// </summary>
internal unsafe interface IGemmMicroKernel
{
    /// <summary>Rows of a full C tile (one broadcast of A each per step of k).</summary>
    static abstract int MR { get; }

    /// <summary>Columns of a full C tile (whole SIMD vectors of B per step of k).</summary>
    static abstract int NR { get; }

    /// <summary>Depth of one packed block: the KC x NR panel of B is reused from L1 by a whole block of A.</summary>
    static abstract int KC { get; }

    /// <summary>Rows of A packed at once (MC x KC floats, sized for L2).</summary>
    static abstract int MC { get; }

    /// <summary>Columns of B packed at once (KC x NC floats, sized for a share of L3).</summary>
    static abstract int NC { get; }

    /// <summary>Whether the instructions this kernel needs exist on this machine.</summary>
    static abstract bool IsSupported { get; }

    /// <summary>
    /// Width of the packed panel of B for the last <paramref name="cols"/> (&lt;= NR) columns: NR, or
    /// fewer whole vectors when that covers them, so a narrow edge costs fewer FMAs.
    /// </summary>
    static abstract int PanelWidth(int cols);

    /// <summary>
    /// Updates <paramref name="rows"/> x <paramref name="cols"/> of C at <paramref name="c"/> (rows
    /// <paramref name="ldc"/> apart). Column p of the A panel is the contiguous floats at
    /// <c>a + p * aStep</c> (aStep = MR when packed, lda when A is stored transposed); row p of the
    /// B panel is the <c>PanelWidth(cols)</c> floats at <c>b + p * bStep</c> (bStep = that width when
    /// packed, ldb when B is read in place).
    /// </summary>
    static abstract void Run(int rows, int cols, int kc, float* a, nint aStep, float* b, nint bStep, float* c, nint ldc, float alpha, float beta);

    /// <summary>
    /// As <see cref="Run"/>, but A is read in place from row-major storage: row r of the panel is the
    /// kc contiguous floats at <c>a + r * lda</c>. Saves packing A when the problem is small.
    /// </summary>
    static abstract void RunRows(int rows, int cols, int kc, float* a, nint lda, float* b, nint bStep, float* c, nint ldc, float alpha, float beta);
}
