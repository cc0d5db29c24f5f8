using BenchmarkDotNet.Attributes;
using Nabla.Data;
using Nabla.Examples;
using Nabla.Scalar;

namespace Nabla.Bench;

/// <summary>
/// The scalar engine: one training step of micrograd's moons demo, and the backward walk of a
/// million-node graph. Run: <c>dotnet run -c Release --project bench/Nabla.Bench -- --filter '*Scalar*'</c>.
/// Compare the step with CPython micrograd: <c>/usr/bin/python3 bench/micrograd_step.py</c>.
/// </summary>
[MemoryDiagnoser]
public class ScalarBenchmarks
{
    /// <summary>Nodes in the graph of <see cref="Backward1M"/> (not counting its one leaf).</summary>
    public const int ChainLength = 1_000_000;

    private double[][] X = [];
    private double[] y = [];
    private MLP model = null!;
    private Value chain = null!;

    [GlobalSetup(Targets = [nameof(MoonsStep), nameof(MoonsStepWithoutCollect)])]
    public void SetupMoons()
    {
        var (points, labels) = Synthetic.Moons(100, noise: 0.1, seed: 1337);
        X = points;
        y = labels.Select(label => label == 1 ? 1.0 : -1.0).ToArray();
        model = new MLP(2, [16, 16, 1], Activation.Relu, seed: 1337);
    }

    /// <summary>Forward over 100 points, SVM loss + L2, zero grad, backward, SGD update, and freeing the step's
    /// graph (<see cref="Value.CollectDeadGraphs"/>): one step of the demo as its loop runs it (about 66,000 nodes).</summary>
    [Benchmark]
    public double MoonsStep()
    {
        double loss = Step();
        Value.CollectDeadGraphs();
        return loss;
    }

    /// <summary>The same step without freeing the graph at its end: the collector runs when its budget is spent,
    /// in the middle of some step.</summary>
    [Benchmark]
    public double MoonsStepWithoutCollect() => Step();

    private double Step() => MoonsExample.Step(model, X, y, 0.5).Loss;

    [GlobalSetup(Target = nameof(Backward1M))]
    public void SetupChain()
    {
        var x = new Value(1e-6);
        Value v = x;
        for (int i = 0; i < ChainLength; i++)
            v += x;
        chain = v;
    }

    /// <summary>Backward (topological sort and chain rule) over a chain of a million additions.
    /// Nodes per second = 1,000,000 / the mean time.</summary>
    [Benchmark]
    public void Backward1M() => chain.Backward();
}
