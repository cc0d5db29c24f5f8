using Nabla.NN;

namespace Nabla.Tests.NN;

/// <summary>Module-level behaviour: PyTorch's names, state dicts and their errors, dtype conversion, printing.</summary>
public class ModuleTests
{
    private static Sequential Mlp() => new(new Linear(4, 8), new ReLU(), new Linear(8, 8), new Tanh(), new Linear(8, 3));

    private static Sequential Nested() => new(
        new Linear(4, 6),
        new Sequential(new BatchNorm1d(6), new ReLU()),
        new Sequential(new Linear(6, 5), new GELU(), new Sequential(new LayerNorm(5), new Dropout(0.25))),
        new Linear(5, 2));

    [Fact]
    public void SequentialMlpParametersHavePyTorchNames() =>
        Assert.Equal(["0.weight", "0.bias", "2.weight", "2.bias", "4.weight", "4.bias"], Mlp().NamedParameters().Select(p => p.Name));

    [Fact]
    public void NestedSequentialStateHasPyTorchNamesInPyTorchOrder()
    {
        // The order of torch's state_dict(): each module's parameters, then its buffers, then its children.
        string[] expected =
        [
            "0.weight", "0.bias",
            "1.0.weight", "1.0.bias", "1.0.running_mean", "1.0.running_var", "1.0.num_batches_tracked",
            "2.0.weight", "2.0.bias", "2.2.0.weight", "2.2.0.bias",
            "3.weight", "3.bias",
        ];
        Assert.Equal(expected, Nested().StateDict().Select(kv => kv.Key));
        Assert.Equal(["1.0.running_mean", "1.0.running_var", "1.0.num_batches_tracked"], Nested().NamedBuffers().Select(b => b.Name));
    }

    [Fact]
    public void NamedModulesWalksTheTreeDepthFirst()
    {
        var names = Nested().NamedModules().Select(m => $"{m.Name}:{m.Module.GetType().Name}");
        Assert.Equal([":Sequential", "0:Linear", "1:Sequential", "1.0:BatchNorm1d", "1.1:ReLU", "2:Sequential", "2.0:Linear", "2.1:GELU",
                      "2.2:Sequential", "2.2.0:LayerNorm", "2.2.1:Dropout", "3:Linear"], names);
    }

    [Fact]
    public void NestedSequentialPrintsLikePyTorch()
    {
        string expected = """
            Sequential(
              (0): Linear(in_features=4, out_features=6, bias=True)
              (1): Sequential(
                (0): BatchNorm1d(6, eps=1e-05, momentum=0.1, affine=True, track_running_stats=True)
                (1): ReLU()
              )
              (2): Sequential(
                (0): Linear(in_features=6, out_features=5, bias=True)
                (1): GELU(approximate='none')
                (2): Sequential(
                  (0): LayerNorm((5,), eps=1e-05, elementwise_affine=True)
                  (1): Dropout(p=0.25, inplace=False)
                )
              )
              (3): Linear(in_features=5, out_features=2, bias=True)
            )
            """;
        Assert.Equal(expected.ReplaceLineEndings("\n"), Nested().ToString());
    }

    [Fact]
    public void EmptySequentialPrintsOnOneLine() => Assert.Equal("Sequential()", new Sequential().ToString());

