using System.Runtime.CompilerServices;
using Nabla.Scalar;

namespace Nabla.Tests.Scalar;

public class CollectDeadGraphsTests
{
    [Fact]
    public void AfterAStep_TheStepsGraphIsFreed()
    {
        var model = new MLP(2, [4, 1], Activation.Relu, seed: 1);
        double[][] X = [[0.5, -1.0], [1.5, 0.25]];
        double[] y = [1, -1];

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
    }

    [Fact]
    public void PreparesRoomForTheNextOrder_WhichTheNextBackwardTakes()
    {
        // The order of the next Backward goes into young arrays allocated right after the
        // collection, so that the collection after it has no old array's cards to scan.
        var model = new MLP(2, [8, 8, 1], Activation.Relu, seed: 2);
        double[][] X = [[0.5, -1.0], [1.5, 0.25], [-0.3, 0.8]];
        double[] y = [1, -1, 1];
        var (loss, _) = Nabla.Examples.MoonsExample.Loss(model, X, y);
        loss.Backward();
        int nodes = Value.LastOrderSize;

        Value.CollectDeadGraphs();
        Assert.InRange(Value.PreparedOrderCapacity, nodes, nodes + 8192);

        var (again, _) = Nabla.Examples.MoonsExample.Loss(model, X, y);
        again.Backward();
        Assert.Equal(0, Value.PreparedOrderCapacity);
        Assert.Equal(nodes, Value.LastOrderSize);
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
