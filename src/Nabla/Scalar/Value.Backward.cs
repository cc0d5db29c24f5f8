using System.Buffers;

namespace Nabla.Scalar;

// Reverse-mode differentiation: sort the graph so every node comes after its inputs, then walk
// that order backwards, letting each node pass its gradient to its inputs (the chain rule).
public sealed partial class Value
{
    // Each Backward call takes a new pass number p, and marks a node `visited = 2p` ("entered")
    // when it first sees it and `2p + 1` ("placed") once it is in the order; anything else means
    // "not seen in this pass". So nothing needs resetting afterwards, not even after an exception,
    // and marking costs one write per node. The arithmetic wraps around (unchecked uint); a pass
    // with 2p = 0 is skipped so that a new node (visited = 0) is never taken as seen. A stale mark
    // could only be mistaken for a current one if its node sat unvisited for exactly 2^31 passes.
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
    /// millions of nodes) works. It allocates nothing per node: the order and the stack live in
    /// pooled arrays.</para>
    /// </remarks>
    public void Backward()
    {
        uint entered = unchecked(Interlocked.Increment(ref lastPass) * 2);
        if (entered == 0)
            entered = unchecked(Interlocked.Increment(ref lastPass) * 2);

        Value[] order = ArrayPool<Value>.Shared.Rent(Math.Max(sizeHint, MinBuffer));
        Value[] stack = ArrayPool<Value>.Shared.Rent(MinBuffer);
        int count = 0, depth = 0;
        bool done = false;
        try
        {
            count = TopologicalOrder(this, entered, ref order, ref stack, out depth);
            sizeHint = count;

            // d(this)/d(this) = 1 (non-leaf nodes were set to 0 while being ordered).
            grad += 1;

            // Walk from the output to the inputs: a node's gradient is complete once every node
            // that uses it (all later in the order) has passed its share back.
            for (int i = count - 1; i >= 0; i--)
            {
                Value y = order[i];
                // With dy = 0 every contribution below is 0 * (a finite number): skip the work
                // (it saves whole dead ReLU branches).
                if (y.grad == 0)
                    continue;
                switch (y.op)
                {
                    case ValueOp.Leaf: break;
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
            done = true;
        }
        finally
        {
            // Return the buffers emptied, so the pool keeps no graph alive: only the part used,
            // unless an exception left the counts unknown.
            if (done)
            {
                Array.Clear(order, 0, count);
                Array.Clear(stack, 0, depth);
            }
            ArrayPool<Value>.Shared.Return(order, clearArray: !done);
            ArrayPool<Value>.Shared.Return(stack, clearArray: !done);
        }
    }

    private const int MinBuffer = 256;

    // The size of the last graph walked on this thread: the order buffer is rented at that size,
    // so a training loop (the same graph every step) does not grow it step after step.
    [ThreadStatic] private static int sizeHint;

    // Depth-first post-order, iterative: a node is placed in the order after all its inputs, which
    // is what the backward walk needs. The first time a node is on top of the stack it is marked
    // "entered" and its unseen inputs are pushed above it; the next time, they have all been placed,
    // so it is placed too. A node can be pushed twice (by two parents before it is entered); the
    // second copy finds it placed and is dropped. Results of operations are set to 0 as they are
    // placed; leaves keep their gradient (they accumulate across calls).
    // The arrays and counts are copied to locals so the JIT keeps them in registers; a grown array
    // is written back at once, so the caller always holds the buffers it must return.
    private static int TopologicalOrder(Value root, uint entered, ref Value[] order, ref Value[] stack, out int depth)
    {
        Value[] st = stack, placed = order;
        int top = 0, count = 0, deepest = 1;
        uint done = entered + 1;
        st[top++] = root;
        while (top > 0)
        {
            Value v = st[top - 1];
            if (!Seen(v, entered))
            {
                v.visited = entered;
                if (top + 2 > st.Length)
                    stack = st = Grow(st, top);
                if (v.a is { } a && !Seen(a, entered))
                    st[top++] = a;
                if (v.b is { } b && !Seen(b, entered))
                    st[top++] = b;
                if (top > deepest)
                    deepest = top;
                continue;
            }
            top--;
            if (v.visited == entered)
            {
                v.visited = done;
                if (v.op != ValueOp.Leaf)
                    v.grad = 0;
                if (count == placed.Length)
                    order = placed = Grow(placed, count);
                placed[count++] = v;
            }
        }
        depth = deepest;
        return count;
    }

    // Entered or placed in the pass whose "entered" mark is given: one unsigned compare.
    private static bool Seen(Value v, uint entered) => unchecked(v.visited - entered) < 2;

    // Twice the room; the old array goes back to the pool emptied.
    private static Value[] Grow(Value[] array, int used)
    {
        var bigger = ArrayPool<Value>.Shared.Rent(array.Length * 2);
        Array.Copy(array, bigger, used);
        Array.Clear(array, 0, used);
        ArrayPool<Value>.Shared.Return(array);
        return bigger;
    }
}
