using System.Buffers;
using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;

namespace Nabla.Kernels;

/// <summary>
/// What the forward pass of one recurrent direction keeps for its backward pass, one row per packed input row:
/// the gate activations (N, G H), the hidden state each step started from (N, H), and per mode the LSTM's previous
/// cell state and tanh of the new one, or the GRU's hidden part of the candidate gate, W_hn h + b_hn.
/// </summary>
/// <remarks>
/// The buffers come from <see cref="ArrayPool{T}.Shared"/> (a training step would otherwise allocate several megabytes
/// here, and the collections that follow cost more than the copies they save) and go back after the backward pass, or
/// at once when no gradient is needed. They are not cleared: the forward pass writes every element before it is read.
/// </remarks>
internal sealed class RnnTape<T>(RnnProblem p) : IRnnTape where T : unmanaged
{
    public readonly T[] Gates = Rent(p.Rows * p.GateWidth);
    public readonly T[] HPrev = Rent(p.Rows * p.HiddenSize);
    public readonly T[] CPrev = p.Mode == RnnMode.Lstm ? Rent(p.Rows * p.HiddenSize) : [];
    public readonly T[] TanhC = p.Mode == RnnMode.Lstm ? Rent(p.Rows * p.HiddenSize) : [];
    public readonly T[] HiddenN = p.Mode == RnnMode.Gru ? Rent(p.Rows * p.HiddenSize) : [];

    /// <summary>True once the buffers have gone back to the pool.</summary>
    public bool Released { get; private set; }

    /// <summary>Returns the buffers to the pool; the tape must not be read afterwards.</summary>
    public void Release()
    {
        if (Released) return;
        Released = true;
        foreach (var a in (T[][])[Gates, HPrev, CPrev, TanhC, HiddenN])
            if (a.Length > 0) ArrayPool<T>.Shared.Return(a);
    }

    internal static T[] Rent(int length) => length == 0 ? [] : ArrayPool<T>.Shared.Rent(length);
}

/// <summary>The element type's tape seen without its type: whether it is still held, and its release.</summary>
internal interface IRnnTape
{
    bool Released { get; }

    void Release();
}

/// <summary>
/// One direction of one recurrent layer, forward and backward through time, on packed rows (see <see cref="RnnProblem"/>).
/// The input projection of every step is one GEMM up front (and its gradients one GEMM each at the end); each step is
/// one GEMM of the hidden state with W_hh followed by one fused pass over the gates (<see cref="RnnCellMath"/>).
/// </summary>
/// <remarks>
/// Shapes: x (N, I), W_ih (G H, I), W_hh (G H, H), biases (G H) or empty, h0 and c0 (B, H), y (N, H), hN and cN (B, H).
/// The state buffers hold all B sequences; step t touches only its first BatchSizes[t] rows, so a sequence that has
/// ended keeps its last state (forward), and one that has not started yet still holds h0 (reverse). The backward
/// sweep walks the steps in the opposite order over the same rows, so the same rule routes each sequence's final
/// state gradient to its own last step and its initial state gradient out of its own first step.
/// </remarks>
internal static class RnnKernels
{
    public static void Forward<T>(RnnProblem p, ReadOnlySpan<T> x, ReadOnlySpan<T> wih, ReadOnlySpan<T> whh,
                                  ReadOnlySpan<T> bih, ReadOnlySpan<T> bhh, ReadOnlySpan<T> h0, ReadOnlySpan<T> c0,
                                  Span<T> y, Span<T> hN, Span<T> cN, RnnTape<T> tape)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int H = p.HiddenSize, GH = p.GateWidth, N = p.Rows;
        h0.CopyTo(hN);
        if (p.Mode == RnnMode.Lstm) c0.CopyTo(cN);
        Span<T> gates = tape.Gates;

        // All steps' input projections at once: gates = x W_ih^T, (N, G H). The biases are added per step below, while the
        // step's rows are in cache: b_ih + b_hh, except the GRU's b_hn, which belongs inside r * (W_hn h + b_hn).
        Gemm(false, true, N, GH, p.InputSize, x, p.InputSize, wih, p.InputSize, T.Zero, gates, GH);
        Span<T> bias = default;
        T[]? biasArray = null;
        if (!bih.IsEmpty)
        {
            bias = biasArray = RnnTape<T>.Rent(GH);
            bias = bias[..GH];
            bih.CopyTo(bias);
            int hiddenBiasWidth = p.Mode == RnnMode.Gru ? 2 * H : GH;
            TensorPrimitives.Add(bias[..hiddenBiasWidth], bhh[..hiddenBiasWidth], bias[..hiddenBiasWidth]);
        }

