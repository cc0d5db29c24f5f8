using System.Globalization;
using Nabla.Scalar;

namespace Nabla.Tests.Scalar;

// The order of the backward walk decides the order in which each gradient's contributions are
// added up, and floating-point addition is not associative: a node used by three others can end
// with a different last bit under another valid topological order. These tests pin the order to
// micrograd's recursive sort (inputs visited second-first), written here from the public API only,
// and compare every gradient bit for bit, so a faster Backward cannot silently change results.
public class BackwardOrderTests
{
    public static TheoryData<int> Seeds()
    {
        var data = new TheoryData<int>();
        for (int seed = 0; seed < 20; seed++)
            data.Add(seed);
        return data;
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void RandomExpressions_GetBitForBitTheGradientsOfTheRecursiveSort(int seed)
    {
        var random = new Random(seed);
        // Long expressions over few inputs: many nodes used three times or more.
        var expression = new RandomExpression(random, inputs: 3, length: 300);
        Value[] x = [new(random.NextDouble() * 4 - 2), new(random.NextDouble() * 4 - 2), new(random.NextDouble() * 4 - 2)];
        Value y = expression.Build(x);

        var expected = ReferenceBackward(y);
        y.Backward();

        AssertBitwiseEqual(expected, expression.ToString());
    }

    [Fact]
    public void MoonsLoss_GetsBitForBitTheGradientsOfTheRecursiveSort()
    {
        // The demo's graph: parameters used by every data point, hidden units used by every
        // neuron of the next layer, leaves that already hold a gradient.
        var (model, loss) = MoonsGraph([8, 8, 1], points: 20, seed: 3);
        var random = new Random(4);
        foreach (var p in model.Parameters())
            p.Grad = random.NextDouble(); // leaves accumulate: the sum starts from these

        var expected = ReferenceBackward(loss);
        loss.Backward();

        AssertBitwiseEqual(expected, "moons");
    }

    [Fact]
    public void LargeGraph_GetsBitForBitTheGradientsOfTheRecursiveSort()
    {
        // The demo's own network on 40 points: about 26,000 nodes, so Backward's order spans
        // several of its 8,192-node chunks and is assembled from fifty of the sort's batches.
        var (_, loss) = MoonsGraph([16, 16, 1], points: 40, seed: 5);

        var expected = ReferenceBackward(loss);
        Assert.True(expected.Count > 3 * 8192, $"the graph has only {expected.Count} nodes");
        loss.Backward();

        AssertBitwiseEqual(expected, "moons, 40 points");
    }

    [Fact]
    public void LargeGraph_AfterCollectDeadGraphs_GetsBitForBitTheGradientsOfTheRecursiveSort()
    {
        // CollectDeadGraphs prepares room for the next order, sized by the last graph walked on this
        // thread: a small one here, so the large graph's order starts in the prepared arrays and
        // goes on in pooled ones.
        var (_, small) = MoonsGraph([4, 1], points: 2, seed: 6);
        small.Backward();
        Value.CollectDeadGraphs();
        var (_, loss) = MoonsGraph([16, 16, 1], points: 40, seed: 5);

        var expected = ReferenceBackward(loss);
        loss.Backward();

        AssertBitwiseEqual(expected, "moons, 40 points, after CollectDeadGraphs");
    }

    // The demo's loss for an MLP with these layer sizes on random points with alternating labels.
    private static (MLP Model, Value Loss) MoonsGraph(int[] sizes, int points, int seed)
    {
        var model = new MLP(2, sizes, Activation.Relu, seed: seed);
        var random = new Random(seed + 1);
        double[][] X = [.. Enumerable.Range(0, points).Select(_ => new[] { random.NextDouble() * 2 - 1, random.NextDouble() * 2 - 1 })];
        double[] labels = [.. Enumerable.Range(0, points).Select(i => i % 2 == 0 ? 1.0 : -1.0)];
        return (model, Nabla.Examples.MoonsExample.Loss(model, X, labels).Loss);
    }

    [Fact]
    public void DeepGraph_GetsBitForBitTheGradientsOfTheRecursiveSort()
    {
        // Deeper than the sort's stack buffer (512 nodes) and longer than its batch of placed
        // nodes, so both move on to their pooled arrays; x and w are used at every level.
        var x = new Value(0.3);
        var w = new Value(-0.7);
        Value v = x;
        for (int i = 0; i < 300; i++)
            v = (v + w * v.Tanh()) * 0.9 + x;

        var expected = ReferenceBackward(v);
        v.Backward();

        AssertBitwiseEqual(expected, "deep chain");
        Assert.NotEqual(0.0, x.Grad);
    }

    [Fact]
    public void TheReference_IsSensitiveToTheOrder()
    {
        // The check above could not fail if every order gave the same bits: show that the other
        // child order of the same recursive sort changes some gradient of these graphs.
        int differing = 0;
        for (int seed = 0; seed < 20; seed++)
        {
            var random = new Random(seed);
            var expression = new RandomExpression(random, inputs: 3, length: 300);
            Value[] x = [new(random.NextDouble() * 4 - 2), new(random.NextDouble() * 4 - 2), new(random.NextDouble() * 4 - 2)];
            Value y = expression.Build(x);
            var secondFirst = ReferenceBackward(y);
            var firstFirst = ReferenceBackward(y, firstChildFirst: true);
            differing += secondFirst.Count(kv => Bits(kv.Value) != Bits(firstFirst[kv.Key]));
        }
        Assert.True(differing > 0, "no gradient depends on the order: the order tests prove nothing");
    }

    // micrograd's backward(): a recursive topological sort, then each node's local chain rule in
    // reverse order, skipping nodes whose gradient is 0 as Value.Backward does. Returns every
    // node's gradient and leaves the graph as it found it.
    private static Dictionary<Value, double> ReferenceBackward(Value root, bool firstChildFirst = false)
    {
        var order = new List<Value>();
        var seen = new HashSet<Value>();
        void Visit(Value v)
        {
            if (!seen.Add(v))
                return;
            var children = v.Children;
            for (int k = 0; k < children.Count; k++)
                Visit(children[firstChildFirst ? k : children.Count - 1 - k]);
            order.Add(v);
        }
        Visit(root);

        // Leaves start from their gradient (they accumulate), results of operations from 0.
        var grad = order.ToDictionary(v => v, v => v.IsLeaf ? v.Grad : 0.0); // Value has reference equality
        grad[root] = root.IsLeaf ? grad[root] + 1 : 1;
        for (int i = order.Count - 1; i >= 0; i--)
        {
            Value y = order[i];
            double dy = grad[y];
            if (dy == 0 || y.IsLeaf)
                continue;
            var c = y.Children;
            double yd = y.Data, ad = c[0].Data;
            switch (y.Op)
            {
                case "+": grad[c[0]] += dy; grad[c[1]] += dy; break;
                case "*": grad[c[0]] += c[1].Data * dy; grad[c[1]] += ad * dy; break;
                case "exp": grad[c[0]] += yd * dy; break;
                case "log": grad[c[0]] += dy / ad; break;
                case "tanh": grad[c[0]] += (1 - yd * yd) * dy; break;
                case "ReLU": if (yd > 0) grad[c[0]] += dy; break;
                case "sigmoid": grad[c[0]] += yd * (1 - yd) * dy; break;
                default:
                    double p = double.Parse(y.Op.AsSpan(2), CultureInfo.InvariantCulture); // "**p"
                    grad[c[0]] += (p == 0 ? 0 : p * Math.Pow(ad, p - 1)) * dy;
                    break;
            }
        }
        return grad;
    }

    private static void AssertBitwiseEqual(Dictionary<Value, double> expected, string what)
    {
        foreach (var (v, g) in expected)
        {
            if (Bits(g) != Bits(v.Grad))
                Assert.Fail($"{what}: {v} ({v.Op}) has gradient {v.Grad:R}, the recursive sort gives {g:R}");
        }
    }

    private static long Bits(double x) => BitConverter.DoubleToInt64Bits(x);
}
