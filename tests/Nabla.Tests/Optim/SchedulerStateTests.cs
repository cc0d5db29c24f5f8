using Nabla.Optim;

namespace Nabla.Tests.Optim;

/// <summary>Scheduler StateDict / LoadStateDict: a schedule saved mid-way continues exactly in a new optimizer and scheduler.</summary>
public class SchedulerStateTests
{
    public static IEnumerable<object[]> Cases => OptimFixture.SchedulerNames;

    [Theory]
    [MemberData(nameof(Cases))]
    public void ResumedScheduleContinuesExactly(string name)
    {
        var c = OptimFixture.Schedulers.Single(s => s.Name == name);
        int half = c.Lr.Length / 2;
        var run = SchedulerFixtureTests.Build(c);
        for (int step = 1; step <= half; step++) run.Step(step - 1);
        var optimizerState = run.Optimizer.StateDict();
        var schedulerState = run.Scheduler?.StateDict() ?? run.Plateau!.StateDict();

        // The new scheduler's construction (its step 0) has overwritten the rates (and OneCycleLR the momentum), and the
        // scheduler's LoadStateDict restores them itself: with or without the optimizer's state, in either order.
        var resumed = new[] { "scheduler only", "optimizer then scheduler", "scheduler then optimizer" }.Select(order =>
        {
            var r = SchedulerFixtureTests.Build(c);
            void LoadScheduler()
            {
                if (r.Scheduler is not null) r.Scheduler.LoadStateDict(schedulerState);
                else r.Plateau!.LoadStateDict(schedulerState);
            }
            if (order == "optimizer then scheduler") r.Optimizer.LoadStateDict(optimizerState);
            LoadScheduler();
            if (order == "scheduler then optimizer") r.Optimizer.LoadStateDict(optimizerState);
            return (Order: order, Run: r);
        }).ToArray();

        for (int step = half + 1; step < c.Lr.Length; step++)
        {
            run.Step(step - 1);
            foreach (var (order, r) in resumed)
            {
                r.Step(step - 1);
                Assert.Equal(SchedulerFixtureTests.Rates(run.Optimizer), SchedulerFixtureTests.Rates(r.Optimizer));
                SchedulerFixtureTests.AssertValues(c.Lr[step], SchedulerFixtureTests.Rates(r.Optimizer), $"{name}: resumed ({order}), step {step}");
                if (c.Momentum is not null)
                    SchedulerFixtureTests.AssertValues(c.Momentum[step], SchedulerFixtureTests.Momenta(r.Optimizer), $"{name}: resumed ({order}) momentum, step {step}");
            }
        }
    }

    [Fact]
    public void StateNamesAndBadStates()
    {
        var sgd = new SGD([new Nabla.NN.Parameter(Tensor.Zeros(2))], lr: 0.1);
        var cosine = new CosineAnnealingLR(sgd, tMax: 5);
        cosine.Step();
        Assert.Equal(["last_epoch", "base_lrs", "last_lr"], cosine.StateDict().Select(kv => kv.Key));
        var error = Assert.Throws<ArgumentException>(() => cosine.LoadStateDict([new("last_epoch", Tensor.Scalar(1.5)), new("base_lr", Tensor.Scalar(0.1))]));
        Assert.Contains("CosineAnnealingLR.LoadStateDict: 4 problem(s)", error.Message);
        Assert.Contains("unexpected key 'base_lr'", error.Message);
        Assert.Contains("missing key 'last_lr'", error.Message);
        Assert.Contains("'last_epoch' is 1.5, expected an integer >= 0", error.Message);
        Assert.Equal(1, cosine.LastEpoch);

        var plateau = new ReduceLROnPlateau(sgd);
        Assert.Equal(["last_epoch", "best", "num_bad_epochs", "cooldown_counter", "last_lr"], plateau.StateDict().Select(kv => kv.Key));
        var shape = Assert.Throws<ArgumentException>(() => plateau.LoadStateDict(
            plateau.StateDict().Select(kv => kv.Key == "last_lr" ? new KeyValuePair<string, Tensor>(kv.Key, Tensor.Zeros(DType.Float64, 2)) : kv)));
        Assert.Contains("'last_lr' has shape (2,), expected (1) (one value per parameter group)", shape.Message);
    }
}
