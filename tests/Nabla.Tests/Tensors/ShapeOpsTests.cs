using Nabla.Autograd;
using Nabla.Kernels;

namespace Nabla.Tests.Tensors;

/// <summary>
/// Shape and indexing ops: gradient checks by central differences (float64), semantics PyTorch users rely on
/// (views share storage, chunk sizing, float32 paths), and the exceptions for bad input with their messages.
/// </summary>
public class ShapeOpsTests
{
    private static Tensor Randn(int seed, params int[] shape) => Tensor.Randn(shape, new Generator(seed));

    private static Tensor Index(params double[] values) => Tensor.FromArray(values, values.Length);

    private static void AssertGrad(Func<Tensor[], Tensor> f, params Tensor[] inputs)
    {
        var result = GradCheck.Check(f, inputs);
        Assert.True(result.Passed, result.Message);
    }

    private static Tensor Pieces(Tensor[] parts) =>
        Tensor.Cat(parts.Select((p, k) => (p * (k + 1f)).Reshape(-1)).ToArray());

    // ----- gradient checks -----

    [Fact]
    public void GradCheckCat() =>
        AssertGrad(t => Tensor.Cat([t[0], t[1].T, t[2].Slice(1, step: 2)], 1), Randn(1, 2, 3), Randn(2, 1, 2), Randn(3, 2, 5));

    [Fact]
    public void GradCheckCatOfOneTensorUsedTwice() =>
        AssertGrad(t => Tensor.Cat([t[0], t[0].Tanh()], 0), Randn(4, 2, 3));

    [Fact]
    public void GradCheckStack() =>
        AssertGrad(t => Tensor.Stack([t[0], t[1] * t[0], t[1]], -1), Randn(5, 3, 2), Randn(6, 3, 2));

    [Fact]
    public void GradCheckSplitChunkUnbind()
    {
        AssertGrad(t => Pieces(t[0].Split(2, 1)), Randn(7, 3, 5));
        AssertGrad(t => Pieces(t[0].Split([3, 1, 0, 1], 0)), Randn(8, 5, 2));
        AssertGrad(t => Pieces(t[0].T.Chunk(3, 0)), Randn(9, 2, 7));
        AssertGrad(t => Pieces(t[0].Unbind(1)) * Pieces(t[0].Unbind(0)), Randn(10, 3, 3));
    }

    [Fact]
    public void GradCheckIndexSelectWithRepeats()
    {
        AssertGrad(t => t[0].IndexSelect(0, Index(2, 0, 2, 2, 1)), Randn(11, 3, 4));
        AssertGrad(t => t[0].Permute(1, 2, 0).IndexSelect(1, Index(1, 1, 0)), Randn(12, 2, 3, 2));
    }

    [Fact]
    public void GradCheckGatherWithRepeats()
    {
        var index = Tensor.FromArray([0.0, 0, 3, 1, 2, 2, 2, 0], 2, 4);
        AssertGrad(t => t[0].Gather(1, index), Randn(13, 3, 4));
        AssertGrad(t => t[0].T.Gather(0, Tensor.FromArray([1.0, 0, 1, 1], 2, 2)), Randn(14, 3, 2));
    }

    [Fact]
    public void GradCheckMaskedFillWithBroadcasting()
    {
        var mask = Tensor.FromArray([1.0, 0, 0, 1, 1, 0], 2, 1, 3);
        AssertGrad(t => t[0].MaskedFill(mask, -3f) * t[0].Sum(0), Randn(15, 4, 3));
        AssertGrad(t => t[0].T.MaskedFill(Tensor.FromArray([0.0, 1, 0], 3, 1), 2f), Randn(16, 5, 3));
    }

    [Fact]
    public void GradCheckRepeat()
    {
        AssertGrad(t => t[0].Repeat(2, 1, 3), Randn(17, 2, 3));
        AssertGrad(t => t[0].T.Repeat(3, 1), Randn(18, 2, 2));
    }

