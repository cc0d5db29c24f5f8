using System.Runtime.CompilerServices;
using Nabla.Scalar;

namespace Nabla.Tests.Scalar;

public class CollectDeadGraphsTests
{
    [Fact]
    public void AfterAStep_TheStepsGraphIsFreed_AndTheParametersKeepTheirValues()
    {
        var model = new MLP(2, [4, 1], Activation.Relu, seed: 1);
        double[][] X = [[0.5, -1.0], [1.5, 0.25]];
        double[] y = [1, -1];
        var before = model.Parameters().Select(p => p.Data).ToArray();

        // A collection started by another test's thread during the step would have moved the graph out of
        // the youngest generation, which CollectDeadGraphs leaves alone: try again until a step's graph is still young.
        bool freed = false, young = false;
        for (int attempt = 0; attempt < 20 && !young; attempt++)
        {
            (var graph, young) = StepAndKeepAWeakReference(model, X, y);
            Value.CollectDeadGraphs();
            freed = !graph.TryGetTarget(out _);
        }

        Assert.True(young, "no step ended with its graph in generation 0: the test could not check anything");
        Assert.True(freed, "the loss node of a finished step should have been collected");
        Assert.Contains(model.Parameters().Select((p, i) => p.Data != before[i]), changed => changed);
    }

    [Fact]
    public void AGraphStillReferenced_IsKept()
    {
        var x = new Value(0.5);
        var y = (x * x + 1.0).Tanh();
        Value.CollectDeadGraphs();
        y.Backward();
        Assert.Equal((1 - Math.Pow(Math.Tanh(1.25), 2)) * 2 * 0.5, x.Grad, 1e-15);
    }

    // In a method of its own, so no local of the caller keeps the graph alive.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static (WeakReference<Value> Loss, bool Young) StepAndKeepAWeakReference(MLP model, double[][] X, double[] y)
    {
        var (loss, _) = Nabla.Examples.MoonsExample.Loss(model, X, y);
        model.ZeroGrad();
        loss.Backward();
        foreach (var p in model.Parameters())
            p.Data -= 0.1 * p.Grad;
        return (new WeakReference<Value>(loss), GC.GetGeneration(loss) == 0);
    }
}
