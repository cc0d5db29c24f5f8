using Nabla.Kernels;

namespace Nabla.Tests.Kernels;

public class ThreadsTests
{
    [Fact]
    public void Count_defaults_to_the_cores_and_rejects_less_than_one()
    {
        Assert.True(Threads.Count >= 1);
        int before = Threads.Count;
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => Threads.Count = 0);
        Assert.Contains("Threads.Count must be at least 1, got 0", e.Message);
        Assert.Equal(before, Threads.Count);
    }

    private readonly struct MarkItems(int[] hits) : IParallelWork
    {
        public void Run(int index) => Interlocked.Increment(ref hits[index]);
    }

    [Theory]
    [InlineData(0, 4)]
    [InlineData(1, 4)]
    [InlineData(5, 1)]
    [InlineData(100, 2)]
    [InlineData(1000, 8)]
    public void For_runs_every_item_exactly_once(int count, int threads)
    {
        var hits = new int[count];
        Threads.For(count, threads, new MarkItems(hits));
        Assert.All(hits, h => Assert.Equal(1, h));
    }

    private readonly struct ThrowOn(int bad, int[] hits) : IParallelWork
    {
        public void Run(int index)
        {
            Interlocked.Increment(ref hits[index]);
            if (index == bad)
            {
                throw new InvalidOperationException($"item {index} failed");
            }
        }
    }

    [Fact]
    public void For_without_a_limit_uses_Threads_Count()
    {
        var hits = new int[64];
        Threads.For(hits.Length, new MarkItems(hits));
        Assert.All(hits, h => Assert.Equal(1, h));
    }

    [Fact]
    public void For_rethrows_an_item_exception_after_all_items_ran()
    {
        var hits = new int[50];
        var e = Assert.Throws<InvalidOperationException>(() => Threads.For(50, 2, new ThrowOn(17, hits)));
        Assert.Equal("item 17 failed", e.Message);
        Assert.All(hits, h => Assert.Equal(1, h));
    }
}
