using Nabla.Autograd;
using Nabla.Examples;
using Nabla.Examples.TwoLayerNet;

namespace Nabla.Tests.Examples;

public class TwoLayerNetTests
{
    private static Tensor Cost(Tensor[] t)
    {
        var diff = t[0].MatMul(t[2]).Relu().MatMul(t[3]) - t[1];
        return (diff * diff).Sum();
    }

    private static Tensor[] SmallProblem()
    {
        var g = new Generator(5);
        return [Tensor.Randn([6, 5], g), Tensor.Randn([6, 3], g), Tensor.Randn([5, 7], g), Tensor.Randn([7, 3], g)];
    }

    [Fact]
    public void HandDerivedGradientsPassTheGradientCheck()
    {
        var p = SmallProblem().Select(t => t.Double()).ToArray();
        var (_, gradW1, gradW2) = TwoLayerNetByHand.CostAndGradients(p[0], p[1], p[2], p[3]);
        var result = GradCheck.CheckGradients(Cost, p, [null, null, gradW1, gradW2]);
        Assert.True(result.Passed, result.Message);
    }

    [Fact]
    public void GradientCheckCatchesTheNotesReluBackward()
    {
        var p = SmallProblem().Select(t => t.Double()).ToArray();
        var (_, gradW1, gradW2) = TwoLayerNetByHand.CostAndGradients(p[0], p[1], p[2], p[3], notesReluBackward: true);
        var result = GradCheck.CheckGradients(Cost, p, [null, null, gradW1, gradW2]);
        Assert.False(result.Passed);
        Assert.Contains("input 2", result.Message); // w1's gradient is the one that is wrong
    }

    [Fact]
    public void BothVersionsPrintTheSameCosts()
    {
        var (x, y, w1, w2) = TwoLayerNetExample.MakeProblem(3);
        var byHand = TwoLayerNetByHand.Train(x, y, w1.Clone(), w2.Clone(), 20, 1e-6f);
        var w1a = w1.Clone();
        var w2a = w2.Clone();
        w1a.RequiresGrad = true;
        w2a.RequiresGrad = true;
        var autograd = TwoLayerNetAutograd.Train(x, y, w1a, w2a, 20, 1e-6f);
        for (int t = 0; t < 20; t++) Assert.Equal(byHand[t], autograd[t], 1e-4f * byHand[t]);
        Assert.True(byHand[19] < byHand[0] / 10, "the cost should fall by more than 10x in 20 steps");
    }
}
