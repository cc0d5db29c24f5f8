using System.Buffers;
using System.Runtime.CompilerServices;

namespace Nabla.Scalar;

// Reverse-mode differentiation: sort the graph so every node comes after its inputs, then walk
// that order backwards, letting each node pass its gradient to its inputs (the chain rule).
public sealed partial class Value
{
    // Each Backward call takes a new pass number and writes it into `visited` of every result of an
    // operation it reaches; a node holding any other number has not been reached in this pass. So
    // nothing needs resetting afterwards, not even after an exception, and marking costs one write
    // per node. The numbers wrap around (unchecked uint); pass 0 is skipped so that a new node
    // (visited = 0) is never taken as reached. A stale mark could only be mistaken for a current
    // one if its node sat unvisited for exactly 2^32 passes. Leaves are never marked: the order
    // leaves them out (they have nothing to pass back), so the walk never writes to a parameter
    // except its gradient.
    private static uint lastPass;

    // Lets tests start the pass numbers just before they wrap around.
    internal static uint LastPass
    {
        get => lastPass;
        set => lastPass = value;
    }

    /// <summary>
    /// Computes d(this)/d(v) for every value <c>v</c> this one depends on, and stores it in <c>v.Grad</c>.
    /// </summary>
    /// <remarks>
    /// <para>What a second call does, made to match PyTorch:</para>
    /// <list type="bullet">
    /// <item><b>Leaves accumulate</b>: each call <i>adds</i> d(this)/d(leaf) to the leaf's
    /// <see cref="Grad"/>, as PyTorch accumulates into <c>.grad</c> of leaf tensors. Calling
    /// <c>Backward</c> twice without zeroing therefore doubles the leaves' gradients; a training
    /// loop sets them to 0 (<c>MLP.ZeroGrad</c>) before each call.</item>
    /// <item><b>Results of operations are overwritten</b>: every non-leaf node in the graph is set to
    /// 0 at the start of the call, so after it each one holds exactly d(this)/d(node) from this
    /// call, never a sum with an earlier call (this is what a graph drawing shows).</item>
    /// <item>The output itself receives 1 (d(this)/d(this)): it is set to 1 if it is the result
    /// of an operation, and 1 is added if it is a leaf.</item>
    /// </list>
    /// <para>The walk uses an explicit stack, not recursion, so a graph of any depth (a chain of
    /// millions of nodes) works. It allocates nothing per node: the order goes into arrays prepared
    /// by <see cref="CollectDeadGraphs"/> or rented from a pool, and the stack lives in a buffer on
    /// the call stack, or in a pooled array for graphs deeper than 512.</para>
    /// </remarks>
    public void Backward()
    {
        uint pass = Interlocked.Increment(ref lastPass);
        if (pass == 0)
            pass = Interlocked.Increment(ref lastPass);

        // A leaf has no inputs to pass anything to: d(this)/d(this) = 1 is all there is.
        if (op == ValueOp.Leaf)
        {
            grad += 1;
            return;
        }

        var order = new NodeOrder(sizeHint, youngChunks);
        youngChunks = null;
        Value[]? deepStack = null;
        bool completed = false;
        try
        {
            TopologicalOrder(this, pass, ref order, ref deepStack);
            sizeHint = order.Count;

            // d(this)/d(this) = 1 (the results of operations were set to 0 while being ordered).
            grad = 1;

            // Walk from the output to the inputs: a node's gradient is complete once every node
            // that uses it (all later in the order) has passed its share back.
            var chunks = order.Chunks;
            for (int c = (order.Count - 1) / NodeOrder.ChunkSize; c >= 0; c--)
            {
                Value[] chunk = chunks[c]!;
                for (int i = Math.Min(NodeOrder.ChunkSize, order.Count - c * NodeOrder.ChunkSize) - 1; i >= 0; i--)
                {
                    Value y = chunk[i];
                    // With dy = 0 every contribution below is 0 * (a finite number): skip the work
                    // (it saves whole dead ReLU branches).
                    if (y.grad == 0)
                        continue;
                    switch (y.op)
                    {
                        case ValueOp.Add: AddBackward(y); break;
                        case ValueOp.Mul: MulBackward(y); break;
                        case ValueOp.Pow: PowBackward(y); break;
                        case ValueOp.Exp: ExpBackward(y); break;
                        case ValueOp.Log: LogBackward(y); break;
                        case ValueOp.Tanh: TanhBackward(y); break;
                        case ValueOp.Relu: ReluBackward(y); break;
                        case ValueOp.Sigmoid: SigmoidBackward(y); break;
                    }
                }
            }
            completed = true;
        }
        finally
        {
            order.Release(completed);
            // Return the stack emptied, so the pool keeps no graph alive.
            if (deepStack is not null)
                ArrayPool<Value>.Shared.Return(deepStack, clearArray: true);
        }
    }

