using Nabla.NN;

namespace Nabla.Tests.NN;

/// <summary>
/// Every layer against PyTorch (tools/fixtures_nn.py): the printout, parameter and state names, then with PyTorch's
/// state loaded, outputs and the gradients of the input and every parameter in float64, across training and evaluation
/// steps, and the running statistics at the end.
/// </summary>
public class LayerFixtureTests
{
    private const string File = "nn_layers.json";

    private static readonly Dictionary<string, Func<Module>> Layers = new()
    {
        ["linear"] = () => new Linear(5, 3),
        ["linear_no_bias_3d"] = () => new Linear(5, 3, bias: false),
        ["relu"] = () => new ReLU(),
        ["sigmoid"] = () => new Sigmoid(),
        ["tanh"] = () => new Tanh(),
        ["leaky_relu"] = () => new LeakyReLU(0.125f),
        ["gelu"] = () => new GELU(),
        ["gelu_tanh"] = () => new GELU("tanh"),
        ["softmax"] = () => new Softmax(1),
        ["log_softmax"] = () => new LogSoftmax(-1),
        ["identity"] = () => new Identity(),
        ["flatten"] = () => new Flatten(),
        ["flatten_0_1"] = () => new Flatten(0, 1),
        ["dropout_eval"] = () => new Dropout(0.5),
        ["batchnorm1d_2d"] = () => new BatchNorm1d(4),
        ["batchnorm1d_3d"] = () => new BatchNorm1d(3, momentum: 0.3),
        ["batchnorm1d_no_affine"] = () => new BatchNorm1d(4, eps: 1e-3, affine: false),
        ["batchnorm1d_cumulative"] = () => new BatchNorm1d(3, momentum: null),
        ["batchnorm1d_no_running_stats"] = () => new BatchNorm1d(3, trackRunningStats: false),
        ["layernorm"] = () => new LayerNorm(6),
        ["layernorm_2d_shape"] = () => new LayerNorm([3, 4]),
        ["layernorm_no_affine"] = () => new LayerNorm(5, eps: 1e-3, elementwiseAffine: false),
        ["embedding"] = () => new Embedding(10, 4),
        ["embedding_padding"] = () => new Embedding(5, 3, paddingIdx: 0),
        ["mlp"] = () => new Sequential(new Linear(4, 8), new ReLU(), new Linear(8, 8), new Tanh(), new Linear(8, 3)),
        ["nested"] = () => new Sequential(
            new Linear(4, 6),
            new Sequential(new BatchNorm1d(6), new ReLU()),
            new Sequential(new Linear(6, 5), new GELU(), new Sequential(new LayerNorm(5), new Dropout(0.0))),
            new Linear(5, 2)),
    };

    public static IEnumerable<object[]> Cases => ModuleFixture.Load(File).Select(c => new object[] { c.Name });

    [Theory]
    [MemberData(nameof(Cases))]
    public void MatchesPyTorch(string name)
    {
        Assert.True(Layers.ContainsKey(name), $"no Nabla module registered for fixture case '{name}'");
        ModuleFixture.Verify(ModuleFixture.Get(File, name), Layers[name]());
    }

    [Fact]
    public void EveryRegisteredLayerHasAFixture() =>
        Assert.Equal(Layers.Keys.Order(), ModuleFixture.Load(File).Select(c => c.Name).Order());

    [Fact]
    public void VerifyFailsOnAWrongParameterValue()
    {
        // The same module with one weight nudged by 1e-6 after loading must be caught in the output.
        var fixture = ModuleFixture.Get(File, "linear");
        var error = Assert.ThrowsAny<Xunit.Sdk.XunitException>(() => ModuleFixture.Verify(fixture, new NudgedLinear()));
        Assert.Contains("linear step 0 (train): output", error.Message);
    }

    [Fact]
    public void VerifyFailsOnAWrongRunningStatistic()
    {
        // A batch norm whose running variance used the biased estimate would pass every output check of the training
        // steps but not the evaluation step or the final state.
        var fixture = ModuleFixture.Get(File, "batchnorm1d_2d");
        var error = Assert.ThrowsAny<Xunit.Sdk.XunitException>(() => ModuleFixture.Verify(fixture, new BiasedRunningVarBatchNorm()));
        Assert.Contains("batchnorm1d_2d step 3 (eval): output", error.Message);
    }

    /// <summary>Linear with its first weight changed by 1e-6 on every call.</summary>
    private sealed class NudgedLinear : Linear
    {
        public NudgedLinear() : base(5, 3) { }

        public override string ToString() => "Linear(in_features=5, out_features=3, bias=True)"; // not "NudgedLinear(...)"

        public override Tensor Forward(Tensor input)
        {
            var nudge = Tensor.ZerosLike(Weight);
            nudge.Buffer<double>()[0] = 1e-6;
            return Tensor.Linear(input, Weight + nudge, Bias);
        }
    }

    /// <summary>BatchNorm1d whose running variance is corrected back to the biased estimate after each training step.</summary>
    private sealed class BiasedRunningVarBatchNorm : BatchNorm1d
    {
        public BiasedRunningVarBatchNorm() : base(4) { }

        public override string ToString() => "BatchNorm1d(4, eps=1e-05, momentum=0.1, affine=True, track_running_stats=True)";

        public override Tensor Forward(Tensor input)
        {
            if (!IsTraining) return base.Forward(input);
            var before = RunningVar!.Clone();
            var y = base.Forward(input);
            using (Tensor.NoGrad())
            {
                double n = input.Shape[0];
                // undo the unbiased factor n / (n - 1) on the new part: r = r0 + (r1 - r0) * (n - 1) / n
                RunningVar.CopyInPlace(before + (RunningVar - before) * (float)((n - 1) / n));
            }
            return y;
        }
    }
}
