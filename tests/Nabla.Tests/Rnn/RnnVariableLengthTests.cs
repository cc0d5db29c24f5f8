using Nabla.NN;

namespace Nabla.Tests.Rnn;

/// <summary>
/// A packed batch of mixed lengths gives each sequence what running it alone gives (outputs at every one of its steps
/// and final states taken at its own last step), forward and bidirectional; padding positions get no gradient.
/// </summary>
public class RnnVariableLengthTests
{
    private const int I = 4, H = 6, T = 6;
    private static readonly int[] Lengths = [3, 6, 1, 4];

    public static IEnumerable<object[]> Cases() =>
        from kind in new[] { "rnn_tanh", "lstm", "gru" }
        from bidirectional in new[] { false, true }
        from batchFirst in new[] { false, true }
        select new object[] { kind, bidirectional, batchFirst };

    private static RNNBase Build(string kind, bool bidirectional, bool batchFirst)
    {
        var g = new Generator(21);
        RNNBase layer = kind switch
        {
            "lstm" => new LSTM(I, H, 2, batchFirst: batchFirst, bidirectional: bidirectional, generator: g),
            "gru" => new GRU(I, H, 2, batchFirst: batchFirst, bidirectional: bidirectional, generator: g),
            _ => new RNN(I, H, 2, batchFirst: batchFirst, bidirectional: bidirectional, generator: g),
        };
        layer.Double();
        return layer;
    }

    /// <summary>Runs a padded or packed input through any of the three layers: (output, [h, c]).</summary>
    private static (Tensor Output, Tensor[] States) Run(RNNBase layer, Tensor input, Tensor[]? states) => layer switch
    {
        LSTM lstm => lstm.Forward(input, states is null ? null : (states[0], states[1])) is var r ? (r.Output, [r.State.H, r.State.C]) : default,
        GRU gru => gru.Forward(input, states?[0]) is var r ? (r.Output, [r.H]) : default,
        RNN rnn => rnn.Forward(input, states?[0]) is var r ? (r.Output, [r.H]) : default,
        _ => throw new InvalidOperationException(),
    };

