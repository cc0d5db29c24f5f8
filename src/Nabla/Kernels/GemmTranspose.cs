using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Nabla.Kernels;

/// <summary>
/// Transposing copy for packing: <c>d[p * ldd + r] = s[r * lds + p]</c>. Packing a row-major A (or a
/// transposed B) is a transpose of each panel; done one float at a time it costs ~3 cycles per
/// element, which is several percent of a 512^3 product. In 8 x 8 register blocks (8 loads,
/// 24 shuffles, 8 stores per 64 floats) it drops well below one cycle per element.
/// </summary>
internal static unsafe class GemmTranspose
{
    /// <summary>Writes the transpose of the rows x cols block at s (rows lds apart) to d (rows ldd apart).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Transpose(float* s, nint lds, int rows, int cols, float* d, nint ldd)
    {
        int r = 0;
        if (Avx.IsSupported)
        {
            for (; r + 8 <= rows; r += 8)
            {
                int p = 0;
                for (; p + 8 <= cols; p += 8)
                {
                    Block8x8(s + r * lds + p, lds, d + p * ldd + r, ldd);
                }
                Scalar(s + r * lds + p, lds, 8, cols - p, d + p * ldd + r, ldd);
            }
            for (; r + 4 <= rows; r += 4)
            {
                int p = 0;
                for (; p + 4 <= cols; p += 4)
                {
                    Block4x4(s + r * lds + p, lds, d + p * ldd + r, ldd);
                }
                Scalar(s + r * lds + p, lds, 4, cols - p, d + p * ldd + r, ldd);
            }
        }
        Scalar(s + r * lds, lds, rows - r, cols, d + r, ldd);
    }

    private static void Scalar(float* s, nint lds, int rows, int cols, float* d, nint ldd)
    {
        for (int r = 0; r < rows; r++)
        {
            float* sr = s + r * lds;
            for (int p = 0; p < cols; p++)
            {
                d[p * ldd + r] = sr[p];
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Block8x8(float* s, nint lds, float* d, nint ldd)
    {
        Vector256<float> r0 = Vector256.Load(s), r1 = Vector256.Load(s + lds);
        Vector256<float> r2 = Vector256.Load(s + 2 * lds), r3 = Vector256.Load(s + 3 * lds);
        Vector256<float> r4 = Vector256.Load(s + 4 * lds), r5 = Vector256.Load(s + 5 * lds);
        Vector256<float> r6 = Vector256.Load(s + 6 * lds), r7 = Vector256.Load(s + 7 * lds);

        // Interleave pairs of rows, then pairs of pairs: within each 128-bit lane this is a 4 x 4
        // transpose; the last step swaps the lanes across the two halves.
        Vector256<float> t0 = Avx.UnpackLow(r0, r1), t1 = Avx.UnpackHigh(r0, r1);
        Vector256<float> t2 = Avx.UnpackLow(r2, r3), t3 = Avx.UnpackHigh(r2, r3);
        Vector256<float> t4 = Avx.UnpackLow(r4, r5), t5 = Avx.UnpackHigh(r4, r5);
        Vector256<float> t6 = Avx.UnpackLow(r6, r7), t7 = Avx.UnpackHigh(r6, r7);
        Vector256<float> u0 = Avx.Shuffle(t0, t2, 0x44), u1 = Avx.Shuffle(t0, t2, 0xEE);
        Vector256<float> u2 = Avx.Shuffle(t1, t3, 0x44), u3 = Avx.Shuffle(t1, t3, 0xEE);
        Vector256<float> u4 = Avx.Shuffle(t4, t6, 0x44), u5 = Avx.Shuffle(t4, t6, 0xEE);
        Vector256<float> u6 = Avx.Shuffle(t5, t7, 0x44), u7 = Avx.Shuffle(t5, t7, 0xEE);
        Vector256.Store(Avx.Permute2x128(u0, u4, 0x20), d);
        Vector256.Store(Avx.Permute2x128(u1, u5, 0x20), d + ldd);
        Vector256.Store(Avx.Permute2x128(u2, u6, 0x20), d + 2 * ldd);
        Vector256.Store(Avx.Permute2x128(u3, u7, 0x20), d + 3 * ldd);
        Vector256.Store(Avx.Permute2x128(u0, u4, 0x31), d + 4 * ldd);
        Vector256.Store(Avx.Permute2x128(u1, u5, 0x31), d + 5 * ldd);
        Vector256.Store(Avx.Permute2x128(u2, u6, 0x31), d + 6 * ldd);
        Vector256.Store(Avx.Permute2x128(u3, u7, 0x31), d + 7 * ldd);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Block4x4(float* s, nint lds, float* d, nint ldd)
    {
        Vector128<float> r0 = Vector128.Load(s), r1 = Vector128.Load(s + lds);
        Vector128<float> r2 = Vector128.Load(s + 2 * lds), r3 = Vector128.Load(s + 3 * lds);
        Vector128<float> t0 = Sse.UnpackLow(r0, r1), t1 = Sse.UnpackLow(r2, r3);
        Vector128<float> t2 = Sse.UnpackHigh(r0, r1), t3 = Sse.UnpackHigh(r2, r3);
        Vector128.Store(Sse.MoveLowToHigh(t0, t1), d);
        Vector128.Store(Sse.MoveHighToLow(t1, t0), d + ldd);
        Vector128.Store(Sse.MoveLowToHigh(t2, t3), d + 2 * ldd);
        Vector128.Store(Sse.MoveHighToLow(t3, t2), d + 3 * ldd);
    }
}
