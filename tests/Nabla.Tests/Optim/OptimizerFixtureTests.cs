using Nabla.Optim;

namespace Nabla.Tests.Optim;

/// <summary>Every optimizer configuration against PyTorch 1.13 (tools/fixtures_optim.py), step by step.</summary>
public class OptimizerFixtureTests
{
    public static IEnumerable<object[]> Cases => OptimFixture.OptimizerNames;

    [Theory]
    [MemberData(nameof(Cases))]
    public void MatchesPyTorchInFloat64(string name) => OptimFixture.Replay(OptimFixture.Optimizer(name), DType.Float64, 1e-12);

    [Theory]
    [MemberData(nameof(Cases))]
    public void MatchesPyTorchInFloat32(string name) => OptimFixture.Replay(OptimFixture.Optimizer(name), DType.Float32, 1e-5);

    [Fact]
    public void EveryOptimizerAndOptionIsCovered()
    {
        var cases = OptimFixture.Optimizers;
        Assert.Equal(["Adagrad", "Adam", "AdamW", "RMSprop", "SGD"], cases.Select(c => c.Optimizer).Distinct().Order());
        string[] options = ["momentum", "dampening", "nesterov", "weight_decay", "maximize", "betas", "eps", "amsgrad", "alpha", "centered", "lr_decay", "initial_accumulator_value"];
        foreach (var option in options)
            Assert.True(cases.Any(c => c.Options.ContainsKey(option)), $"no fixture case sets {option}");
        Assert.Contains(cases, c => c.Groups is not null);
        Assert.Contains(cases, c => c.Grads.Any(step => step.Any(g => g is null)));
    }

    /// <summary>
    /// The comparison is tight enough to catch a changed rule: replaying a case with one option flipped or slightly
    /// off (a different bias correction, the other weight decay, no Nesterov term, ...) must fail.
    /// </summary>
    [Theory]
    [InlineData("adam_default", "Adam with beta2 = 0.9991 instead of 0.999")]
    [InlineData("adamw_default", "Adam's L2 weight decay instead of AdamW's decoupled one")]
    [InlineData("adam_amsgrad", "Adam without AMSGrad")]
    [InlineData("sgd_nesterov", "classical momentum instead of Nesterov's")]
    [InlineData("sgd_dampening", "momentum without dampening")]
    [InlineData("rmsprop_centered", "uncentered RMSprop")]
    [InlineData("adagrad_lr_decay", "Adagrad without learning-rate decay")]
    [InlineData("sgd_maximize", "minimizing instead of maximizing")]
    [InlineData("sgd_plain", "Adam on an SGD trajectory")]
    public void ReplayFailsWhenTheRuleIsAltered(string name, string alteration)
    {
        var c = OptimFixture.Optimizer(name);
        Func<ParamGroup[], Optimizer> make = name switch
        {
            "adam_default" => g => new Adam(g, lr: 0.01, betas: (0.9, 0.9991)),
            "adamw_default" => g => new Adam(g, lr: 0.01, weightDecay: 1e-2),
            "adam_amsgrad" => g => new Adam(g, lr: 0.01, betas: (0.9, 0.6)),
            "sgd_nesterov" => g => new SGD(g, lr: 0.05, momentum: 0.8),
            "sgd_dampening" => g => new SGD(g, lr: 0.05, momentum: 0.9),
            "rmsprop_centered" => g => new RMSprop(g, lr: 0.01),
            "adagrad_lr_decay" => g => new Adagrad(g, lr: 0.1),
            "sgd_maximize" => g => new SGD(g, lr: 0.02),
            "sgd_plain" => g => new Adam(g, lr: 0.1),
            _ => throw new ArgumentException(name),
        };
        var error = Record.Exception(() => OptimFixture.Replay(c, DType.Float64, 1e-12, make));
        Assert.True(error is Xunit.Sdk.XunitException, $"{name} replayed with {alteration} should not match PyTorch");
    }
}
