using System.Numerics;
using Nabla.Kernels;

namespace Nabla;

// One direction of one recurrent layer (Elman, LSTM or GRU) over packed rows, as one autograd node:
//   forward:  G = x W_ih^T + b (one GEMM for all steps), then per step G_t += h W_hh^T and the fused cell update
//   backward: per step (in reverse) the fused cell backward and dh = dG_t W_hh, then dx, dW_ih, dW_hh, biases as
//             one GEMM (or column sum) each over all steps.
// One node instead of a dozen small ones per step: the graph of a 50-step LSTM is one node, not 600, and the backward
// through time runs without allocating per step. The kernels are in Kernels/RnnKernels.cs and Kernels/RnnCellMath.cs.
// The node's single output is the flat concatenation [y (N*H), hN (B*H), cN (B*H) for the LSTM]; the caller gets views.
public partial class Tensor
{
    /// <summary>
    /// Runs one direction of one recurrent layer over packed rows <paramref name="x"/> (N, I) (see <see cref="RnnProblem"/>),
    /// from states <paramref name="h0"/> and (LSTM) <paramref name="c0"/>, (B, H). Returns the outputs (N, H) and the final
    /// states (B, H), each sequence's at its own last step. Shapes must have been checked by the caller.
    /// </summary>
    internal static (Tensor Y, Tensor H, Tensor? C) RnnDirection(RnnMode mode, Tensor x, int[] batchSizes, bool reverse,
                                                               Tensor h0, Tensor? c0, Tensor wih, Tensor whh, Tensor? bih, Tensor? bhh)
    {
        int hidden = whh.shape[1];
        var p = new RnnProblem(mode, x.shape[1], hidden, batchSizes, reverse);
        var inputs = new List<Tensor> { x, h0 };
        if (c0 is not null) inputs.Add(c0);
        inputs.Add(wih);
        inputs.Add(whh);
        if (bih is not null && bhh is not null) { inputs.Add(bih); inputs.Add(bhh); }
        var dtype = inputs.Exists(t => t.DType == DType.Float64) ? DType.Float64 : DType.Float32;
        var values = inputs.ConvertAll(t => t.To(dtype).Detach().Contiguous()).ToArray();

        int n = p.Rows * hidden, b = p.Batch * hidden;
        var flat = Empty(dtype, n + (mode == RnnMode.Lstm ? 2 : 1) * b);
        object tape = dtype == DType.Float64 ? RunForward<double>(p, values, flat) : RunForward<float>(p, values, flat);
        if (NeedsGrad(inputs)) flat.WithGradFn(new RnnNode(inputs.ToArray(), values, p, tape));

        var y = flat.Narrow(0, 0, n).Reshape(p.Rows, hidden);
        var h = flat.Narrow(0, n, b).Reshape(p.Batch, hidden);
        var c = mode == RnnMode.Lstm ? flat.Narrow(0, n + b, b).Reshape(p.Batch, hidden) : null;
        return (y, h, c);
    }

    /// <summary>The values in node input order: x, h0, [c0], W_ih, W_hh, [b_ih, b_hh].</summary>
    private readonly ref struct RnnValues<T>(RnnProblem p, Tensor[] v) where T : unmanaged
    {
        private readonly int w = p.Mode == RnnMode.Lstm ? 3 : 2;
        public Span<T> X => v[0].Span<T>();
        public Span<T> H0 => v[1].Span<T>();
        public Span<T> C0 => p.Mode == RnnMode.Lstm ? v[2].Span<T>() : default;
        public Span<T> Wih => v[w].Span<T>();
        public Span<T> Whh => v[w + 1].Span<T>();
        public Span<T> Bih => v.Length > w + 2 ? v[w + 2].Span<T>() : default;
        public Span<T> Bhh => v.Length > w + 2 ? v[w + 3].Span<T>() : default;
        public int WeightIndex => w;
    }

    private static RnnTape<T> RunForward<T>(RnnProblem p, Tensor[] values, Tensor flat) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var v = new RnnValues<T>(p, values);
        var tape = new RnnTape<T>(p);
        int n = p.Rows * p.HiddenSize, b = p.Batch * p.HiddenSize;
        var all = flat.Span<T>();
        RnnKernels.Forward<T>(p, v.X, v.Wih, v.Whh, v.Bih, v.Bhh, v.H0, v.C0, all[..n], all.Slice(n, b),
                              p.Mode == RnnMode.Lstm ? all.Slice(n + b, b) : default, tape);
        return tape;
    }

    private sealed class RnnNode(Tensor[] inputs, Tensor[] values, RnnProblem p, object tape) : GradNode(inputs)
    {
        public override string Name => p.Mode switch { RnnMode.Lstm => "LstmBackward", RnnMode.Gru => "GruBackward", _ => "RnnBackward" };

        protected internal override void Backward(Tensor gradOutput)
        {
            if (values[0].DType == DType.Float64) Run<double>(gradOutput);
            else Run<float>(gradOutput);
        }

        private void Run<T>(Tensor gradOutput) where T : unmanaged, IFloatingPointIeee754<T>
        {
            var v = new RnnValues<T>(p, values);
            var g = gradOutput.To(values[0].DType).Contiguous().Span<T>();
            int n = p.Rows * p.HiddenSize, b = p.Batch * p.HiddenSize;
            var grads = new Tensor[values.Length];
            for (int i = 0; i < values.Length; i++) grads[i] = Empty(values[i].DType, values[i].shape);
            bool lstm = p.Mode == RnnMode.Lstm, bias = values.Length > v.WeightIndex + 2;
            int w = v.WeightIndex;
            RnnKernels.Backward<T>(p, v.X, v.Wih, v.Whh, (RnnTape<T>)tape, g[..n], g.Slice(n, b), lstm ? g.Slice(n + b, b) : default,
                                   NeedsGrad(0) ? grads[0].Span<T>() : default, grads[1].Span<T>(), lstm ? grads[2].Span<T>() : default,
                                   grads[w].Span<T>(), grads[w + 1].Span<T>(),
                                   bias ? grads[w + 2].Span<T>() : default, bias ? grads[w + 3].Span<T>() : default);
            for (int i = 0; i < grads.Length; i++)
                if (NeedsGrad(i)) AccumulateGrad(i, grads[i]);
        }
    }
}
