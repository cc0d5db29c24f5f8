using Nabla.Scalar;

namespace Nabla.Tests.Scalar;

public class BackwardTests
{
    // A recursive topological sort would overflow the call stack long before a million nodes.
    [Fact]
    public void MillionNodeChain_DoesNotOverflowTheStack()
    {
        const int length = 1_000_000;
        var x = new Value(0.5, "x");
        Value v = x;
        for (int i = 0; i < length; i++)
            v += x; // depth grows by one per step; x fans out to every node

        v.Backward();

        Assert.Equal(0.5 * (length + 1), v.Data);
        Assert.Equal(length + 1, x.Grad);
    }

    [Fact]
    public void MillionNodeChain_CanBeWalkedTwice()
    {
        var x = new Value(0.0);
        Value v = x;
        for (int i = 0; i < 1_000_000; i++)
            v = v.Tanh();
        v.Backward();
        v.Backward();
        Assert.Equal(2.0, x.Grad); // tanh'(0) = 1 all the way down; leaves accumulate
    }

    [Fact]
    public void SecondBackward_AccumulatesIntoLeaves_AndOverwritesOperationResults()
    {
        var a = new Value(3.0, "a");
        var b = new Value(4.0, "b");
        var c = a * b;
        var d = c + a;

        d.Backward();
        Assert.Equal((5.0, 3.0, 1.0, 1.0), (a.Grad, b.Grad, c.Grad, d.Grad));

        d.Backward();
        // Leaves: twice the gradient, as PyTorch's .grad after two backward passes.
        Assert.Equal(10.0, a.Grad);
        Assert.Equal(6.0, b.Grad);
        // Results of operations: this call's d(d)/d(node) only, not a running sum.
        Assert.Equal(1.0, c.Grad);
        Assert.Equal(1.0, d.Grad);
    }

    [Fact]
    public void ZeroingLeaves_BetweenCalls_GivesTheSameGradients()
    {
        var a = new Value(0.3);
        var b = new Value(-1.2);
        var y = (a * b).Tanh() + a.Exp();

        y.Backward();
        double ga = a.Grad, gb = b.Grad;
        a.Grad = 0;
        b.Grad = 0;
        y.Backward();

        Assert.Equal(ga, a.Grad);
        Assert.Equal(gb, b.Grad);
    }

    [Fact]
    public void BackwardOnAnIntermediate_ThenOnTheOutput_ResetsTheIntermediate()
    {
        var a = new Value(2.0);
        var c = a * a;      // dc/da = 4
        var d = c * 3.0;    // dd/dc = 3, dd/da = 12

        c.Backward();
        Assert.Equal(1.0, c.Grad);
        Assert.Equal(4.0, a.Grad);

        d.Backward();
        Assert.Equal(3.0, c.Grad);        // overwritten: dd/dc, not 1 + 3
        Assert.Equal(4.0 + 12.0, a.Grad); // the leaf accumulated both calls
    }

    [Fact]
    public void BackwardOnALeaf_AddsOne()
    {
        var a = new Value(7.0);
        a.Backward();
        Assert.Equal(1.0, a.Grad);
        a.Backward();
        Assert.Equal(2.0, a.Grad);
    }

    [Fact]
    public void DiamondGraph_CountsEveryPath()
    {
        // y = (x*2) * (x+1): dy/dx = 2(x+1) + 2x = 4x + 2.
        var x = new Value(1.5);
        var y = (x * 2) * (x + 1);
        y.Backward();
        Assert.Equal(8.0, x.Grad);
    }

    [Fact]
    public void NodesUnderADeadRelu_EndWithGradientZero()
    {
        // A node whose only user passes nothing back (a ReLU at a negative input) ends with 0, not
        // with what it held before the call.
        var x = new Value(2.0);
        var w = new Value(-3.0);
        var product = x * w;                 // -6: the ReLU above it passes nothing back
        var shifted = product + 1.0;
        var dead = shifted.Relu();
        var y = dead * 4.0 + x.Tanh();
        product.Grad = 7;                    // left over from an earlier call, say
        shifted.Grad = 7;
        y.Backward();

        Assert.Equal(0.0, product.Grad);
        Assert.Equal(0.0, shifted.Grad);
        Assert.Equal(4.0, dead.Grad);        // the ReLU itself gets its gradient; it passes none on
        Assert.Equal(0.0, w.Grad);
        Assert.Equal(1 - Math.Tanh(2.0) * Math.Tanh(2.0), x.Grad, 1e-15);
    }

    [Fact]
    public void AResultOfAnOperation_Takes56Bytes()
    {
        // The node's size sets the step's memory traffic; a field added by mistake would show here.
        var a = new Value(1.0);
        var b = new Value(2.0);
        var keep = new Value[1000];
        _ = a + b; // JIT and first-call allocations before measuring
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < keep.Length; i++)
            keep[i] = a + b;
        long bytes = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(56.0, bytes / (double)keep.Length, 0.5);
    }

    [Fact]
    public void GraphsSharingLeaves_CanEachBeWalked()
    {
        var w = new Value(2.0);
        var y1 = w * 3;
        var y2 = w.Pow(2);

        y1.Backward();
        y2.Backward();

        Assert.Equal(3.0 + 4.0, w.Grad);
    }
}

// Runs alone (no other test in parallel) because it moves the process-wide pass counter:
// a Backward running meanwhile in another test could otherwise get a pass number twice.
[CollectionDefinition(nameof(PassCounterTests), DisableParallelization = true)]
public class PassCounterCollection;

[Collection(nameof(PassCounterTests))]
public class PassCounterTests
{
    [Fact]
    public void PassNumbers_WrappingAround_GiveCorrectGradients()
    {
        // Nodes marked by passes just before the wrap, then walked by passes after it.
        uint saved = Value.LastPass;
        try
        {
            Value.LastPass = uint.MaxValue - 3;
            var a = new Value(1.5);
            var b = new Value(-2.0);
            var y = (a * b + a).Tanh() * b;
            for (int i = 0; i < 8; i++)
            {
                a.Grad = 0;
                b.Grad = 0;
                y.Backward();

                double t = Math.Tanh(1.5 * -2.0 + 1.5), dt = 1 - t * t;
                Assert.Equal(dt * (-2.0 + 1) * -2.0, a.Grad, 1e-12);
                Assert.Equal(dt * 1.5 * -2.0 + t, b.Grad, 1e-12);
            }
            Assert.True(Value.LastPass < 10, "the counter should have wrapped");
        }
        finally
        {
            Value.LastPass = saved;
        }
    }
}