    // The topological order, in chunks of 8,192 nodes (64 KB, below the large object heap's
    // threshold of 85 KB). Where the chunks come from matters to the garbage collector:
    //
    // - After CollectDeadGraphs, young chunks it allocated right after its collection. A pooled
    //   array lives in the oldest generation, and storing young nodes into it marks its cards (the
    //   collector's record of old objects that may point to young ones), which the next young
    //   collection must scan: on the moons step, 55 of the 115 us of the collection that ends the
    //   step. Young chunks die with the step's graph and have no cards to scan.
    // - Otherwise (and for a graph larger than the one the young chunks were sized for), chunks
    //   rented from the shared pool. Allocating chunks here instead would be worse when nobody
    //   collects between steps: it spends the collector's budget at the moment the whole graph is
    //   alive, so the collections that follow land inside Backward and copy the graph (a moons step
    //   without CollectDeadGraphs went from 2.2 to 2.9 ms).
    private struct NodeOrder
    {
        public const int ChunkSize = 8192;

        private Value[]?[] chunks;
        private readonly int young; // chunks[..young] were allocated by CollectDeadGraphs; the rest are rented
        private int count;

        public NodeOrder(int expected, Value[]?[]? youngChunks)
        {
            chunks = youngChunks ?? new Value[]?[Math.Max(1, (expected + ChunkSize - 1) / ChunkSize)];
            young = youngChunks?.Length ?? 0;
        }

        public readonly int Count => count;

        // Chunk c holds nodes c * ChunkSize onwards; chunks past Count / ChunkSize may be null.
        public readonly Value[]?[] Chunks => chunks;

        public void Append(ReadOnlySpan<Value> nodes)
        {
            while (!nodes.IsEmpty)
            {
                int c = count / ChunkSize, at = count % ChunkSize;
                if (c == chunks.Length)
                    Array.Resize(ref chunks, c * 2);
                var chunk = chunks[c] ??= ArrayPool<Value>.Shared.Rent(ChunkSize);
                int n = Math.Min(nodes.Length, ChunkSize - at);
                nodes[..n].CopyTo(chunk.AsSpan(at));
                count += n;
                nodes = nodes[n..];
            }
        }

        // Gives the rented chunks back emptied, so the pool keeps no graph alive; the young ones
        // are dropped with the graph. `completed` false: an exception left the count unreliable,
        // so rented chunks are cleared whole.
        public readonly void Release(bool completed)
        {
            for (int c = young; c < chunks.Length && chunks[c] is { } chunk; c++)
            {
                int used = Math.Clamp(count - c * ChunkSize, 0, ChunkSize);
                if (completed)
                    Array.Clear(chunk, 0, used);
                ArrayPool<Value>.Shared.Return(chunk, clearArray: !completed);
            }
        }
    }

    // The size of the last graph walked on this thread: the order starts with room for that many
    // nodes, and CollectDeadGraphs prepares young chunks for that many.
    [ThreadStatic] private static int sizeHint;

    // Young chunks for the next Backward on this thread, allocated by CollectDeadGraphs just after
    // its collection; taken (and so dropped) by that Backward.
    [ThreadStatic] private static Value[]?[]? youngChunks;

    // For tests: the nodes in the last order walked on this thread, and the room prepared for the next.
    internal static int LastOrderSize => sizeHint;

    internal static int PreparedOrderCapacity => (youngChunks?.Length ?? 0) * NodeOrder.ChunkSize;

    // 512 nodes (4 KB) kept on the call stack by TopologicalOrder, twice: its stack (the moons demo
    // goes about 350 deep) and the nodes it has placed but not yet copied to the order.
    [InlineArray(Length)]
    private struct NodeBuffer
    {
        public const int Length = 512;
        private Value element;
    }

