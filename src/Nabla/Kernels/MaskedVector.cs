using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Nabla.Kernels;

/// <summary>
/// Partial-vector loads and stores for the ragged edge of a row: lanes outside the mask are neither
/// read (so they cannot fault past the end of an array) nor written.
/// </summary>
/// <remarks>
/// With AVX-512 the EVEX-masked moves are as cheap as plain ones. The AVX forms (VMASKMOVPS) are
/// the fallback: on AMD cores the masked store is microcoded and much slower, which costs several
/// percent on a product whose last columns are ragged (64x100 * 100x1000 measured 134 us vs 125 us).
/// </remarks>
internal static unsafe class MaskedVector
{
    /// <summary>Mask of the first <paramref name="count"/> lanes (0..8).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> FirstLanes(int count) =>
        Vector256.LessThan(Vector256<int>.Indices, Vector256.Create(count)).AsSingle();

    /// <summary>Loads the lanes under <paramref name="mask"/>, zero elsewhere.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Load(float* p, Vector256<float> mask) =>
        Avx512F.VL.IsSupported ? Avx512F.VL.MaskLoad(p, mask, Vector256<float>.Zero) : Avx.MaskLoad(p, mask);

    /// <summary>Stores the lanes of <paramref name="x"/> under <paramref name="mask"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(float* p, Vector256<float> mask, Vector256<float> x)
    {
        if (Avx512F.VL.IsSupported)
        {
            Avx512F.VL.MaskStore(p, mask, x);
        }
        else
        {
            Avx.MaskStore(p, mask, x);
        }
    }
}
