namespace Nabla.Tests.Tensors;

/// <summary>GetState / SetState: a restored generator continues the exact stream, including a cached normal sample.</summary>
public class GeneratorStateTests
{
    [Fact]
    public void RestoredStateContinuesTheStream()
    {
        var g = new Generator(42);
        g.NextNormal(); // Box-Muller made two samples: one is now cached
        var state = g.GetState();
        Assert.Equal(1UL, state[4]);
        var expected = Enumerable.Range(0, 5).Select(_ => g.NextNormal()).Concat([g.NextDouble(), g.NextInt64(0, 1000)]).ToArray();

        var other = new Generator(7);
        other.NextNormal();
        other.NextNormal(); // no sample cached: the flag must be restored, not only the words
        other.SetState(state);
        var actual = Enumerable.Range(0, 5).Select(_ => other.NextNormal()).Concat([other.NextDouble(), other.NextInt64(0, 1000)]).ToArray();
        Assert.Equal(expected, actual);
    }

    [Fact]
    public void WithoutTheCachedSampleTheStreamDiffers()
    {
        var g = new Generator(42);
        g.NextNormal();
        var state = g.GetState();
        double next = g.NextNormal();
        state[4] = 0;
        state[5] = 0;
        var other = new Generator();
        other.SetState(state);
        Assert.NotEqual(next, other.NextNormal());
    }

    [Fact]
    public void StateIsACopy()
    {
        var g = new Generator(1);
        var state = g.GetState();
        ulong first = g.NextUInt64();
        Assert.Equal(new Generator(1).GetState(), state);
        var h = new Generator(99);
        h.SetState(state);
        Assert.Equal(first, h.NextUInt64());
    }

    [Fact]
    public void BadStatesAreRefused()
    {
        var g = new Generator(3);
        var before = g.GetState();
        Assert.Contains("6 words, got 4", Assert.Throws<ArgumentException>(() => g.SetState(new ulong[4])).Message);
        Assert.Contains("all zero", Assert.Throws<ArgumentException>(() => g.SetState(new ulong[6])).Message);
        Assert.Contains("word 4", Assert.Throws<ArgumentException>(() => g.SetState([1, 2, 3, 4, 2, 0])).Message);
        Assert.Contains("word 4", Assert.Throws<ArgumentException>(() => g.SetState([1, 2, 3, 4, 0, 5])).Message);
        Assert.Equal(before, g.GetState());
    }
}
