using System.Text.Json;
using Nabla.NN;
using Nabla.Optim;

namespace Nabla.Tests.Optim;

/// <summary>Every scheduler configuration against PyTorch 1.13: each group's learning rate (and momentum) after every step.</summary>
public class SchedulerFixtureTests
{
    public static IEnumerable<object[]> Cases => OptimFixture.SchedulerNames;

    /// <summary>A recorded scheduler rebuilt with Nabla: the optimizer with two groups, and a step function.</summary>
    internal sealed record Run(Optimizer Optimizer, Action<int> Step, LRScheduler? Scheduler, ReduceLROnPlateau? Plateau);

    internal static Run Build(SchedulerCase c)
    {
        double lr = c.OptimizerOptions["lr"].GetDouble();
        var groups = new[]
        {
            new ParamGroup([new Parameter(Tensor.Zeros(DType.Float64, 2))]) { ["lr"] = lr * c.GroupLrFactors[0] },
            new ParamGroup([new Parameter(Tensor.Zeros(DType.Float64, 3))]) { ["lr"] = lr * c.GroupLrFactors[1] },
        };
        var optimizer = OptimFixture.Make(c.Optimizer, groups, c.OptimizerOptions);
        var o = c.Options;
        double D(string key, double fallback) => o.TryGetValue(key, out var v) ? v.GetDouble() : fallback;
        int I(string key) => o[key].GetInt32();
        bool B(string key, bool fallback) => o.TryGetValue(key, out var v) ? v.GetBoolean() : fallback;
        string S(string key, string fallback) => o.TryGetValue(key, out var v) ? v.GetString()! : fallback;
        if (c.Scheduler == "ReduceLROnPlateau")
        {
            var plateau = new ReduceLROnPlateau(optimizer,
                mode: S("mode", "min") == "min" ? PlateauMode.Min : PlateauMode.Max,
                factor: D("factor", 0.1), patience: o.ContainsKey("patience") ? I("patience") : 10, threshold: D("threshold", 1e-4),
                thresholdMode: S("threshold_mode", "rel") == "rel" ? ThresholdMode.Rel : ThresholdMode.Abs,
                cooldown: o.ContainsKey("cooldown") ? I("cooldown") : 0, minLr: D("min_lr", 0), eps: D("eps", 1e-8));
            return new Run(optimizer, i => plateau.Step(c.Metrics![i]), null, plateau);
        }
        LRScheduler scheduler = c.Scheduler switch
        {
            "StepLR" => new StepLR(optimizer, I("step_size"), D("gamma", 0.1)),
            "ExponentialLR" => new ExponentialLR(optimizer, D("gamma", double.NaN)),
            "CosineAnnealingLR" => new CosineAnnealingLR(optimizer, I("T_max"), D("eta_min", 0)),
            "OneCycleLR" => new OneCycleLR(optimizer, D("max_lr", double.NaN), I("total_steps"), D("pct_start", 0.3),
                S("anneal_strategy", "cos") == "cos" ? AnnealStrategy.Cos : AnnealStrategy.Linear,
                B("cycle_momentum", true), D("base_momentum", 0.85), D("max_momentum", 0.95), D("div_factor", 25), D("final_div_factor", 1e4),
                B("three_phase", false)),
            _ => throw new ArgumentException($"unknown scheduler '{c.Scheduler}' in the fixture"),
        };
        return new Run(optimizer, _ => scheduler.Step(), scheduler, null);
    }

    internal static double[] Rates(Optimizer optimizer) => optimizer.ParamGroups.Select(g => g.LearningRate).ToArray();

    internal static double[] Momenta(Optimizer optimizer) =>
        optimizer.ParamGroups.Select(g => g.Contains("beta1") ? g["beta1"] : g["momentum"]).ToArray();

    /// <summary>
    /// Relative 1e-14: the recursive forms are evaluated in PyTorch's order with the same libm calls, so on Linux
    /// the values are identical; the margin only allows another platform's cos.
    /// </summary>
    internal static void AssertValues(double[] expected, double[] actual, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(actual[i] - expected[i]) <= 1e-14 * Math.Abs(expected[i]),
                $"{what}, group {i}: {actual[i]:R} but PyTorch gives {expected[i]:R}");
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void MatchesPyTorch(string name)
    {
        var c = OptimFixture.Schedulers.Single(s => s.Name == name);
        var run = Build(c);
        for (int step = 0; step < c.Lr.Length; step++)
        {
            if (step > 0)
            {
                run.Optimizer.Step();
                run.Step(step - 1);
            }
            AssertValues(c.Lr[step], Rates(run.Optimizer), $"{name}: learning rate after step {step}");
            if (run.Scheduler is not null) AssertValues(c.Lr[step], run.Scheduler.LastLearningRates.ToArray(), $"{name}: LastLearningRates after step {step}");
            if (run.Plateau is not null) AssertValues(c.Lr[step], run.Plateau.LastLearningRates.ToArray(), $"{name}: LastLearningRates after step {step}");
            if (c.Momentum is not null) AssertValues(c.Momentum[step], Momenta(run.Optimizer), $"{name}: momentum after step {step}");
        }
        if (run.Scheduler is OneCycleLR oneCycle)
        {
            var error = Assert.Throws<InvalidOperationException>(oneCycle.Step);
            Assert.Contains($"the specified number of total steps is {oneCycle.TotalSteps}", error.Message);
        }
    }

    [Fact]
    public void EverySchedulerIsCovered()
    {
        Assert.Equal(["CosineAnnealingLR", "ExponentialLR", "OneCycleLR", "ReduceLROnPlateau", "StepLR"],
            OptimFixture.Schedulers.Select(s => s.Scheduler).Distinct().Order());
        Assert.All(OptimFixture.Schedulers, s => Assert.True(s.Lr.Length >= 31, $"{s.Name}: at least 30 steps"));
        // The plateau runs must actually reduce, more than once, so patience and cooldown are exercised.
        Assert.All(OptimFixture.Schedulers.Where(s => s.Metrics is not null),
            s => Assert.True(s.Lr.Select(r => r[0]).Distinct().Count() >= 3, $"{s.Name} reduces at least twice"));
    }

    [Fact]
    public void ComparisonFailsForTheClosedFormOrAnotherSchedule()
    {
        // StepLR's values, by a schedule with a different step size, must not pass.
        var c = OptimFixture.Schedulers.Single(s => s.Name == "step_lr");
        var optimizer = new SGD([new Parameter(Tensor.Zeros(DType.Float64, 2))], lr: 0.1);
        var wrong = new StepLR(optimizer, stepSize: 4, gamma: 0.5);
        Assert.ThrowsAny<Xunit.Sdk.XunitException>(() =>
        {
            for (int step = 1; step < c.Lr.Length; step++)
            {
                wrong.Step();
                AssertValues([c.Lr[step][0]], [wrong.LastLearningRate], "step_lr");
            }
        });
    }
}
