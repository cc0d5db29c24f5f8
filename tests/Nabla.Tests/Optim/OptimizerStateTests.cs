using Nabla.NN;
using Nabla.Optim;

namespace Nabla.Tests.Optim;

/// <summary>StateDict / LoadStateDict: a run saved mid-way and resumed in a new optimizer continues exactly.</summary>
public class OptimizerStateTests
{
    public static IEnumerable<object[]> Cases => OptimFixture.OptimizerNames;

    [Theory]
    [MemberData(nameof(Cases))]
    public void ResumedRunContinuesExactly(string name)
    {
        var c = OptimFixture.Optimizer(name);
        int half = c.Grads.Length / 2;
        var ps = OptimFixture.InitialParameters(c, DType.Float64);
        var optimizer = OptimFixture.Make(c.Optimizer, OptimFixture.Groups(c, ps), c.Options);
        for (int step = 0; step < half; step++)
        {
            OptimFixture.SetGradients(c, ps, step);
            optimizer.Step();
        }
        var saved = optimizer.StateDict();

        // A new run: parameters with the saved values, a fresh optimizer made with the same arguments, the state loaded.
        var resumed = ps.Select(p => new Parameter(p)).ToArray();
        var restored = OptimFixture.Make(c.Optimizer, OptimFixture.Groups(c, resumed), c.Options);
        restored.LoadStateDict(saved);

        for (int step = half; step < c.Grads.Length; step++)
        {
            OptimFixture.SetGradients(c, ps, step);
            OptimFixture.SetGradients(c, resumed, step);
            optimizer.Step();
            restored.Step();
            for (int k = 0; k < ps.Length; k++)
                Assert.Equal(ps[k].ToDoubleArray(), resumed[k].ToDoubleArray()); // bit for bit
            OptimFixture.AssertParameters(c, resumed, step, 1e-12);
        }
    }

    [Fact]
    public void StateDictNamesFollowPyTorch()
    {
        var c = OptimFixture.Optimizer("adam_amsgrad");
        var ps = OptimFixture.InitialParameters(c, DType.Float64);
        var adam = new Adam(ps, lr: 0.01, amsgrad: true);
        OptimFixture.SetGradients(c, ps, 2); // parameter 3 has no gradient at step 2: no state for it yet
        adam.Step();
        var names = adam.StateDict().Select(kv => kv.Key).ToArray();
        string[] expected =
        [
            "state.0.step", "state.0.exp_avg", "state.0.exp_avg_sq", "state.0.max_exp_avg_sq",
            "state.1.step", "state.1.exp_avg", "state.1.exp_avg_sq", "state.1.max_exp_avg_sq",
            "state.2.step", "state.2.exp_avg", "state.2.exp_avg_sq", "state.2.max_exp_avg_sq",
            "param_groups.0.params", "param_groups.0.lr", "param_groups.0.beta1", "param_groups.0.beta2", "param_groups.0.eps",
            "param_groups.0.weight_decay", "param_groups.0.amsgrad", "param_groups.0.maximize",
        ];
        Assert.Equal(expected, names);
        var state = adam.StateDict().ToDictionary(kv => kv.Key, kv => kv.Value);
        Assert.Equal(0, state["state.0.step"].Rank);
        Assert.Equal(1.0, state["state.0.step"].ItemAsDouble());
        Assert.Equal([4, 5], state["state.0.exp_avg"].Shape);
        Assert.Equal([0.0, 1, 2, 3], state["param_groups.0.params"].ToDoubleArray());
        Assert.Equal(0.01, state["param_groups.0.lr"].ItemAsDouble());
    }

    [Fact]
    public void StateDictIsASnapshot()
    {
        var p = new Parameter(Tensor.FullLike(Tensor.Zeros(DType.Float64, 3), 1.0));
        var sgd = new SGD([p], lr: 0.1, momentum: 0.9);
        p.Grad = Tensor.FullLike(p, 1.0);
        sgd.Step();
        var saved = sgd.StateDict().Single(kv => kv.Key == "state.0.momentum_buffer").Value;
        sgd.Step();
        Assert.Equal([1.0, 1, 1], saved.ToDoubleArray());
        Assert.Equal([1.9, 1.9, 1.9], sgd.GetState(p)!["momentum_buffer"]!.ToDoubleArray());
        Assert.DoesNotContain(sgd.StateDict(), kv => kv.Key.EndsWith(".step")); // SGD keeps no step count
    }

    [Fact]
    public void LoadConvertsStateToTheParameterDtype()
    {
        var c = OptimFixture.Optimizer("rmsprop_all");
        var ps64 = OptimFixture.InitialParameters(c, DType.Float64);
        var opt64 = OptimFixture.Make(c.Optimizer, OptimFixture.Groups(c, ps64), c.Options);
        OptimFixture.SetGradients(c, ps64, 0);
        opt64.Step();
        var ps32 = ps64.Select(p => new Parameter(p.Float())).ToArray();
        var opt32 = OptimFixture.Make(c.Optimizer, OptimFixture.Groups(c, ps32), c.Options);
        opt32.LoadStateDict(opt64.StateDict());
        Assert.Equal(DType.Float32, opt32.GetState(ps32[0])!["square_avg"]!.DType);
        for (int step = 1; step < c.Grads.Length; step++)
        {
            OptimFixture.SetGradients(c, ps32, step);
            opt32.Step();
        }
        OptimFixture.AssertParameters(c, ps32, c.Grads.Length - 1, 1e-5);
    }

