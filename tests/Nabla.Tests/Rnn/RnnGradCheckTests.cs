using Nabla.Autograd;
using Nabla.Kernels;
using Nabla.NN;

namespace Nabla.Tests.Rnn;

/// <summary>
/// Central differences in float64 against the hand-written backward through time: the op itself (every mode, both
/// directions, padded and packed, with and without biases) with every input a leaf, and the layers and cells with their
/// parameters. H = 5 runs the SIMD loop and its scalar tail (4 doubles per vector).
/// </summary>
public class RnnGradCheckTests
{
    private const int I = 3, H = 5;

    public static IEnumerable<object[]> OpCases() =>
        from mode in Enum.GetNames<RnnMode>()
        from reverse in new[] { false, true }
        from packed in new[] { false, true }
        from bias in new[] { true, false }
        select new object[] { mode, reverse, packed, bias };

    [Theory]
    [MemberData(nameof(OpCases))]
    public void DirectionOpPassesGradCheck(string modeName, bool reverse, bool packed, bool bias)
    {
        var mode = Enum.Parse<RnnMode>(modeName);
        int[] batchSizes = packed ? [3, 3, 2, 1] : [3, 3, 3];
        var inputs = OpInputs(mode, batchSizes, bias, new Generator(5));
        var result = GradCheck.Check(t => RunOp(mode, batchSizes, reverse, t), inputs, atol: 1e-6, rtol: 1e-5);
        Assert.True(result.Passed, result.Message);
    }

    [Fact]
    public void GradCheckCatchesAWrongGradient()
    {
        // The tolerances used here catch a gradient 1% off: the value is scaled by 1.01 outside the graph, so the
        // numerical gradient is 1.01 times the analytic one.
        int[] batchSizes = [2, 2];
        var inputs = OpInputs(RnnMode.Lstm, batchSizes, true, new Generator(6));
        var result = GradCheck.Check(t =>
        {
            var y = RunOp(RnnMode.Lstm, batchSizes, false, t);
            return y + (y * 0.01f).Detach();
        }, inputs, atol: 1e-6, rtol: 1e-5);
        Assert.False(result.Passed);
    }

    /// <summary>x (N, I), h0 (B, H), [c0], W_ih, W_hh, [b_ih, b_hh], small random values.</summary>
    private static Tensor[] OpInputs(RnnMode mode, int[] batchSizes, bool bias, Generator g)
    {
        int gh = RnnProblem.GatesOf(mode) * H, n = batchSizes.Sum(), b = batchSizes[0];
        var list = new List<Tensor> { Tensor.Randn([n, I], g), Tensor.Randn([b, H], g) };
        if (mode == RnnMode.Lstm) list.Add(Tensor.Randn([b, H], g));
        list.Add(Tensor.Randn([gh, I], g) * 0.5f);
        list.Add(Tensor.Randn([gh, H], g) * 0.5f);
        if (bias) { list.Add(Tensor.Randn([gh], g) * 0.5f); list.Add(Tensor.Randn([gh], g) * 0.5f); }
        return list.Select(t => t.Double()).ToArray();
    }

    private static Tensor RunOp(RnnMode mode, int[] batchSizes, bool reverse, Tensor[] t)
    {
        bool lstm = mode == RnnMode.Lstm;
        int w = lstm ? 3 : 2;
        bool bias = t.Length > w + 2;
        var (y, h, c) = Tensor.RnnDirection(mode, t[0], batchSizes, reverse, t[1], lstm ? t[2] : null, t[w], t[w + 1],
                                            bias ? t[w + 2] : null, bias ? t[w + 3] : null);
        var parts = new List<Tensor> { y.Reshape(-1), h.Reshape(-1) };
        if (c is not null) parts.Add(c.Reshape(-1));
        return Tensor.Cat(parts);
    }

    public static IEnumerable<object[]> ModuleCases() =>
        new[] { "rnn_tanh", "rnn_relu", "lstm", "gru" }.SelectMany(kind => new[]
        {
            new object[] { $"{kind}_l2_d2_bf1_b1" }, [$"packed_{kind}_l2_d2"], [$"cell_{kind}_b1"], [$"unbatched_{kind}"],
        });

    /// <summary>
    /// The modules with their parameters: the loss is a fixed random weighting of every result; the analytic gradients
    /// from one backward are checked against central differences of the loss in every input and parameter.
    /// </summary>
    [Theory]
    [MemberData(nameof(ModuleCases))]
    public void ModulePassesGradCheck(string name)
    {
        var s = RnnFixture.Parse(name);
        var module = RnnFixture.Build(s, I, H);
        module.Double();
        var g = new Generator(9);
        int batch = 3, steps = 4;
        var x = s.Cell ? Tensor.Randn([batch, I], g) : s.Unbatched ? Tensor.Randn([steps, I], g)
            : s.BatchFirst ? Tensor.Randn([batch, steps, I], g) : Tensor.Randn([steps, batch, I], g);
        var inputs = new List<Tensor> { x.Double() };
        if (s.Packed) inputs.Add(Tensor.FromArray(new double[] { 2, 4, 1 }, 3));
        if (s.Packed) inputs[0] = Tensor.Randn([steps, batch, I], g).Double();
        int[] stateShape = s.Cell ? [batch, H] : s.Unbatched ? [s.Layers * 2, H] : [s.Layers * (s.Bidirectional ? 2 : 1), batch, H];
        for (int k = 0; k < s.StateCount; k++) inputs.Add(Tensor.Randn(stateShape, g).Double());
        int own = inputs.Count;
        var parameters = module.NamedParameters().ToArray();
        inputs.AddRange(parameters.Select(p => p.Parameter.Detach().Clone()));

        var weights = Tensor.Randn([RnnFixture.Run(s, module, inputs.Take(own).ToArray()).NumEl], new Generator(3)).Double();
        Tensor Loss(Tensor[] t)
        {
            using (Tensor.NoGrad())
                for (int i = 0; i < parameters.Length; i++) parameters[i].Parameter.CopyFrom(t[own + i]);
            return (RnnFixture.Run(s, module, t.Take(own).ToArray()) * weights).Sum();
        }

        var leaves = inputs.Select((t, i) => { var c = t.Clone(); c.RequiresGrad = i < own && !(s.Packed && i == 1); return c; }).ToArray();
        module.ZeroGrad();
        Loss(leaves).Backward();
        var claimed = leaves.Select((t, i) => i < own ? t.Grad : parameters[i - own].Parameter.Grad).ToArray();
        var result = GradCheck.CheckGradients(Loss, inputs.ToArray(), claimed, atol: 1e-6, rtol: 1e-5);
        Assert.True(result.Passed, result.Message);
    }
}