        // W_hh^T as a row-major (H, G H) copy, so each step's GEMM reads it in place: a transposed operand would be
        // repacked at every step. Its rows are padded by 16 because rows 512 floats apart (G H = 512 for H = 128) alias
        // in L1 and make the GEMM pack anyway (measured 38 us a step against 44 us for the benchmark's LSTM).
        int ldt = GH + 16;
        var whhT = RnnTape<T>.Rent(H * ldt);
        for (int r = 0; r < GH; r++)
            for (int c = 0; c < H; c++) whhT[c * ldt + r] = whh[r * H + c];

        var hiddenGates = p.Mode == RnnMode.Gru ? RnnTape<T>.Rent(p.Batch * GH) : null;
        for (int k = 0; k < p.Steps; k++)
        {
            int t = p.StepAt(k), bt = p.BatchSizes[t], row0 = p.Offsets[t];
            var hPrev = tape.HPrev.AsSpan(row0 * H, bt * H);
            hN[..(bt * H)].CopyTo(hPrev);
            var g = gates.Slice(row0 * GH, bt * GH);
            if (!bias.IsEmpty)
                for (int r = 0; r < bt; r++) TensorPrimitives.Add(g.Slice(r * GH, GH), bias, g.Slice(r * GH, GH));
            if (p.Mode == RnnMode.Gru)
            {
                // The hidden part separately, (bt, 3H): its n third is multiplied by r before joining the input part.
                Gemm(false, false, bt, GH, H, hPrev, H, whhT, ldt, T.Zero, hiddenGates.AsSpan(0, bt * GH), GH);
            }
            else
            {
                // gates(t) += h W_hh^T, straight into the step's rows of the input projection.
                Gemm(false, false, bt, GH, H, hPrev, H, whhT, ldt, T.One, g, GH);
            }
            var yt = y.Slice(row0 * H, bt * H);
            if (p.Mode == RnnMode.Gru)
                RnnCellMath.GruForward<T>(bt, H, g, hiddenGates.AsSpan(0, bt * GH), bhh.IsEmpty ? default : bhh[(2 * H)..], hPrev,
                                          tape.HiddenN.AsSpan(row0 * H, bt * H), yt);
            else if (p.Mode == RnnMode.Lstm)
                RnnCellMath.LstmForward<T>(bt, H, g, cN, tape.CPrev.AsSpan(row0 * H, bt * H), tape.TanhC.AsSpan(row0 * H, bt * H), yt);
            else
                RnnCellMath.ElmanForward<T>(p.Mode == RnnMode.Relu, g, yt);
            yt.CopyTo(hN);
        }
        Return(whhT, hiddenGates, biasArray);
    }

    private static void Return<T>(params T[]?[] arrays) where T : unmanaged
    {
        foreach (var a in arrays)
            if (a is { Length: > 0 }) ArrayPool<T>.Shared.Return(a);
    }

    /// <summary>
    /// Back-propagates dy (N, H), dhN and dcN (B, H) through the sweep. Writes dh0, dc0 (B, H); dx (N, I) when not
    /// empty; and adds into dW_ih, dW_hh, db_ih, db_hh (biases when not empty).
    /// </summary>
    public static void Backward<T>(RnnProblem p, ReadOnlySpan<T> x, ReadOnlySpan<T> wih, ReadOnlySpan<T> whh, RnnTape<T> tape,
                                   ReadOnlySpan<T> dy, ReadOnlySpan<T> dhN, ReadOnlySpan<T> dcN,
                                   Span<T> dx, Span<T> dh0, Span<T> dc0, Span<T> dwih, Span<T> dwhh, Span<T> dbih, Span<T> dbhh)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int H = p.HiddenSize, GH = p.GateWidth, N = p.Rows, I = p.InputSize;
        // dh and dc are the running state gradients of all B sequences: they end as dh0 and dc0.
        Span<T> dh = dh0, dc = dc0;
        dhN.CopyTo(dh);
        if (p.Mode == RnnMode.Lstm) dcN.CopyTo(dc);
        // Every row of these is written by its step before it is read: no need to clear them.
        var dGates = RnnTape<T>.Rent(N * GH);                                    // (N, G H): gradient of the input part
        var dHidden = p.Mode == RnnMode.Gru ? RnnTape<T>.Rent(N * GH) : dGates;  // (N, G H): of the hidden part (differs for GRU)

        for (int k = p.Steps - 1; k >= 0; k--)
        {
            int t = p.StepAt(k), bt = p.BatchSizes[t], row0 = p.Offsets[t];
            var g = tape.Gates.AsSpan(row0 * GH, bt * GH);
            var dg = dGates.AsSpan(row0 * GH, bt * GH);
            var dyt = dy.Slice(row0 * H, bt * H);
            var dht = dh[..(bt * H)];
            T beta = T.Zero;
            switch (p.Mode)
            {
                case RnnMode.Lstm:
                    RnnCellMath.LstmBackward<T>(bt, H, g, tape.CPrev.AsSpan(row0 * H, bt * H), tape.TanhC.AsSpan(row0 * H, bt * H),
                                                dyt, dht, dc[..(bt * H)], dg);
                    break;
                case RnnMode.Gru:
                    // Leaves z * dh' in dh: the part of the gradient that bypasses W_hh.
                    RnnCellMath.GruBackward<T>(bt, H, g, tape.HiddenN.AsSpan(row0 * H, bt * H), tape.HPrev.AsSpan(row0 * H, bt * H),
                                               dyt, dht, dg, dHidden.AsSpan(row0 * GH, bt * GH));
                    beta = T.One;
                    break;
                default:
                    RnnCellMath.ElmanBackward<T>(p.Mode == RnnMode.Relu, g, dyt, dht, dg);
                    break;
            }
            // dh(t-1) = dGh W_hh, (bt, H).
            Gemm(false, false, bt, H, GH, dHidden.AsSpan(row0 * GH, bt * GH), GH, whh, H, beta, dht, H);
        }

        // The weight gradients of all steps at once, dW_ih += dG^T x and dW_hh += dGh^T hPrev, each computed transposed
        // (x^T dG, then added back transposed): with the long dimension N as the GEMM's k and dG read row by row, this
        // ran about twice as fast as dG^T x (0.65 against 1.4 ms for the benchmark's LSTM, one thread).
        var transposed = RnnTape<T>.Rent(GH * Math.Max(I, H));
        Gemm(true, false, I, GH, N, x, I, dGates, GH, T.Zero, transposed, GH);
        AddTransposed<T>(transposed, I, GH, dwih);
        Gemm(true, false, H, GH, N, tape.HPrev, H, dHidden, GH, T.Zero, transposed, GH);
        AddTransposed<T>(transposed, H, GH, dwhh);
        if (!dbih.IsEmpty)
        {
            ColumnSums<T>(dGates, N, GH, dbih);
            if (p.Mode == RnnMode.Gru) ColumnSums<T>(dHidden, N, GH, dbhh);
            else TensorPrimitives.Add(dbhh, dbih, dbhh); // the same pre-activations: b_ih and b_hh get the same gradient
        }
        if (!dx.IsEmpty) Gemm(false, false, N, I, GH, dGates, GH, wih, I, T.Zero, dx, I);
        Return(dGates, p.Mode == RnnMode.Gru ? dHidden : null, transposed);
    }

    /// <summary>sums[j] += sum over rows of m[r, j], for m (rows, cols).</summary>
    private static void ColumnSums<T>(ReadOnlySpan<T> m, int rows, int cols, Span<T> sums) where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int r = 0; r < rows; r++) TensorPrimitives.Add(sums, m.Slice(r * cols, cols), sums);
    }

    /// <summary>d[j, i] += s[i, j] for s (rows, cols) and d (cols, rows).</summary>
    private static void AddTransposed<T>(ReadOnlySpan<T> s, int rows, int cols, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int j = 0; j < cols; j++)
        {
            var dRow = d.Slice(j * rows, rows);
            for (int i = 0; i < rows; i++) dRow[i] += s[i * cols + j];
        }
    }

    /// <summary>GEMM on either float type (<see cref="Kernels.Gemm"/>).</summary>
    internal static void Gemm<T>(bool transA, bool transB, int m, int n, int k, ReadOnlySpan<T> a, int lda, ReadOnlySpan<T> b, int ldb,
                                 T beta, Span<T> c, int ldc) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(float))
            Kernels.Gemm.Sgemm(transA, transB, m, n, k, 1f, MemoryMarshal.Cast<T, float>(a), lda, MemoryMarshal.Cast<T, float>(b), ldb,
                               float.CreateTruncating(beta), MemoryMarshal.Cast<T, float>(c), ldc);
        else
            Kernels.Gemm.Dgemm(transA, transB, m, n, k, 1.0, MemoryMarshal.Cast<T, double>(a), lda, MemoryMarshal.Cast<T, double>(b), ldb,
                               double.CreateTruncating(beta), MemoryMarshal.Cast<T, double>(c), ldc);
    }
}
