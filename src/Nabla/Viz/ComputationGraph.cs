using System.Globalization;
using System.Text;
using Nabla.Scalar;

namespace Nabla.Viz;

/// <summary>
/// The computation graph of a <see cref="Value"/> as Graphviz DOT text, drawn as in Karpathy's
/// <c>draw_dot</c>: one record per value showing <c>label | data | grad</c>, and one small node per
/// operation between its inputs and its result. Render it with <c>dot -Tsvg graph.dot -o graph.svg</c>,
/// or let <see cref="GraphWriter"/> write and render it.
/// </summary>
public static class ComputationGraph
{
    /// <summary>The DOT text of every value <paramref name="root"/> depends on, laid out left to right.</summary>
    /// <remarks>
    /// The graph is walked with an explicit stack, so deep graphs do not overflow the call stack
    /// (but Graphviz itself is slow beyond a few thousand nodes). A value used twice by one
    /// operation (<c>a + a</c>) gets two edges, which shows why its gradient is the sum of two terms.
    /// </remarks>
    public static string ToDot(Value root)
    {
        ArgumentNullException.ThrowIfNull(root);
        var nodes = Collect(root);
        var ids = new Dictionary<Value, int>(nodes.Count, ReferenceEqualityComparer.Instance);
        for (int i = 0; i < nodes.Count; i++)
            ids[nodes[i]] = i;

        var c = CultureInfo.InvariantCulture;
        var dot = new StringBuilder();
        dot.AppendLine("digraph {");
        dot.AppendLine("  rankdir=LR;");
        dot.AppendLine("  node [fontname=\"Helvetica\", fontsize=11];");
        foreach (var v in nodes)
        {
            int id = ids[v];
            dot.AppendLine(c,
                $"  v{id} [shape=record, label=\"{{ {EscapeRecord(v.Label ?? "")} | data {v.Data:F4} | grad {v.Grad:F4} }}\"];");
            if (v.IsLeaf)
                continue;
            // The operation gets its own small node, fed by the inputs and feeding the result.
            dot.AppendLine(c, $"  v{id}_op [label=\"{EscapeString(v.Op)}\", shape=ellipse, width=0.3, height=0.3];");
            dot.AppendLine(c, $"  v{id}_op -> v{id};");
            foreach (var child in v.Children)
                dot.AppendLine(c, $"  v{ids[child]} -> v{id}_op;");
        }
        dot.AppendLine("}");
        return dot.ToString();
    }

    // Every value reachable from root, inputs before results (depth-first post-order, iterative).
    internal static List<Value> Collect(Value root)
    {
        var order = new List<Value>();
        var placed = new HashSet<Value>(ReferenceEqualityComparer.Instance);
        var entered = new HashSet<Value>(ReferenceEqualityComparer.Instance);
        var stack = new Stack<Value>();
        stack.Push(root);
        while (stack.Count > 0)
        {
            var v = stack.Peek();
            if (entered.Add(v))
            {
                // Push in reverse so the first input is visited (and numbered) first.
                var children = v.Children;
                for (int i = children.Count - 1; i >= 0; i--)
                {
                    if (!entered.Contains(children[i]))
                        stack.Push(children[i]);
                }
                continue;
            }
            stack.Pop();
            if (placed.Add(v))
                order.Add(v);
        }
        return order;
    }

    // In a record label, braces, bars and angle brackets are structure; a backslash escapes them.
    private static string EscapeRecord(string text)
    {
        var escaped = new StringBuilder(text.Length);
        foreach (char ch in text)
        {
            if (ch is '{' or '}' or '|' or '<' or '>' or '"' or '\\')
                escaped.Append('\\');
            escaped.Append(ch switch { '\n' or '\r' => ' ', _ => ch });
        }
        return escaped.ToString();
    }

    private static string EscapeString(string text) => text.Replace("\\", "\\\\").Replace("\"", "\\\"");
}
