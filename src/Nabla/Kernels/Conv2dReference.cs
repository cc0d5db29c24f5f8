using System.Numerics;

namespace Nabla.Kernels;

/// <summary>
/// Direct convolution, one output element at a time, as the definition reads: the reference the fast kernels
/// (<see cref="Conv2dKernels"/>) are tested against. Sums are kept in double so that the reference is the more
/// accurate of the two. Slow; not used by the ops.
/// </summary>
internal static class Conv2dReference
{
    /// <summary>y[n, o, oh, ow] = b[o] + sum over (c, ki, kj) of w[o, c, ki, kj] x[n, g * Cg + c, ih, iw] (padding reads 0).</summary>
    public static void Forward<T>(in Conv2dGeometry g, ReadOnlySpan<T> x, ReadOnlySpan<T> w, ReadOnlySpan<T> bias, Span<T> y)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int oh = g.OH, ow = g.OW;
        for (int n = 0; n < g.N; n++)
            for (int o = 0; o < g.O; o++)
            {
                int group = o / g.Og;
                for (int yy = 0; yy < oh; yy++)
                    for (int xx = 0; xx < ow; xx++)
                    {
                        double sum = bias.IsEmpty ? 0 : double.CreateTruncating(bias[o]);
                        for (int c = 0; c < g.Cg; c++)
                            for (int ki = 0; ki < g.KH; ki++)
                                for (int kj = 0; kj < g.KW; kj++)
                                {
                                    int ih = yy * g.SH - g.PH + ki * g.DH, iw = xx * g.SW - g.PW + kj * g.DW;
                                    if ((uint)ih >= (uint)g.H || (uint)iw >= (uint)g.W) continue;
                                    sum += double.CreateTruncating(w[((o * g.Cg + c) * g.KH + ki) * g.KW + kj])
                                         * double.CreateTruncating(x[((n * g.C + group * g.Cg + c) * g.H + ih) * g.W + iw]);
                                }
                        y[((n * g.O + o) * oh + yy) * ow + xx] = T.CreateTruncating(sum);
                    }
            }
    }

    /// <summary>The gradients of <see cref="Forward{T}"/> for output gradient dy, by the same loops run backwards (each skipped when empty).</summary>
    public static void Backward<T>(in Conv2dGeometry g, ReadOnlySpan<T> x, ReadOnlySpan<T> w, ReadOnlySpan<T> dy,
                                   Span<T> dx, Span<T> dw, Span<T> db)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int oh = g.OH, ow = g.OW;
        var gx = new double[dx.IsEmpty ? 0 : dx.Length];
        var gw = new double[dw.IsEmpty ? 0 : dw.Length];
        var gb = new double[db.IsEmpty ? 0 : db.Length];
        for (int n = 0; n < g.N; n++)
            for (int o = 0; o < g.O; o++)
            {
                int group = o / g.Og;
                for (int yy = 0; yy < oh; yy++)
                    for (int xx = 0; xx < ow; xx++)
                    {
                        double d = double.CreateTruncating(dy[((n * g.O + o) * oh + yy) * ow + xx]);
                        if (gb.Length > 0) gb[o] += d;
                        for (int c = 0; c < g.Cg; c++)
                            for (int ki = 0; ki < g.KH; ki++)
                                for (int kj = 0; kj < g.KW; kj++)
                                {
                                    int ih = yy * g.SH - g.PH + ki * g.DH, iw = xx * g.SW - g.PW + kj * g.DW;
                                    if ((uint)ih >= (uint)g.H || (uint)iw >= (uint)g.W) continue;
                                    int wi = ((o * g.Cg + c) * g.KH + ki) * g.KW + kj;
                                    int xi = ((n * g.C + group * g.Cg + c) * g.H + ih) * g.W + iw;
                                    if (gw.Length > 0) gw[wi] += d * double.CreateTruncating(x[xi]);
                                    if (gx.Length > 0) gx[xi] += d * double.CreateTruncating(w[wi]);
                                }
                    }
            }
        for (int i = 0; i < gx.Length; i++) dx[i] += T.CreateTruncating(gx[i]);
        for (int i = 0; i < gw.Length; i++) dw[i] += T.CreateTruncating(gw[i]);
        for (int i = 0; i < gb.Length; i++) db[i] += T.CreateTruncating(gb[i]);
    }
}
