using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;

namespace Nabla.Kernels;

/// <summary>
/// What the forward pass of one recurrent direction keeps for its backward pass, one row per packed input row:
/// the gate activations (N, G H), the hidden state each step started from (N, H), and per mode the LSTM's previous
/// cell state and tanh of the new one, or the GRU's hidden part of the candidate gate, W_hn h + b_hn.
/// </summary>
internal sealed class RnnTape<T>(RnnProblem p) where T : unmanaged
{
    public readonly T[] Gates = new T[p.Rows * p.GateWidth];
    public readonly T[] HPrev = new T[p.Rows * p.HiddenSize];
    public readonly T[] CPrev = p.Mode == RnnMode.Lstm ? new T[p.Rows * p.HiddenSize] : [];
    public readonly T[] TanhC = p.Mode == RnnMode.Lstm ? new T[p.Rows * p.HiddenSize] : [];
    public readonly T[] HiddenN = p.Mode == RnnMode.Gru ? new T[p.Rows * p.HiddenSize] : [];
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

        // All steps' input projections at once: gates = x W_ih^T + (b_ih + b_hh), (N, G H). The GRU's b_hn stays out:
        // it belongs inside r * (W_hn h + b_hn).
        Span<T> bias = default;
        if (!bih.IsEmpty)
        {
            bias = new T[GH];
            bih.CopyTo(bias);
            int hiddenBiasWidth = p.Mode == RnnMode.Gru ? 2 * H : GH;
            TensorPrimitives.Add(bias[..hiddenBiasWidth], bhh[..hiddenBiasWidth], bias[..hiddenBiasWidth]);
            for (int r = 0; r < N; r++) bias.CopyTo(gates.Slice(r * GH, GH));
        }
        Gemm(false, true, N, GH, p.InputSize, x, p.InputSize, wih, p.InputSize, bias.IsEmpty ? T.Zero : T.One, gates, GH);

        var hiddenGates = p.Mode == RnnMode.Gru ? new T[p.Batch * GH] : null;
        for (int k = 0; k < p.Steps; k++)
        {
            int t = p.StepAt(k), bt = p.BatchSizes[t], row0 = p.Offsets[t];
            var hPrev = tape.HPrev.AsSpan(row0 * H, bt * H);
            hN[..(bt * H)].CopyTo(hPrev);
            var g = gates.Slice(row0 * GH, bt * GH);
            if (p.Mode == RnnMode.Gru)
            {
                // The hidden part separately, (bt, 3H): its n third is multiplied by r before joining the input part.
                var gh = hiddenGates.AsSpan(0, bt * GH);
                Gemm(false, true, bt, GH, H, hPrev, H, whh, H, T.Zero, gh, GH);
            }
            else
            {
                // gates(t) += h W_hh^T, straight into the step's rows of the input projection.
                Gemm(false, true, bt, GH, H, hPrev, H, whh, H, T.One, g, GH);
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
        var dGates = new T[N * GH];                                        // (N, G H): gradient of the input part
        var dHidden = p.Mode == RnnMode.Gru ? new T[N * GH] : dGates;      // (N, G H): of the hidden part (differs for GRU)

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

        // The weight gradients of all steps at once: dW_ih += dG^T x, dW_hh += dGh^T hPrev, biases the column sums.
        Gemm(true, false, GH, I, N, dGates, GH, x, I, T.One, dwih, I);
        Gemm(true, false, GH, H, N, dHidden, GH, tape.HPrev, H, T.One, dwhh, H);
        if (!dbih.IsEmpty)
        {
            ColumnSums<T>(dGates, N, GH, dbih);
            ColumnSums<T>(dHidden, N, GH, dbhh);
        }
        if (!dx.IsEmpty) Gemm(false, false, N, I, GH, dGates, GH, wih, I, T.Zero, dx, I);
    }

    /// <summary>sums[j] += sum over rows of m[r, j], for m (rows, cols).</summary>
    private static void ColumnSums<T>(ReadOnlySpan<T> m, int rows, int cols, Span<T> sums) where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int r = 0; r < rows; r++) TensorPrimitives.Add(sums, m.Slice(r * cols, cols), sums);
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