    private static (PackedSequence Output, Tensor[] States) Run(RNNBase layer, PackedSequence input, Tensor[]? states) => layer switch
    {
        LSTM lstm => lstm.Forward(input, states is null ? null : (states[0], states[1])) is var r ? (r.Output, [r.State.H, r.State.C]) : default,
        GRU gru => gru.Forward(input, states?[0]) is var r ? (r.Output, [r.H]) : default,
        RNN rnn => rnn.Forward(input, states?[0]) is var r ? (r.Output, [r.H]) : default,
        _ => throw new InvalidOperationException(),
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void EachSequenceGetsWhatItGetsAlone(string kind, bool bidirectional, bool batchFirst)
    {
        var layer = Build(kind, bidirectional, batchFirst);
        int batch = Lengths.Length, d = bidirectional ? 2 : 1;
        var g = new Generator(4);
        var padded = Tensor.Randn(batchFirst ? [batch, T, I] : [T, batch, I], g).Double();
        var states = Enumerable.Range(0, kind == "lstm" ? 2 : 1).Select(_ => Tensor.Randn([2 * d, batch, H], g).Double()).ToArray();

        var packed = RnnUtils.PackPaddedSequence(padded, Lengths, batchFirst, enforceSorted: false);
        var (output, final) = Run(layer, packed, states);
        var (unpacked, lengths) = RnnUtils.PadPackedSequence(output, batchFirst);
        Assert.Equal(Lengths, lengths);
        Assert.Equal(batchFirst ? [batch, T, d * H] : new[] { T, batch, d * H }, unpacked.Shape);

        for (int b = 0; b < batch; b++)
        {
            // Sequence b alone, its own steps only, from its own initial states: (L, 1, I).
            var alone = (batchFirst ? padded.Select(0, b) : padded.Select(1, b)).Narrow(0, 0, Lengths[b]);
            alone = batchFirst ? alone.Unsqueeze(0) : alone.Unsqueeze(1);
            var (y, h) = Run(layer, alone, states.Select(s => s.Narrow(1, b, 1)).ToArray());
            var mine = (batchFirst ? unpacked.Select(0, b) : unpacked.Select(1, b));
            AssertClose(y.Reshape(Lengths[b], d * H), mine.Narrow(0, 0, Lengths[b]), $"{kind} sequence {b} output");
            Assert.All(mine.Narrow(0, Lengths[b], T - Lengths[b]).ToArray(), v => Assert.Equal(0f, v)); // padding stays 0
            for (int k = 0; k < final.Length; k++)
                AssertClose(h[k].Reshape(2 * d, H), final[k].Select(1, b), $"{kind} sequence {b} final state {k}");
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void PaddingGetsNoGradient(string kind, bool bidirectional, bool batchFirst)
    {
        var layer = Build(kind, bidirectional, batchFirst);
        int batch = Lengths.Length;
        var padded = Tensor.Randn(batchFirst ? [batch, T, I] : [T, batch, I], new Generator(8)).Double();
        padded.RequiresGrad = true;
        var (output, final) = Run(layer, RnnUtils.PackPaddedSequence(padded, Lengths, batchFirst, enforceSorted: false), null);
        var (unpacked, _) = RnnUtils.PadPackedSequence(output, batchFirst);
        (unpacked.Sum() + final[0].Sum()).Backward();
        var grad = padded.Grad!;
        for (int b = 0; b < batch; b++)
        {
            var rows = batchFirst ? grad.Select(0, b) : grad.Select(1, b); // (T, I)
            Assert.All(rows.Narrow(0, Lengths[b], T - Lengths[b]).ToDoubleArray(), v => Assert.Equal(0.0, v));
            Assert.Contains(rows.Narrow(0, 0, Lengths[b]).ToDoubleArray(), v => v != 0); // the real steps do get one
        }
    }

    [Fact]
    public void SortedAndUnsortedPackingAgree()
    {
        var layer = Build("lstm", true, false);
        var g = new Generator(5);
        var sequences = new[] { 5, 3, 3, 1 }.Select(n => Tensor.Randn([n, I], g).Double()).ToArray();
        var sorted = Run(layer, RnnUtils.PackSequence(sequences), null);
        int[] order = [2, 0, 3, 1];
        var shuffled = Run(layer, RnnUtils.PackSequence(order.Select(i => sequences[i]).ToArray(), enforceSorted: false), null);
        var (a, _) = RnnUtils.PadPackedSequence(sorted.Output);
        var (b, lengths) = RnnUtils.PadPackedSequence(shuffled.Output);
        Assert.Equal([3, 5, 1, 3], lengths);
        for (int j = 0; j < order.Length; j++)
        {
            AssertClose(a.Select(1, order[j]), b.Select(1, j), $"output of sequence {order[j]}");
            AssertClose(sorted.States[0].Select(1, order[j]), shuffled.States[0].Select(1, j), $"h of sequence {order[j]}");
        }
    }

    [Fact]
    public void PadSequenceAndPackSequenceRoundTrip()
    {
        var g = new Generator(6);
        var sequences = new[] { 4, 2, 1 }.Select(n => Tensor.Randn([n, 2], g)).ToArray();
        var padded = RnnUtils.PadSequence(sequences, batchFirst: true, paddingValue: -1);
        Assert.Equal([3, 4, 2], padded.Shape);
        Assert.Equal(-1f, padded.Select(0, 2).Select(0, 3).ToArray()[0]);
        var packed = RnnUtils.PackSequence(sequences);
        Assert.Equal([3, 2, 1, 1], packed.BatchSizes);
        var (back, lengths) = RnnUtils.PadPackedSequence(packed, batchFirst: true, paddingValue: -1, totalLength: 5);
        Assert.Equal([4, 2, 1], lengths);
        Assert.Equal([3, 5, 2], back.Shape);
        AssertClose(padded, back.Narrow(1, 0, 4), "round trip");
    }

    private static void AssertClose(Tensor expected, Tensor actual, string what)
    {
        Assert.Equal(expected.Shape, actual.Shape);
        var e = expected.ToDoubleArray();
        var a = actual.ToDoubleArray();
        for (int i = 0; i < e.Length; i++)
            Assert.True(Math.Abs(e[i] - a[i]) <= 1e-12, $"{what}: element {i} is {a[i]:R}, expected {e[i]:R}");
    }
}
