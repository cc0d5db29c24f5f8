using Nabla.NN;
using Nabla.Optim;

namespace Nabla.Tests.Optim;

/// <summary>The optimizer surface: groups, learning rate, ZeroGrad, skipped parameters, autograd integration, no allocation per step.</summary>
public class OptimizerBehaviourTests
{
    [Fact]
    public void LearningRateReadsTheFirstGroupAndSetsAll()
    {
        var a = new Parameter(Tensor.Zeros(2));
        var b = new Parameter(Tensor.Zeros(2));
        var sgd = new SGD([new ParamGroup([a]), new ParamGroup([b], [new("lr", 0.01)])], lr: 0.1, momentum: 0.9);
        Assert.Equal(0.1, sgd.LearningRate);
        Assert.Equal(0.01, sgd.ParamGroups[1].LearningRate);
        Assert.Equal(0.9, sgd.ParamGroups[1]["momentum"]);
        sgd.LearningRate = 0.5;
        Assert.All(sgd.ParamGroups, g => Assert.Equal(0.5, g.LearningRate));
        Assert.Equal(["lr", "momentum", "dampening", "weight_decay", "nesterov", "maximize"], sgd.ParamGroups[0].Options.Select(o => o.Key));
    }

    [Fact]
    public void ZeroGradSetsGradientsToNullOrZero()
    {
        var p = new Parameter(Tensor.Ones(3));
        var sgd = new SGD([p], lr: 0.1);
        p.Grad = Tensor.Ones(3);
        var grad = p.Grad;
        sgd.ZeroGrad(setToNone: false);
        Assert.Same(grad, p.Grad);
        Assert.Equal([0f, 0, 0], p.Grad!.ToArray());
        sgd.ZeroGrad();
        Assert.Null(p.Grad);
    }

    [Fact]
    public void ParameterWithoutGradientIsSkippedAndItsStateDoesNotAdvance()
    {
        var a = new Parameter(Tensor.Ones(2));
        var b = new Parameter(Tensor.Ones(2));
        var adam = new Adam([a, b], lr: 0.1);
        a.Grad = Tensor.Ones(2);
        adam.Step();
        Assert.Equal([1f, 1], b.ToArray());
        Assert.Null(adam.GetState(b));
        Assert.Equal(1, adam.GetState(a)!.Step);
    }

    [Fact]
    public void TrainsALinearModelWithAutograd()
    {
        // Fit y = 2x - 1 with gradients from Backward; the loss must drop by orders of magnitude.
        var w = new Parameter(Tensor.Zeros(1, 1));
        var bias = new Parameter(Tensor.Zeros(1));
        var x = Tensor.FromArray([-1f, -0.5f, 0, 0.5f, 1], 5, 1);
        var y = x * 2f - 1f;
        var optimizer = new Adam([w, bias], lr: 0.1);
        float first = 0, last = 0;
        for (int i = 0; i < 200; i++)
        {
            optimizer.ZeroGrad();
            var diff = x.MatMul(w) + bias - y;
            var loss = (diff * diff).Mean();
            loss.Backward();
            optimizer.Step();
            if (i == 0) first = loss.Item();
            last = loss.Item();
        }
        Assert.True(last < first * 1e-4, $"loss went from {first} to {last}");
        Assert.Equal(2f, w.Item(), 2);
        Assert.Equal(-1f, bias.Item(), 2);
    }

    [Fact]
    public void StepAllocatesNothingOnceStateExists()
    {
        var p = new Parameter(Tensor.Randn(1000));
        p.Grad = Tensor.Randn(1000);
        Optimizer[] optimizers =
        [
            new SGD([p], lr: 1e-3, momentum: 0.9, nesterov: true), new Adam([p], lr: 1e-3, amsgrad: true), new AdamW([p], lr: 1e-3),
            new RMSprop([p], lr: 1e-3, momentum: 0.5, centered: true), new Adagrad([p], lr: 1e-3),
        ];
        foreach (var optimizer in optimizers)
        {
            for (int i = 0; i < 3; i++) optimizer.Step(); // state made, code jitted
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < 10; i++) optimizer.Step();
            Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        }
    }

    [Fact]
    public void AddedGroupTakesTheDefaultsAndItsOwnOptions()
    {
        var a = new Parameter(Tensor.Zeros(2));
        var b = new Parameter(Tensor.Zeros(2));
        var adam = new AdamW([a], lr: 0.01, betas: (0.8, 0.9));
        adam.AddParamGroup(new ParamGroup([b]) { ["lr"] = 0.1, ["amsgrad"] = 1 });
        var g = adam.ParamGroups[1];
        Assert.Equal(0.1, g.LearningRate);
        Assert.Equal(0.8, g["beta1"]);
        Assert.Equal(0.01, g["weight_decay"]);
        Assert.True(g.GetFlag("amsgrad"));
        Assert.Throws<ArgumentException>(() => adam.AddParamGroup(new ParamGroup([a])));
        Assert.Throws<ArgumentException>(() => adam.AddParamGroup(g));
    }
}