    [Fact]
    public void SequentialIndexingAddingAndEnumerating()
    {
        var relu = new ReLU();
        var model = new Sequential { new Linear(2, 3), relu };
        model.Add(new Linear(3, 1));
        Assert.Equal(3, model.Count);
        Assert.Same(relu, model[1]);
        Assert.IsType<Linear>(model[-1]);
        Assert.Equal(["Linear", "ReLU", "Linear"], model.Select(m => m.GetType().Name));
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => model[3]);
        Assert.Contains("index 3 is out of range for 3 modules", error.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => model[-4]);
    }

    [Fact]
    public void SequentialWithNamesUsesThem()
    {
        var model = new Sequential(("fc", new Linear(2, 3)), ("act", new ReLU()), ("out", new Linear(3, 1)));
        Assert.Equal(["fc.weight", "fc.bias", "out.weight", "out.bias"], model.NamedParameters().Select(p => p.Name));
        Assert.Contains("(fc): Linear(in_features=2, out_features=3, bias=True)", model.ToString());
        var error = Assert.Throws<ArgumentException>(() => model.Add("fc", new ReLU()));
        Assert.Contains("'fc' is already registered", error.Message);
        Assert.Throws<ArgumentException>(() => model.Add("a.b", new ReLU()));
    }

    [Fact]
    public void SequentialChainsTheForwardPasses()
    {
        var model = new Sequential(new Linear(3, 4, generator: new Generator(1)), new Tanh(), new Linear(4, 2, generator: new Generator(2)));
        var x = Tensor.Randn([5, 3], new Generator(3));
        var expected = ((Linear)model[2]).Forward(((Linear)model[0]).Forward(x).Tanh());
        Assert.Equal(expected.ToArray(), model.Call(x).ToArray());
    }

    [Fact]
    public void LoadStateDictListsEveryMismatchAndChangesNothing()
    {
        var model = Mlp();
        var before = model.StateDict().Select(kv => kv.Value.ToArray()).ToList();
        var state = Mlp().StateDict().Where(kv => kv.Key != "2.bias").ToList();   // missing 2.bias
        state[0] = new(state[0].Key, Tensor.Zeros(8, 5));                            // 0.weight has the wrong shape
        state.Add(new("5.weight", Tensor.Zeros(3)));                                  // unexpected

        var error = Assert.Throws<ArgumentException>(() => model.LoadStateDict(state));
        Assert.Contains("3 mismatch(es)", error.Message);
        Assert.Contains("missing key '2.bias' (8,)", error.Message);
        Assert.Contains("unexpected key '5.weight' (3,)", error.Message);
        Assert.Contains("'0.weight': shape (8, 5) in the state, (8, 4) in the model", error.Message);
        Assert.Equal(before, model.StateDict().Select(kv => kv.Value.ToArray()).ToList());
    }

    [Fact]
    public void LoadStateDictNotStrictSkipsMissingAndUnexpectedButNotWrongShapes()
    {
        var model = Mlp();
        var source = Mlp();
        var state = source.StateDict().Where(kv => kv.Key.StartsWith("0.")).ToList();
        state.Add(new("extra", Tensor.Zeros(2)));
        model.LoadStateDict(state, strict: false);
        Assert.Equal(source.NamedParameters().First().Parameter.ToArray(), model.NamedParameters().First().Parameter.ToArray());

        var wrong = new List<KeyValuePair<string, Tensor>> { new("0.bias", Tensor.Zeros(7)) };
        var error = Assert.Throws<ArgumentException>(() => model.LoadStateDict(wrong, strict: false));
        Assert.Contains("'0.bias': shape (7,) in the state, (8,) in the model", error.Message);
    }

    [Fact]
    public void LoadStateDictCopiesValuesAcrossModels()
    {
        var a = Nested();
        var b = Nested();
        b.LoadStateDict(a.StateDict());
        Assert.Equal(a.StateDict().Select(kv => kv.Value.ToArray()), b.StateDict().Select(kv => kv.Value.ToArray()));
    }

    [Fact]
    public void DoubleConvertsParametersAndBuffersKeepingValuesAndFlags()
    {
        var model = Nested();
        var first = (Linear)model[0];
        first.Bias!.RequiresGrad = false; // frozen stays frozen
        var values = model.StateDict().Select(kv => kv.Value.ToDoubleArray()).ToList();
        Assert.Same(model, model.Double());
        Assert.All(model.StateDict(), kv => Assert.Equal(DType.Float64, kv.Value.DType));
        Assert.Equal(values, model.StateDict().Select(kv => kv.Value.ToDoubleArray()).ToList());
        Assert.False(first.Bias!.RequiresGrad);
        Assert.True(first.Weight.RequiresGrad);
        Assert.Equal(DType.Float64, model.Call(Tensor.Randn(3, 4).Double()).DType);
        model.Float();
        Assert.All(model.StateDict(), kv => Assert.Equal(DType.Float32, kv.Value.DType));
    }

    [Fact]
    public void TrainAndEvalReachEveryModule()
    {
        var model = Nested();
        model.Eval();
        Assert.All(model.Modules(), m => Assert.False(m.IsTraining));
        model.Train();
        Assert.All(model.Modules(), m => Assert.True(m.IsTraining));
    }

    [Fact]
    public void ParameterCountAndZeroGrad()
    {
        var model = Mlp();
        Assert.Equal(4 * 8 + 8 + 8 * 8 + 8 + 8 * 3 + 3, model.ParameterCount());
        model.Call(Tensor.Randn(2, 4)).Sum().Backward();
        Assert.All(model.Parameters(), p => Assert.NotNull(p.Grad));
        model.ZeroGrad();
        Assert.All(model.Parameters(), p => Assert.Null(p.Grad));
    }

    [Theory]
    [InlineData(1e-5, "1e-05")]
    [InlineData(0.1, "0.1")]
    [InlineData(1.0, "1.0")]
    [InlineData(0.0001, "0.0001")]
    [InlineData(0.00012, "0.00012")]
    [InlineData(123.5, "123.5")]
    [InlineData(-2.5e-7, "-2.5e-07")]
    [InlineData(1e16, "1e+16")]
    [InlineData(1234567890123456.0, "1234567890123456.0")]
    [InlineData(0.0, "0.0")]
    public void FloatsPrintAsPythonReprDoes(double value, string expected) => Assert.Equal(expected, PyRepr.Float(value));

    [Fact]
    public void Float32SettingsPrintAsWritten() => Assert.Equal("LeakyReLU(negative_slope=0.01)", new LeakyReLU().ToString());
}