    // Depth-first post-order of the results of operations, iterative: a node is placed in the order
    // after all its inputs, which is what the backward walk needs. It is the order of the recursive
    //
    //     visit(v): mark v; if b unmarked: visit(b); if a unmarked: visit(a); place v
    //
    // with the call stack made explicit: going down into an input leaves the node waiting on
    // `stack`; once the input is placed, the node on top checks its other input, then is placed
    // itself. Each node is marked once, pushed at most once and placed once; leaves are skipped.
    // Results of operations are set to 0 as they are placed; leaves keep their gradient (they
    // accumulate across calls). The order fixes the order in which each gradient's contributions are
    // added up, so it stays exactly this one: another valid order would round differently.
    //
    // Storing a node into an array on the heap costs a GC write barrier, a call of a few ns (the
    // collector must learn about references from old objects to new ones); storing it into a buffer
    // on the call stack costs only the check that the target is not the heap. With one or two such
    // stores per node, that is a quarter of the sort, so the stack lives in a buffer on the call
    // stack (its older half moves out to a pooled array, `deepStack`, when it fills, and comes back
    // when the buffer empties) and placed nodes are gathered in another one and copied to `order`
    // 512 at a time, one barrier per copy.
    private static void TopologicalOrder(Value root, uint pass, ref NodeOrder order, ref Value[]? deepStack)
    {
        // The buffers are indexed directly rather than through spans, so that a full stack moves
        // half of itself out (Spill) instead of switching to another span: fewer values for the
        // loop to keep (backward's best 480 -> 455 us on the moons step).
        NodeBuffer stack = default, placed = default;
        int top = 0, n = 0, deep = 0; // deep: older stack entries moved out to deepStack
        Value v = root;
        v.visited = pass;
        while (true)
        {
            // v was just marked: go down into its first unmarked input, b before a.
            Value? next = Unmarked(v.b, pass) ? v.b : Unmarked(v.a, pass) ? v.a : null;
            if (next is not null)
            {
                if (top == NodeBuffer.Length)
                    top = Spill(ref stack, ref deepStack, ref deep);
                stack[top++] = v;
                next.visited = pass;
                v = next;
                continue;
            }

            // Every input of v is placed: place v, then go back up to the node waiting on top of
            // the stack. If it came back from b, its a may still be unmarked: go down there.
            while (true)
            {
                v.grad = 0;
                placed[n++] = v;
                if (n == NodeBuffer.Length)
                {
                    order.Append(placed);
                    n = 0;
                }
                if (top == 0)
                {
                    if (deep == 0)
                    {
                        order.Append(((ReadOnlySpan<Value>)placed)[..n]);
                        return;
                    }
                    top = Refill(ref stack, deepStack!, ref deep);
                }
                v = stack[top - 1];
                if (Unmarked(v.a, pass))
                {
                    v = v.a!;
                    v.visited = pass;
                    break;
                }
                top--;
            }
        }
    }

    // A result of an operation that this pass has not reached yet.
    private static bool Unmarked(Value? v, uint pass) => v is not null && v.op != ValueOp.Leaf && v.visited != pass;

    // The stack buffer is full: move its older half to the end of deepStack (a pooled array,
    // grown as needed), keeping the newer half, which the walk goes back to first. Returns the new top.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static int Spill(ref NodeBuffer stack, ref Value[]? deepStack, ref int deep)
    {
        const int half = NodeBuffer.Length / 2;
        Span<Value> buffer = stack;
        if (deepStack is null || deep + half > deepStack.Length)
        {
            var bigger = ArrayPool<Value>.Shared.Rent(Math.Max(2 * (deep + half), 4 * half));
            if (deepStack is not null)
            {
                deepStack.AsSpan(0, deep).CopyTo(bigger);
                ArrayPool<Value>.Shared.Return(deepStack, clearArray: true);
            }
            deepStack = bigger;
        }
        buffer[..half].CopyTo(deepStack.AsSpan(deep));
        deep += half;
        buffer[half..].CopyTo(buffer); // the upper half is written again before it is read
        return NodeBuffer.Length - half;
    }

    // The stack buffer is empty but older entries wait in deepStack: bring back the newest half
    // buffer's worth. Returns the new top.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static int Refill(ref NodeBuffer stack, Value[] deepStack, ref int deep)
    {
        int count = Math.Min(deep, NodeBuffer.Length / 2);
        deep -= count;
        deepStack.AsSpan(deep, count).CopyTo(stack); // left in place: Backward returns deepStack cleared
        return count;
    }
}
