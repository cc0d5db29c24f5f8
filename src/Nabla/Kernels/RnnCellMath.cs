using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Nabla.Kernels;

/// <summary>
/// The elementwise part of one recurrent step on bt rows: gate nonlinearities and the state update forward, and the
/// whole chain rule back to the gate pre-activations backward, each row in one pass over its H columns (SIMD, then a
/// scalar tail with the same formula). Gate blocks are laid out per row as PyTorch's weights are: i, f, g, o for the
/// LSTM and r, z, n for the GRU, each H wide.
/// </summary>
/// <remarks>
/// The forward keeps the activations (not the pre-activations): every derivative here is written in terms of them,
/// sigma' = s (1 - s) and tanh' = 1 - t^2, so the backward evaluates no transcendental function.
/// </remarks>
internal static class RnnCellMath
{
    // ----- Elman -----

    /// <summary>In place over g (bt, H): h = tanh(g) or relu(g); y gets a copy.</summary>
    public static void ElmanForward<T>(bool relu, Span<T> g, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (relu) TensorPrimitives.Max(g, T.Zero, g);
        else TensorPrimitives.Tanh(g, g);
        g.CopyTo(y);
    }

    /// <summary>dg = (dy + dh) * act'(h) with h the saved output; dh is left for the caller to overwrite.</summary>
    public static void ElmanBackward<T>(bool relu, ReadOnlySpan<T> h, ReadOnlySpan<T> dy, ReadOnlySpan<T> dh, Span<T> dg)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        TensorPrimitives.Add(dy, dh, dg);
        if (relu)
        {
            for (int j = 0; j < dg.Length; j++)
                if (!(h[j] > T.Zero)) dg[j] = T.Zero;
        }
        else
        {
            // dg *= 1 - h^2
            for (int j = 0; j < dg.Length; j++) dg[j] *= T.One - h[j] * h[j];
        }
    }

    // ----- LSTM -----

    /// <summary>
    /// g (bt, 4H) holds the pre-activations i, f, g, o and is left holding sigma(i), sigma(f), tanh(g), sigma(o);
    /// c (bt, H) is the cell state, updated in place after its old value is saved in cPrev;
    /// c' = f c + i g,  h' = o tanh(c') into y, with tanh(c') saved in tanhC.
    /// </summary>
    public static void LstmForward<T>(int bt, int hidden, Span<T> g, Span<T> c, Span<T> cPrev, Span<T> tanhC, Span<T> y)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int H = hidden;
        for (int r = 0; r < bt; r++)
        {
            var gr = g.Slice(r * 4 * H, 4 * H);
            TensorPrimitives.Sigmoid(gr[..(2 * H)], gr[..(2 * H)]);
            TensorPrimitives.Tanh(gr.Slice(2 * H, H), gr.Slice(2 * H, H));
            TensorPrimitives.Sigmoid(gr.Slice(3 * H, H), gr.Slice(3 * H, H));
            var cr = c.Slice(r * H, H);
            cr.CopyTo(cPrev.Slice(r * H, H));
            ref T i = ref MemoryMarshal.GetReference(gr);
            ref T f = ref Unsafe.Add(ref i, H);
            ref T gg = ref Unsafe.Add(ref i, 2 * H);
            ref T cc = ref MemoryMarshal.GetReference(cr);
            int j = 0;
            if (Vector256.IsHardwareAccelerated)
                for (; j <= H - Vector256<T>.Count; j += Vector256<T>.Count)
                {
                    var cv = Vector256.LoadUnsafe(ref f, (nuint)j) * Vector256.LoadUnsafe(ref cc, (nuint)j)
                           + Vector256.LoadUnsafe(ref i, (nuint)j) * Vector256.LoadUnsafe(ref gg, (nuint)j);
                    cv.StoreUnsafe(ref cc, (nuint)j);
                }
            for (; j < H; j++) Unsafe.Add(ref cc, j) = Unsafe.Add(ref f, j) * Unsafe.Add(ref cc, j) + Unsafe.Add(ref i, j) * Unsafe.Add(ref gg, j);
            var tc = tanhC.Slice(r * H, H);
            TensorPrimitives.Tanh(cr, tc);
            TensorPrimitives.Multiply(gr.Slice(3 * H, H), tc, y.Slice(r * H, H));
        }
    }

    /// <summary>
    /// From the saved activations a (bt, 4H), c_{t-1} and tanh(c_t), the output gradient dy and the state gradients
    /// dh, dc (bt, H) flowing in from step t+1: writes the pre-activation gradients dg (bt, 4H) and leaves dc holding
    /// dc_{t-1} = dc_t f. (dh is overwritten by the caller with dg W_hh.)
    ///   dh_t = dy + dh;  do = dh_t tanh(c);  dc_t = dc + dh_t o (1 - tanh(c)^2)
    ///   di = dc_t g;  df = dc_t c_{t-1};  dgg = dc_t i;  then times sigma' or tanh' of each gate.
    /// </summary>
    public static void LstmBackward<T>(int bt, int hidden, ReadOnlySpan<T> a, ReadOnlySpan<T> cPrev, ReadOnlySpan<T> tanhC,
                                       ReadOnlySpan<T> dy, ReadOnlySpan<T> dh, Span<T> dc, Span<T> dg)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int H = hidden;
        for (int r = 0; r < bt; r++)
        {
            ref T i = ref Unsafe.AsRef(in a[r * 4 * H]);
            ref T f = ref Unsafe.Add(ref i, H);
            ref T gg = ref Unsafe.Add(ref i, 2 * H);
            ref T o = ref Unsafe.Add(ref i, 3 * H);
            ref T cp = ref Unsafe.AsRef(in cPrev[r * H]);
            ref T tc = ref Unsafe.AsRef(in tanhC[r * H]);
            ref T dyr = ref Unsafe.AsRef(in dy[r * H]);
            ref T dhr = ref Unsafe.AsRef(in dh[r * H]);
            ref T dcr = ref dc[r * H];
            ref T di = ref dg[r * 4 * H];
            ref T df = ref Unsafe.Add(ref di, H);
            ref T dgg = ref Unsafe.Add(ref di, 2 * H);
            ref T dout = ref Unsafe.Add(ref di, 3 * H);
            int j = 0;
            if (Vector256.IsHardwareAccelerated)
            {
                var one = Vector256<T>.One;
                for (; j <= H - Vector256<T>.Count; j += Vector256<T>.Count)
                {
                    nuint u = (nuint)j;
                    var iv = Vector256.LoadUnsafe(ref i, u); var fv = Vector256.LoadUnsafe(ref f, u);
                    var gv = Vector256.LoadUnsafe(ref gg, u); var ov = Vector256.LoadUnsafe(ref o, u);
                    var tcv = Vector256.LoadUnsafe(ref tc, u);
                    var dht = Vector256.LoadUnsafe(ref dyr, u) + Vector256.LoadUnsafe(ref dhr, u);
                    var dct = Vector256.LoadUnsafe(ref dcr, u) + dht * ov * (one - tcv * tcv);
                    (dct * gv * iv * (one - iv)).StoreUnsafe(ref di, u);
                    (dct * Vector256.LoadUnsafe(ref cp, u) * fv * (one - fv)).StoreUnsafe(ref df, u);
                    (dct * iv * (one - gv * gv)).StoreUnsafe(ref dgg, u);
                    (dht * tcv * ov * (one - ov)).StoreUnsafe(ref dout, u);
                    (dct * fv).StoreUnsafe(ref dcr, u);
                }
            }
            for (; j < H; j++)
            {
                T iv = Unsafe.Add(ref i, j), fv = Unsafe.Add(ref f, j), gv = Unsafe.Add(ref gg, j), ov = Unsafe.Add(ref o, j);
                T tcv = Unsafe.Add(ref tc, j);
                T dht = Unsafe.Add(ref dyr, j) + Unsafe.Add(ref dhr, j);
                T dct = Unsafe.Add(ref dcr, j) + dht * ov * (T.One - tcv * tcv);
                Unsafe.Add(ref di, j) = dct * gv * iv * (T.One - iv);
                Unsafe.Add(ref df, j) = dct * Unsafe.Add(ref cp, j) * fv * (T.One - fv);
                Unsafe.Add(ref dgg, j) = dct * iv * (T.One - gv * gv);
                Unsafe.Add(ref dout, j) = dht * tcv * ov * (T.One - ov);
                Unsafe.Add(ref dcr, j) = dct * fv;
            }
        }
    }

    // ----- GRU -----

    /// <summary>
    /// g (bt, 3H) holds the input parts x W_ih^T + b_ih (+ b_hr, b_hz) and gh (bt, 3H) the hidden parts h W_hh^T:
    ///   r = sigma(g_r + gh_r),  z = sigma(g_z + gh_z),  hn = gh_n + b_hn,  n = tanh(g_n + r hn),  h' = n + z (h - n).
    /// Leaves r, z, n in g and hn in hiddenN; writes h' to y.
    /// </summary>
    public static void GruForward<T>(int bt, int hidden, Span<T> g, ReadOnlySpan<T> gh, ReadOnlySpan<T> bhn, ReadOnlySpan<T> hPrev,
                                     Span<T> hiddenN, Span<T> y)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int H = hidden;
        for (int r = 0; r < bt; r++)
        {
            var gr = g.Slice(r * 3 * H, 3 * H);
            var ghr = gh.Slice(r * 3 * H, 3 * H);
            var rz = gr[..(2 * H)];
            TensorPrimitives.Add(rz, ghr[..(2 * H)], rz);
            TensorPrimitives.Sigmoid(rz, rz);
            var hn = hiddenN.Slice(r * H, H);
            if (bhn.IsEmpty) ghr.Slice(2 * H, H).CopyTo(hn);
            else TensorPrimitives.Add(ghr.Slice(2 * H, H), bhn, hn);
            var n = gr.Slice(2 * H, H);
            TensorPrimitives.FusedMultiplyAdd(gr[..H], hn, n, n);
            TensorPrimitives.Tanh(n, n);
            // h' = n + z (h - n)
            var yr = y.Slice(r * H, H);
            TensorPrimitives.Subtract(hPrev.Slice(r * H, H), n, yr);
            TensorPrimitives.FusedMultiplyAdd(gr.Slice(H, H), yr, n, yr);
        }
    }

    /// <summary>
    /// From the saved r, z, n (bt, 3H), hn and h_{t-1} (bt, H), the output gradient dy and the state gradient dh from
    /// step t+1: dh_t = dy + dh;  dn = dh_t (1 - z) (1 - n^2);  dz = dh_t (h - n) z (1 - z);  dr = dn hn r (1 - r).
    /// Writes dgx (bt, 3H) = [dr, dz, dn] for the input part and dgh = [dr, dz, dn r] for the hidden part, and leaves
    /// dh = dh_t z, the gradient that reaches h_{t-1} directly (the caller adds dgh W_hh).
    /// </summary>
    public static void GruBackward<T>(int bt, int hidden, ReadOnlySpan<T> a, ReadOnlySpan<T> hiddenN, ReadOnlySpan<T> hPrev,
                                      ReadOnlySpan<T> dy, Span<T> dh, Span<T> dgx, Span<T> dgh)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int H = hidden;
        for (int r = 0; r < bt; r++)
        {
            ref T rg = ref Unsafe.AsRef(in a[r * 3 * H]);
            ref T z = ref Unsafe.Add(ref rg, H);
            ref T n = ref Unsafe.Add(ref rg, 2 * H);
            ref T hn = ref Unsafe.AsRef(in hiddenN[r * H]);
            ref T hp = ref Unsafe.AsRef(in hPrev[r * H]);
            ref T dyr = ref Unsafe.AsRef(in dy[r * H]);
            ref T dhr = ref dh[r * H];
            ref T dxr = ref dgx[r * 3 * H];
            ref T dxz = ref Unsafe.Add(ref dxr, H);
            ref T dxn = ref Unsafe.Add(ref dxr, 2 * H);
            ref T dhrg = ref dgh[r * 3 * H];
            ref T dhz = ref Unsafe.Add(ref dhrg, H);
            ref T dhn = ref Unsafe.Add(ref dhrg, 2 * H);
            int j = 0;
            if (Vector256.IsHardwareAccelerated)
            {
                var one = Vector256<T>.One;
                for (; j <= H - Vector256<T>.Count; j += Vector256<T>.Count)
                {
                    nuint u = (nuint)j;
                    var rv = Vector256.LoadUnsafe(ref rg, u); var zv = Vector256.LoadUnsafe(ref z, u); var nv = Vector256.LoadUnsafe(ref n, u);
                    var dht = Vector256.LoadUnsafe(ref dyr, u) + Vector256.LoadUnsafe(ref dhr, u);
                    var dn = dht * (one - zv) * (one - nv * nv);
                    var dz = dht * (Vector256.LoadUnsafe(ref hp, u) - nv) * zv * (one - zv);
                    var dr = dn * Vector256.LoadUnsafe(ref hn, u) * rv * (one - rv);
                    dr.StoreUnsafe(ref dxr, u); dr.StoreUnsafe(ref dhrg, u);
                    dz.StoreUnsafe(ref dxz, u); dz.StoreUnsafe(ref dhz, u);
                    dn.StoreUnsafe(ref dxn, u); (dn * rv).StoreUnsafe(ref dhn, u);
                    (dht * zv).StoreUnsafe(ref dhr, u);
                }
            }
            for (; j < H; j++)
            {
                T rv = Unsafe.Add(ref rg, j), zv = Unsafe.Add(ref z, j), nv = Unsafe.Add(ref n, j);
                T dht = Unsafe.Add(ref dyr, j) + Unsafe.Add(ref dhr, j);
                T dn = dht * (T.One - zv) * (T.One - nv * nv);
                T dz = dht * (Unsafe.Add(ref hp, j) - nv) * zv * (T.One - zv);
                T dr = dn * Unsafe.Add(ref hn, j) * rv * (T.One - rv);
                Unsafe.Add(ref dxr, j) = dr; Unsafe.Add(ref dhrg, j) = dr;
                Unsafe.Add(ref dxz, j) = dz; Unsafe.Add(ref dhz, j) = dz;
                Unsafe.Add(ref dxn, j) = dn; Unsafe.Add(ref dhn, j) = dn * rv;
                Unsafe.Add(ref dhr, j) = dht * zv;
            }
        }
    }
}