    [Fact]
    public void GradCheckChainsOfViews()
    {
        AssertGrad(t => t[0].T.Slice(0, 1, 5, 2).Reshape(-1) * t[0].Slice(1, 0, 4, 2).Reshape(-1), Randn(19, 4, 6));
        AssertGrad(t => t[0].Permute(2, 0, 1).Slice(1, step: 2).Slice(2, 1)[-1].Contiguous().View(-1), Randn(20, 3, 3, 4));
        AssertGrad(t => t[0].MoveDim(0, -1).Unflatten(0, 2, 2).Flatten().Narrow(0, -5, 4), Randn(21, 3, 4));
        AssertGrad(t => t[0].Unsqueeze(0).Expand(2, 3, 4).Slice(2, 1, 3).Transpose(0, 2).Select(1, 1), Randn(22, 3, 4));
    }

    [Fact]
    public void GradCheckCatchesADroppedRepeat()
    {
        // The repeated row's second use is cut from the graph: its gradient goes missing, and GradCheck must say so.
        var bad = GradCheck.Check(t => Tensor.Cat([t[0].IndexSelect(0, Index(2, 0)), t[0].Detach().IndexSelect(0, Index(2))]), [Randn(23, 3, 2)]);
        Assert.False(bad.Passed);
        var x = Tensor.FromArray([1.0, 2, 3, 4, 5, 6], 3, 2);
        x.RequiresGrad = true;
        x.IndexSelect(0, Index(2, 0, 2)).Sum().Backward();
        Assert.Equal([1.0, 1, 0, 0, 2, 2], x.Grad!.ToDoubleArray());
    }

    // ----- semantics -----

    [Fact]
    public void SplitPiecesAreViewsOfTheSameStorage()
    {
        var x = Tensor.Arange(12).Reshape(3, 4);
        var parts = x.Split(3, 1);
        Assert.Equal(2, parts.Length);
        Assert.Equal(new[] { 3, 3 }, parts[0].Shape);
        Assert.Equal(new[] { 3, 1 }, parts[1].Shape);
        Assert.Same(x.storage, parts[1].storage);
        Assert.Equal([3f, 7, 11], parts[1].ToArray());
        Assert.Equal([4f, 5, 6, 7], x.Unbind()[1].ToArray());
        Assert.Equal([1f, 5, 9], x.Unbind(-1)[1].ToArray());
    }

    [Theory]
    [InlineData(5, 4, new[] { 2, 2, 1 })]
    [InlineData(6, 4, new[] { 2, 2, 2 })]
    [InlineData(2, 4, new[] { 1, 1 })]
    [InlineData(0, 3, new[] { 0, 0, 0 })]
    [InlineData(7, 1, new[] { 7 })]
    public void ChunkUsesPyTorchSizing(int size, int chunks, int[] expected) =>
        Assert.Equal(expected, Tensor.Zeros(size, 2).Chunk(chunks).Select(p => p.Size(0)).ToArray());

    [Fact]
    public void SplitOfAnEmptyDimGivesOneEmptyPiece()
    {
        Assert.Single(Tensor.Zeros(0, 3).Split(2));
        Assert.Single(Tensor.Zeros(0, 3).Split(0));
        Assert.Equal(new[] { 0, 3 }, Tensor.Zeros(0, 3).Split(2)[0].Shape);
    }

    [Fact]
    public void StackAndCatValues()
    {
        var a = Tensor.FromArray([1f, 2, 3, 4], 2, 2);
        var b = Tensor.FromArray([5f, 6, 7, 8], 2, 2);
        Assert.Equal([1f, 2, 3, 4, 5, 6, 7, 8], Tensor.Cat([a, b]).ToArray());
        Assert.Equal([1f, 2, 5, 6, 3, 4, 7, 8], Tensor.Cat([a, b], -1).ToArray());
        Assert.Equal(new[] { 2, 2, 2 }, Tensor.Stack([a, b], 2).Shape);
        Assert.Equal([1f, 5, 2, 6, 3, 7, 4, 8], Tensor.Stack([a, b], 2).ToArray());
        Assert.Equal(b.ToArray(), Tensor.Stack([a, b], 1).Select(1, 1).ToArray());
        // Mixed dtypes promote to float64, and each input's gradient keeps its own dtype.
        var d = b.Double();
        a.RequiresGrad = true;
        d.RequiresGrad = true;
        var c = Tensor.Cat([a, d]);
        Assert.Equal(DType.Float64, c.DType);
        c.Sum().Backward();
        Assert.Equal(DType.Float32, a.Grad!.DType);
        Assert.Equal(DType.Float64, d.Grad!.DType);
    }

