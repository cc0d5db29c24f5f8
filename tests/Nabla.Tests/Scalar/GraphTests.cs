using Nabla.Scalar;
using Nabla.Viz;

namespace Nabla.Tests.Scalar;

public sealed class GraphTests : IDisposable
{
    private readonly string folder = Path.Combine(Path.GetTempPath(), "nabla-graph-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(folder))
            Directory.Delete(folder, recursive: true);
    }

    // The neuron of the course notes, with its known gradients.
    private static Value Neuron()
    {
        var x1 = new Value(2.0, "x1");
        var x2 = new Value(0.0, "x2");
        var w1 = new Value(-3.0, "w1");
        var w2 = new Value(1.0, "w2");
        var b = new Value(6.8813735870195432, "b");
        var x1w1 = x1 * w1; x1w1.Label = "x1*w1";
        var x2w2 = x2 * w2; x2w2.Label = "x2*w2";
        var sum = x1w1 + x2w2; sum.Label = "x1*w1 + x2*w2";
        var n = sum + b; n.Label = "n";
        var o = n.Tanh(); o.Label = "o";
        o.Backward();
        return o;
    }

    [Fact]
    public void Dot_HasOneRecordPerValue_WithLabelDataAndGrad()
    {
        string dot = ComputationGraph.ToDot(Neuron());

        Assert.StartsWith("digraph {", dot);
        Assert.Contains("rankdir=LR", dot);
        Assert.Contains("label=\"{ o | data 0.7071 | grad 1.0000 }\"", dot);
        Assert.Contains("label=\"{ n | data 0.8814 | grad 0.5000 }\"", dot);
        Assert.Contains("label=\"{ x1 | data 2.0000 | grad -1.5000 }\"", dot);
        Assert.Contains("label=\"{ w1 | data -3.0000 | grad 1.0000 }\"", dot);
        Assert.Contains("label=\"{ x2 | data 0.0000 | grad 0.5000 }\"", dot);
        Assert.Contains("label=\"{ w2 | data 1.0000 | grad 0.0000 }\"", dot);
        Assert.Contains("label=\"{ x1*w1 + x2*w2 | data -6.0000 | grad 0.5000 }\"", dot);
        Assert.Equal(10, Count(dot, "shape=record"));

        // One small node per operation: 2 products, 2 sums, 1 tanh; each with one edge out and its inputs in.
        Assert.Equal(5, Count(dot, "_op [label="));
        Assert.Equal(1, Count(dot, "label=\"tanh\""));
        Assert.Equal(2, Count(dot, "label=\"*\""));
        Assert.Equal(2, Count(dot, "label=\"+\""));
        Assert.Equal(5 + 9, Count(dot, "->"));
    }

    [Fact]
    public void Dot_ShowsAValueUsedTwice_AsTwoEdges()
    {
        var a = new Value(1.0, "a");
        var b = a + a;
        string dot = ComputationGraph.ToDot(b);

        Assert.Equal(2, Count(dot, "v0 -> v1_op;"));
    }

    [Fact]
    public void Dot_EscapesRecordCharactersInLabels()
    {
        var v = new Value(1.0, "a|b {c} <d> \"e\"");
        string dot = ComputationGraph.ToDot(v);
        Assert.Contains(@"a\|b \{c\} \<d\> \""e\""", dot);
    }

    [Fact]
    public void Dot_OfADeepGraph_DoesNotOverflowTheStack()
    {
        Value v = new Value(0.1);
        for (int i = 0; i < 100_000; i++)
            v = v.Tanh();
        string dot = ComputationGraph.ToDot(v);
        Assert.Equal(100_001, Count(dot, "shape=record"));
    }

    [Fact]
    public void Writer_WithoutGraphviz_WritesDot_AndSaysHowToRender()
    {
        var writer = new GraphWriter(Path.Combine(folder, "no-such-dir", "dot"));
        string dotPath = Path.Combine(folder, "neuron.dot");

        var result = writer.Write(Neuron(), dotPath);

        Assert.Equal(dotPath, result.DotPath);
        Assert.Null(result.SvgPath);
        Assert.Contains("shape=record", File.ReadAllText(dotPath));
        Assert.False(File.Exists(Path.Combine(folder, "neuron.svg")));
        Assert.Contains("not found", result.Message);
        Assert.Contains($"dot -Tsvg {dotPath} -o {Path.Combine(folder, "neuron.svg")}", result.Message);
    }

    [Fact]
    public void Writer_WithAProgramNameNotOnPath_IsTreatedAsAbsent()
    {
        var result = new GraphWriter("nabla-no-such-graphviz").Write(new Value(1), Path.Combine(folder, "g.dot"));
        Assert.Null(result.SvgPath);
        Assert.True(File.Exists(result.DotPath));
    }

    // Renders only where Graphviz is installed (developer machines); on CI it checks the fallback.
    [Fact]
    public void Writer_WithGraphviz_RendersSvg_OrFallsBack()
    {
        var result = new GraphWriter().Write(Neuron(), Path.Combine(folder, "neuron.dot"));
        if (GraphWriter.FindExecutable("dot") is null)
        {
            Assert.Null(result.SvgPath);
            Assert.Contains("dot -Tsvg", result.Message);
        }
        else
        {
            Assert.NotNull(result.SvgPath);
            Assert.Contains("<svg", File.ReadAllText(result.SvgPath!));
        }
    }

    private static int Count(string text, string part)
    {
        int count = 0;
        for (int i = text.IndexOf(part, StringComparison.Ordinal); i >= 0; i = text.IndexOf(part, i + 1, StringComparison.Ordinal))
            count++;
        return count;
    }
}