    private static (Adam Adam, Parameter[] Parameters) SteppedAdam()
    {
        Parameter[] ps = [new Parameter(Tensor.FullLike(Tensor.Zeros(DType.Float64, 2, 3), 1.0)), new Parameter(Tensor.FullLike(Tensor.Zeros(DType.Float64, 4), 1.0))];
        var adam = new Adam(ps, lr: 0.01);
        foreach (var p in ps) p.Grad = Tensor.FullLike(p, 0.5);
        adam.Step();
        return (adam, ps);
    }

    private static List<KeyValuePair<string, Tensor>> Edit(IReadOnlyList<KeyValuePair<string, Tensor>> state, string key, Tensor? value)
    {
        var result = state.Where(kv => kv.Key != key).ToList();
        if (value is not null) result.Add(new(key, value));
        return result;
    }

    public static IEnumerable<object[]> BadStates =>
    [
        ["wrong buffer shape", "state.0.exp_avg has shape (3, 2), the parameter (2, 3)"],
        ["unknown buffer", "state.1.momentum_buffer is not a state of Adam"],
        ["missing buffer", "state.1.exp_avg_sq is missing"],
        ["missing step", "state.0.step is missing"],
        ["fractional step", "state.0.step must be a scalar non-negative integer"],
        ["unknown key", "unexpected key 'optimizer.lr'"],
        ["missing option", "param_groups.0.eps is missing"],
        ["unknown option", "param_groups.0.momentum is not an option of Adam"],
        ["invalid option", "param_groups.0: Adam: beta2 must be in [0, 1), got 1."],
        ["group size", "param_groups.0.params lists 3 parameter(s), the optimizer's group 0 has 2"],
        ["extra group", "the state has 2 parameter group(s)"],
    ];

    [Theory]
    [MemberData(nameof(BadStates))]
    public void BadStateIsRefusedWithAClearMessageAndNothingChanges(string problem, string message)
    {
        var (adam, ps) = SteppedAdam();
        var state = adam.StateDict();
        var bad = problem switch
        {
            "wrong buffer shape" => Edit(state, "state.0.exp_avg", Tensor.Zeros(DType.Float64, 3, 2)),
            "unknown buffer" => Edit(state, "state.1.momentum_buffer", Tensor.Zeros(DType.Float64, 4)),
            "missing buffer" => Edit(state, "state.1.exp_avg_sq", null),
            "missing step" => Edit(state, "state.0.step", null),
            "fractional step" => Edit(state, "state.0.step", Tensor.Scalar(1.5)),
            "unknown key" => Edit(state, "optimizer.lr", Tensor.Scalar(1.0)),
            "missing option" => Edit(state, "param_groups.0.eps", null),
            "unknown option" => Edit(state, "param_groups.0.momentum", Tensor.Scalar(0.9)),
            "invalid option" => Edit(state, "param_groups.0.beta2", Tensor.Scalar(1.0)),
            "group size" => Edit(state, "param_groups.0.params", Tensor.FromArray([0.0, 1, 2], 3)),
            "extra group" => Edit(state, "param_groups.1.lr", Tensor.Scalar(0.1)),
            _ => throw new ArgumentException(problem),
        };
        var before = adam.StateDict();
        var error = Assert.Throws<ArgumentException>(() => adam.LoadStateDict(bad));
        Assert.Contains("Adam.LoadStateDict", error.Message);
        Assert.Contains(message, error.Message);
        var after = adam.StateDict();
        Assert.Equal(before.Select(kv => kv.Key), after.Select(kv => kv.Key));
        for (int i = 0; i < before.Count; i++) Assert.Equal(before[i].Value.ToDoubleArray(), after[i].Value.ToDoubleArray());
    }

    [Fact]
    public void AdagradMakesItsStateEagerly()
    {
        var a = new Parameter(Tensor.Zeros(DType.Float64, 2));
        var adagrad = new Adagrad([a], initialAccumulatorValue: 0.25);
        Assert.Equal([0.25, 0.25], adagrad.GetState(a)!["sum"]!.ToDoubleArray());
        var b = new Parameter(Tensor.Zeros(DType.Float64, 3));
        adagrad.AddParamGroup(new ParamGroup([b]) { ["initial_accumulator_value"] = 0.5 });
        Assert.Equal([0.5, 0.5, 0.5], adagrad.GetState(b)!["sum"]!.ToDoubleArray());
        Assert.Contains(adagrad.StateDict(), kv => kv.Key == "state.1.step" && kv.Value.ItemAsDouble() == 0);
    }
}