    [Fact]
    public void Float32PathsMatchFloat64()
    {
        var x64 = Randn(30, 5, 6).Double();
        var x32 = x64.Float();
        var idx = Index(4, 0, 4, 1);
        var gidx = Tensor.FromArray([0.0, 4, 4, 1, 2, 3, 3, 3, 0, 1, 1, 4], 2, 6);
        var mask = Tensor.FromArray([1f, 0, 0, 1, 1, 0], 6);
        Func<Tensor, Tensor>[] ops =
        [
            x => x.IndexSelect(0, idx),
            x => x.T.IndexSelect(1, idx),
            x => x.Gather(0, gidx),
            x => x.MaskedFill(mask, -1f),
            x => x.Repeat(1, 2),
            x => Tensor.Cat([x, x.Slice(0, 1, 3)]),
        ];
        foreach (var op in ops)
        {
            var leaf32 = x32.Detach();
            var leaf64 = x64.Detach();
            leaf32.RequiresGrad = leaf64.RequiresGrad = true;
            var y32 = op(leaf32);
            var y64 = op(leaf64);
            Assert.Equal(DType.Float32, y32.DType);
            Assert.Equal(y64.ToArray(), y32.ToArray());
            (y32 * y32).Sum().Backward();
            (y64 * y64).Sum().Backward();
            Assert.Equal(DType.Float32, leaf32.Grad!.DType);
            var g32 = leaf32.Grad.ToDoubleArray();
            var g64 = leaf64.Grad!.ToDoubleArray();
            for (int i = 0; i < g32.Length; i++) Assert.True(Math.Abs(g32[i] - g64[i]) < 1e-5, $"gradient element {i}: {g32[i]} vs {g64[i]}");
        }
    }

    [Fact]
    public void MaskedFillEveryRowLengthMatchesNaive()
    {
        // Every length 0..40 in float32 and float64 so the SIMD body and every tail run.
        var g = new Generator(31);
        for (int n = 0; n <= 40; n++)
        {
            var x = Tensor.Randn([n], g);
            var m = Tensor.Rand([n], g);
            var bits = Tensor.FromArray(m.ToArray().Select(v => v < 0.5f ? 1f : 0f).ToArray(), n);
            var expected = x.ToArray().Zip(bits.ToArray(), (v, b) => b != 0 ? 9f : v).ToArray();
            Assert.Equal(expected, x.MaskedFill(bits, 9f).ToArray());
            Assert.Equal(expected.Select(v => (double)v), x.Double().MaskedFill(bits, 9f).ToDoubleArray());
        }
    }

    [Fact]
    public void MaskedFillTreatsAnyNonZeroAsTrue()
    {
        var x = Tensor.FromArray([1f, 2, 3, 4]);
        var mask = Tensor.FromArray([0f, -2, float.NaN, 0.5f]);
        Assert.Equal([1f, 0, 0, 0], x.MaskedFill(mask, 0f).ToArray());
    }

    [Fact]
    public void IndexKernelsAccumulateRepeatsAndInvertGather()
    {
        // table (Outer=2, DimSize=3, Inner=2); rows (2, Count=2, 2) with index [2, 2] per slab.
        var rows = new double[] { 1, 2, 10, 20, 3, 4, 30, 40 };
        var table = new double[12];
        IndexKernels.ScatterAdd<double>(table, 3, rows, [2, 2], 2, 2, 2, perSlab: true);
        Assert.Equal([0.0, 0, 0, 0, 11, 22, 0, 0, 0, 0, 33, 44], table);
        // Per element: rows[o, j, i] goes to table[o, index[o, j, i], i].
        var t2 = new double[12];
        IndexKernels.ScatterAdd<double>(t2, 3, rows, [0, 1, 0, 1, 2, 2, 1, 0], 2, 2, 2, perSlab: false);
        Assert.Equal([11.0, 0, 0, 22, 0, 0, 0, 40, 30, 0, 3, 4], t2);
        var back = new double[8];
        IndexKernels.Gather<double>(table, 3, back, [2, 2], 2, 2, 2, perSlab: true);
        Assert.Equal([11.0, 22, 11, 22, 33, 44, 33, 44], back);
    }

