using Nabla.Kernels;

namespace Nabla.Tests.Kernels;

public class GemmTransposeTests
{
    [Fact]
    public unsafe void Transpose_matches_the_definition_for_every_size_up_to_19()
    {
        // 19 = 16 + 3: two 8 x 8 blocks, a 4 x 4 block and a scalar tail in each direction.
        const int lds = 23, ldd = 21;
        var src = new float[19 * lds];
        for (int i = 0; i < src.Length; i++)
        {
            src[i] = i + 0.5f;
        }
        for (int rows = 0; rows <= 19; rows++)
        {
            for (int cols = 0; cols <= 19; cols++)
            {
                var dst = new float[cols * ldd + 1];
                Array.Fill(dst, -1f);
                fixed (float* s = src, d = dst)
                {
                    GemmTranspose.Transpose(s, lds, rows, cols, d, ldd);
                }
                for (int p = 0; p < cols; p++)
                {
                    for (int r = 0; r < ldd; r++)
                    {
                        // Inside the block: the transpose; beside it (r >= rows): untouched.
                        float expected = r < rows ? src[r * lds + p] : -1f;
                        Assert.True(dst[p * ldd + r] == expected, $"rows={rows} cols={cols}: d[{p}, {r}] = {dst[p * ldd + r]}, expected {expected}");
                    }
                }
            }
        }
    }
}
