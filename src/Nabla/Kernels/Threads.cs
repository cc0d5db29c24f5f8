using System.Runtime.ExceptionServices;

namespace Nabla.Kernels;

/// <summary>
/// The library-wide number of threads that kernels (GEMM, convolutions, elementwise loops)
/// may use. Like <c>torch.set_num_threads</c>: one setting, read at the start of each call.
/// </summary>
public static class Threads
{
    private static int s_count = Environment.ProcessorCount;

    /// <summary>
    /// Maximum number of threads a kernel call may use, the calling thread included.
    /// Defaults to <see cref="Environment.ProcessorCount"/>; 1 runs everything on the calling thread.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is less than 1.</exception>
    public static int Count
    {
        get => Volatile.Read(ref s_count);
        set
        {
            if (value < 1)
            {
                throw new ArgumentOutOfRangeException(
                    nameof(value), value, $"Threads.Count must be at least 1, got {value}.");
            }
            Volatile.Write(ref s_count, value);
        }
    }

    /// <summary>Runs <c>work.Run(i)</c> for every i in [0, count) on up to <see cref="Count"/> threads.</summary>
    internal static void For<TWork>(int count, in TWork work) where TWork : struct, IParallelWork
        => For(count, Count, work);

    /// <summary>
    /// Runs <c>work.Run(i)</c> for every i in [0, count) on up to <paramref name="maxThreads"/>
    /// threads (a caller that read <see cref="Count"/> once passes it on) and returns when all have finished. The calling thread takes items too, so with
    /// one thread (or one item) nothing is queued and nothing is allocated. Items are handed out
    /// one at a time from a shared counter, so a thread slowed by other load takes fewer of them.
    /// The first exception thrown by an item is rethrown here after every item has run.
    /// </summary>
    /// <remarks>
    /// Helpers come from the .NET thread pool. A helper that starts late finds no item left and
    /// returns at once, so a busy pool or a nested call never deadlocks: the caller then simply
    /// does the work alone. A parallel call allocates one small job object; callers decide what
    /// is big enough to be worth splitting (a few tens of microseconds of work at least).
    /// </remarks>
    internal static void For<TWork>(int count, int maxThreads, in TWork work) where TWork : struct, IParallelWork
    {
        if (count <= 0)
        {
            return;
        }
        int threads = Math.Min(maxThreads, count);
        if (threads <= 1)
        {
            for (int i = 0; i < count; i++)
            {
                work.Run(i);
            }
            return;
        }

        var job = new Job<TWork>(work, count);
        for (int t = 1; t < threads; t++)
        {
            ThreadPool.UnsafeQueueUserWorkItem(job, preferLocal: false);
        }
        job.Execute();
        job.Wait();
    }

    /// <summary>Shared state of one parallel call: the work, the next unclaimed item, what is left.</summary>
    private sealed class Job<TWork>(TWork work, int count) : IThreadPoolWorkItem where TWork : struct, IParallelWork
    {
        private readonly TWork _work = work;
        private readonly int _count = count;
        private int _next = -1;
        private int _remaining = count;
        private ExceptionDispatchInfo? _error;
        private readonly ManualResetEventSlim _done = new(false);

        public void Execute()
        {
            int i;
            while ((i = Interlocked.Increment(ref _next)) < _count)
            {
                try
                {
                    _work.Run(i);
                }
                catch (Exception e)
                {
                    Interlocked.CompareExchange(ref _error, ExceptionDispatchInfo.Capture(e), null);
                }
                if (Interlocked.Decrement(ref _remaining) == 0)
                {
                    _done.Set();
                }
            }
        }

        public void Wait()
        {
            // The caller has run out of items to claim; at most a few are still running elsewhere.
            // ManualResetEventSlim spins briefly before it blocks, which suits both cases.
            // It is not disposed: the helper that finishes last may still be inside Set() when the
            // caller sees the count reach zero, and without a wait handle there is nothing to free.
            if (Volatile.Read(ref _remaining) != 0)
            {
                _done.Wait();
            }
            _error?.Throw();
        }
    }
}

/// <summary>One parallel loop body for <c>Threads.For</c>: a struct, so the call is direct.</summary>
internal interface IParallelWork
{
    /// <summary>Runs work item <paramref name="index"/>; items may run in any order, on any thread.</summary>
    void Run(int index);
}