    [Fact]
    public void SqueezeAndUnsqueezeFollowPyTorch()
    {
        var x = Tensor.Zeros(1, 3, 1);
        Assert.Same(x, x.Squeeze(1));                          // not size 1: unchanged
        Assert.Equal(new[] { 3, 1 }, x.Squeeze(0).Shape);
        Assert.Equal(new[] { 1, 3 }, x.Squeeze(-1).Shape);
        Assert.Equal(new[] { 3 }, x.Squeeze().Shape);
        Assert.Equal(new[] { 1, 3, 1, 1 }, x.Unsqueeze(-1).Shape);
        Assert.Equal(new[] { 1, 3, 1, 1 }, x.Unsqueeze(3).Shape);
        Assert.Equal(new[] { 1, 1, 3, 1 }, x.Unsqueeze(-4).Shape);
        Assert.Throws<ArgumentOutOfRangeException>(() => x.Unsqueeze(4));
        Assert.Equal(new[] { 4, 3 }, Tensor.Zeros(2, 2, 3).ReshapeAs(Tensor.Zeros(4, 3)).Shape);
        Assert.Equal(new[] { 4, 2, 3 }, Tensor.Zeros(2, 3, 4).MoveDim(-1, 0).Shape);
        Assert.Equal(new[] { 3, 2, 4 }, Tensor.Zeros(2, 3, 4).MoveDim(0, 1).Shape);
        Assert.Equal(new[] { 2, 3, 2, 2 }, Tensor.Zeros(2, 3, 4).Unflatten(-1, 2, -1).Shape);
    }

    // ----- bad input -----

    private static string Throws<TException>(Action action) where TException : Exception =>
        Assert.Throws<TException>(action).Message;

    [Fact]
    public void CatOfMismatchedShapesNamesBothShapesAndTheDim()
    {
        var m = Throws<ArgumentException>(() => Tensor.Cat([Tensor.Zeros(2, 3), Tensor.Zeros(4, 3), Tensor.Zeros(4, 2)], 0));
        Assert.Contains("tensor 2 has shape (4, 2)", m);
        Assert.Contains("tensor 0 has shape (2, 3)", m);
        Assert.Contains("dim 0", m);
        Assert.Contains("differ in dim 1", m);
        m = Throws<ArgumentException>(() => Tensor.Cat([Tensor.Zeros(2, 3), Tensor.Zeros(2, 3, 1)], 1));
        Assert.Contains("(2, 3, 1)", m);
        Assert.Contains("same number of dims", m);
        Assert.Contains("non-empty", Throws<ArgumentException>(() => Tensor.Cat([])));
        Assert.Contains("zero-dimensional", Throws<ArgumentException>(() => Tensor.Cat([Tensor.Scalar(1f), Tensor.Scalar(2f)])));
        m = Throws<ArgumentException>(() => Tensor.Stack([Tensor.Zeros(2, 3), Tensor.Zeros(3, 2)]));
        Assert.Contains("Stack", m);
        Assert.Contains("(3, 2)", m);
        Assert.Contains("(2, 3)", m);
    }

