using System.Buffers;

namespace Nabla.Scalar;

// Reverse-mode differentiation: sort the graph so every node comes after its inputs, then walk
// that order backwards, letting each node pass its gradient to its inputs (the chain rule).
public sealed partial class Value
{
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
        var order = new NodeList();
        var stack = new NodeList();
        bool done = false;
        try
        {
            TopologicalOrder(this, ref order, ref stack);

            // d(this)/d(this) = 1 (non-leaf nodes were set to 0 while being ordered).
            grad += 1;

            // Walk from the output to the inputs: a node's gradient is complete once every node
            // that uses it (all later in the order) has passed its share back.
            Value[] nodes = order.Items!;
            for (int i = order.Count - 1; i >= 0; i--)
            {
                Value y = nodes[i];
                y.mark = 0;
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
            // Only on an exception (out of memory while growing a buffer) can marks be left set;
            // clear them so the next call starts clean.
            if (!done)
            {
                for (int i = 0; i < order.Count; i++) order.Items![i].mark = 0;
                for (int i = 0; i < stack.Count; i++) stack.Items![i].mark = 0;
            }
            order.Dispose();
            stack.Dispose();
        }
    }

    // Depth-first post-order, iterative. A node is placed in the order only after all its inputs,
    // which is what the backward walk needs. Marks: 0 not seen, 1 its inputs are being visited,
    // 2 placed. A node can be pushed twice (two parents push it before it is visited); the second
    // copy finds mark 2 and is dropped. Mark 1 can never be met on a child: that would be a cycle,
    // and a graph built by operations on existing values has none.
    private static void TopologicalOrder(Value root, ref NodeList order, ref NodeList stack)
    {
        stack.Push(root);
        while (stack.Count > 0)
        {
            Value v = stack.Peek();
            if (v.mark == 0)
            {
                v.mark = 1;
                if (v.a is { mark: 0 }) stack.Push(v.a);
                if (v.b is { mark: 0 }) stack.Push(v.b);
                continue;
            }
            stack.Pop();
            if (v.mark == 1)
            {
                v.mark = 2;
                // Results of operations start this call at 0; leaves keep what they have (accumulate).
                if (v.op != ValueOp.Leaf)
                    v.grad = 0;
                order.Push(v);
            }
        }
    }

    // A growable array of nodes rented from the shared pool, so a training step allocates no
    // order or stack buffers once the pool is warm. Returned cleared, so it keeps no graph alive.
    private struct NodeList : IDisposable
    {
        public Value[]? Items; // null until the first Push
        public int Count;

        public void Push(Value v)
        {
            if (Items is null || Count == Items.Length)
                Grow();
            Items![Count++] = v;
        }

        public readonly Value Peek() => Items![Count - 1];

        public void Pop() => Count--;

        private void Grow()
        {
            var bigger = ArrayPool<Value>.Shared.Rent(Items is null ? 256 : Items.Length * 2);
            if (Items is not null)
            {
                Array.Copy(Items, bigger, Count);
                ArrayPool<Value>.Shared.Return(Items, clearArray: true);
            }
            Items = bigger;
        }

        public void Dispose()
        {
            if (Items is not null)
                ArrayPool<Value>.Shared.Return(Items, clearArray: true);
            Items = null;
            Count = 0;
        }
    }
}
