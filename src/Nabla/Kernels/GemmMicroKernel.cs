namespace Nabla.Kernels;

/// <summary>
/// A register-blocked SGEMM micro-kernel and the cache blocking that feeds it. It updates one
/// MR x NR tile of row-major C from an MR-row panel of A and a packed NR-column panel of B:
/// <c>C = alpha * sum_p A[:, p] B[p, :] + beta * C</c>, where beta == 0 overwrites C without
/// reading it. The driver (<see cref="GemmDriver{TKernel}"/>) is generic over this interface, so
/// each kernel gets its own compiled copy of the loops with MR, NR and the block sizes as constants.
/// </summary>
internal unsafe interface IGemmMicroKernel
{
    /// <summary>Rows of the C tile (one broadcast of A each per step of k).</summary>
    static abstract int MR { get; }

    /// <summary>Columns of the C tile (whole SIMD vectors of B per step of k).</summary>
    static abstract int NR { get; }

    /// <summary>Depth of one packed block: an MR x KC panel of A and a KC x NR panel of B stay in L1/L2.</summary>
    static abstract int KC { get; }

    /// <summary>Rows of A packed at once (MC x KC floats, sized for L2).</summary>
    static abstract int MC { get; }

    /// <summary>Columns of B packed at once (KC x NC floats, sized for a share of L3).</summary>
    static abstract int NC { get; }

    /// <summary>Whether the instructions this kernel needs exist on this machine.</summary>
    static abstract bool IsSupported { get; }

    /// <summary>
    /// Updates the tile at <paramref name="c"/> (rows <paramref name="ldc"/> apart). Column p of the A
    /// panel is the MR contiguous floats at <c>a + p * aStep</c> (aStep = MR when packed, lda when A is
    /// stored transposed); row p of the B panel is the NR floats at <c>b + p * NR</c>.
    /// </summary>
    static abstract void Run(int kc, float* a, nint aStep, float* b, float* c, nint ldc, float alpha, float beta);

    /// <summary>
    /// As <see cref="Run"/>, but A is read unpacked from row-major storage: row r of the panel is
    /// the kc contiguous floats at <c>a + r * lda</c>. Saves packing A when a problem is small.
    /// </summary>
    static abstract void RunRows(int kc, float* a, nint lda, float* b, float* c, nint ldc, float alpha, float beta);
}