    [Fact]
    public void IndexOutOfRangeNamesTheIndexAndTheSize()
    {
        var x = Tensor.Zeros(4, 3);
        var m = Throws<ArgumentOutOfRangeException>(() => x.IndexSelect(0, Index(1, 7)));
        Assert.Contains("IndexSelect", m);
        Assert.Contains("index 7", m);
        Assert.Contains("size 4", m);
        m = Throws<ArgumentOutOfRangeException>(() => x.IndexSelect(1, Index(-1)));
        Assert.Contains("index -1", m);
        Assert.Contains("size 3", m);
        m = Throws<ArgumentOutOfRangeException>(() => x.Gather(1, Tensor.FromArray([0.0, 3], 1, 2)));
        Assert.Contains("Gather", m);
        Assert.Contains("index 3", m);
        Assert.Contains("size 3", m);
        m = Throws<ArgumentOutOfRangeException>(() => x.Select(0, 4));
        Assert.Contains("index 4", m);
        Assert.Contains("size 4", m);
        m = Throws<ArgumentOutOfRangeException>(() => x.Narrow(1, 2, 2));
        Assert.Contains("size 3", m);
        Assert.Contains("integers", Throws<ArgumentException>(() => x.IndexSelect(0, Index(1.5))));
        Assert.Contains("integers", Throws<ArgumentException>(() => x.Gather(0, Tensor.FromArray([double.NaN], 1, 1))));
        Assert.Contains("1-D", Throws<ArgumentException>(() => x.IndexSelect(0, Tensor.Zeros(2, 2))));
        m = Throws<ArgumentException>(() => x.Gather(0, Tensor.Zeros(2)));
        Assert.Contains("same number of dims", m);
        m = Throws<ArgumentException>(() => x.Gather(0, Tensor.Zeros(2, 5)));
        Assert.Contains("(2, 5)", m);
        Assert.Contains("(4, 3)", m);
        Assert.Contains("dim 1", m);
    }

    [Fact]
    public void SplitSizesMustSumToTheDim()
    {
        var x = Tensor.Zeros(3, 5);
        var m = Throws<ArgumentException>(() => x.Split([2, 2], 1));
        Assert.Contains("(2, 2)", m);
        Assert.Contains("add up to 4", m);
        Assert.Contains("size 5", m);
        Assert.Contains("negative", Throws<ArgumentException>(() => x.Split([6, -1], 1)));
        Assert.Contains("positive", Throws<ArgumentException>(() => x.Split(0, 1)));
        Assert.Contains("positive", Throws<ArgumentException>(() => x.Chunk(0)));
    }

    [Fact]
    public void DimOutOfRangeNamesTheOpAndTheRange()
    {
        var x = Tensor.Zeros(2, 3);
        foreach (var (op, action) in new (string, Action)[]
                 {
                     ("Cat", () => Tensor.Cat([x, x], 2)),
                     ("Stack", () => Tensor.Stack([x, x], -4)),
                     ("Split", () => x.Split(1, 2)),
                     ("Chunk", () => x.Chunk(2, -3)),
                     ("Unbind", () => x.Unbind(5)),
                     ("IndexSelect", () => x.IndexSelect(2, Index(0))),
                     ("Gather", () => x.Gather(-3, Tensor.Zeros(1, 1))),
                     ("MoveDim", () => x.MoveDim(0, 2)),
                     ("Unflatten", () => x.Unflatten(2, 3)),
                 })
        {
            var m = Throws<ArgumentOutOfRangeException>(action);
            Assert.Contains(op, m);
            Assert.Contains("out of range", m);
        }
        Assert.Contains("expected -3 to 2", Throws<ArgumentOutOfRangeException>(() => Tensor.Stack([x, x], 3)));
    }

    [Fact]
    public void MaskNotBroadcastableNamesBothShapes()
    {
        var m = Throws<ArgumentException>(() => Tensor.Zeros(2, 3).MaskedFill(Tensor.Ones(4), 0f));
        Assert.Contains("MaskedFill", m);
        Assert.Contains("(2, 3)", m);
        Assert.Contains("(4,)", m);
    }

    [Fact]
    public void ReshapeAndViewErrors()
    {
        var m = Throws<ArgumentException>(() => Tensor.Zeros(2, 3).Reshape(4, 2));
        Assert.Contains("(4, 2)", m);
        Assert.Contains("(2, 3)", m);
        Assert.Contains("8", m);
        Assert.Contains("6", m);
        m = Throws<InvalidOperationException>(() => Tensor.Zeros(2, 3).T.View(6));
        Assert.Contains("View", m);
        Assert.Contains("(3, 2)", m);
        Assert.Contains("not contiguous", m);
        m = Throws<ArgumentException>(() => Tensor.Zeros(2, 6).Unflatten(1, 4, -1));
        Assert.Contains("(4, -1)", m);
        Assert.Contains("size 6", m);
        m = Throws<ArgumentException>(() => Tensor.Zeros(2, 3).Repeat(2));
        Assert.Contains("(2, 3)", m);
        Assert.Contains("Repeat", m);
    }
}
