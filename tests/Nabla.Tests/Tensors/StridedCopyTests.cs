using Nabla.Kernels;

namespace Nabla.Tests.Tensors;

/// <summary>
/// The strided-copy kernel against a naive per-element reference over many layouts: every permutation of
/// 3-D and 4-D views, with steps, storage offsets, broadcast (stride-0) dims, size-0 and size-1 dims, and
/// contiguous or permuted destinations.
/// </summary>
public class StridedCopyTests
{
    private static readonly int[][] BaseShapes = [[2, 3, 4], [3, 1, 2], [2, 0, 3], [2, 3, 2, 3], [1, 2, 1, 3], [3, 2, 4, 1]];

    /// <summary>(dim, step) applied before permuting; dim -1 means none.</summary>
    private static readonly (int Dim, int Step)[] Steps = [(-1, 1), (0, 2), (1, 3), (2, 2)];

    /// <summary>Which dim (before permuting) is broadcast with stride 0; -1 means none.</summary>
    private static readonly int[] BroadcastDims = [-1, 0, 2];

    private sealed record Layout(int Offset, int[] Shape, int[] Strides, int StorageLength, string Description);

    private static IEnumerable<Layout> SourceLayouts()
    {
        foreach (var shape in BaseShapes)
            foreach (var (stepDim, step) in Steps)
                foreach (int broadcast in BroadcastDims)
                    foreach (var perm in Permutations(shape.Length))
                    {
                        // Underlying storage: a contiguous array of a larger shape (each stepped dim step times longer), at offset 3.
                        var underlying = (int[])shape.Clone();
                        if (stepDim >= 0) underlying[stepDim] = shape[stepDim] * step;
                        var baseStrides = ContiguousStrides(underlying);
                        var strides = new int[shape.Length];
                        for (int d = 0; d < shape.Length; d++)
                            strides[d] = d == broadcast ? 0 : baseStrides[d] * (d == stepDim ? step : 1);
                        const int offset = 3;
                        yield return new Layout(offset, Permute(shape, perm), Permute(strides, perm), offset + Product(underlying),
                            $"shape {Fmt(shape)} step {step} on dim {stepDim}, broadcast dim {broadcast}, permutation {Fmt(perm)}");
                    }
    }

    [Fact]
    public void ToContiguousMatchesNaiveCopyOverManyLayouts()
    {
        int count = 0;
        foreach (var layout in SourceLayouts())
        {
            var src = Distinct(layout.StorageLength);
            var actual = StridedCopy.ToContiguous(src, layout.Offset, layout.Shape, layout.Strides);
            var expected = new double[Product(layout.Shape)];
            NaiveCopy(src, layout.Offset, layout.Shape, layout.Strides, expected, 0, ContiguousStrides(layout.Shape));
            Assert.True(expected.SequenceEqual(actual), $"ToContiguous differs for {layout.Description}");
            count++;
        }
        Assert.True(count > 500, $"only {count} layouts were tried");
    }

    [Fact]
    public void CopyIntoPermutedDestinationMatchesNaiveAndWritesNothingElse()
    {
        foreach (var layout in SourceLayouts())
        {
            // Destination: a contiguous buffer of the reversed shape at offset 2, viewed back with reversed strides.
            int rank = layout.Shape.Length;
            var reversed = Enumerable.Range(0, rank).Reverse().ToArray();
            var dstStrides = Permute(ContiguousStrides(Permute(layout.Shape, reversed)), reversed);
            const int dstOffset = 2;
            var src = Distinct(layout.StorageLength).Select(v => (float)v).ToArray();
            var actual = Enumerable.Repeat(-1f, dstOffset + Product(layout.Shape) + 2).ToArray();
            var expected = (float[])actual.Clone();
            StridedCopy.Copy(src, layout.Offset, layout.Shape, layout.Strides, actual, dstOffset, dstStrides);
            NaiveCopy(src, layout.Offset, layout.Shape, layout.Strides, expected, dstOffset, dstStrides);
            Assert.True(expected.SequenceEqual(actual), $"Copy into a permuted destination differs for {layout.Description}");
        }
    }

    [Fact]
    public void NaiveReferenceIsNotTrivial()
    {
        // The reference must tell layouts apart: a transposed read differs from a straight one.
        var src = Distinct(6);
        var straight = new double[6];
        var transposed = new double[6];
        NaiveCopy(src, 0, [2, 3], [3, 1], straight, 0, [3, 1]);
        NaiveCopy(src, 0, [2, 3], [1, 2], transposed, 0, [3, 1]);
        Assert.Equal([1.0, 2, 3, 4, 5, 6], straight);
        Assert.Equal([1.0, 3, 5, 2, 4, 6], transposed);
    }

    [Fact]
    public void ContiguousOfViewsMatchesElementReads()
    {
        // Tensor-level: Contiguous() of slices, slices of slices, slices of transposed and expanded tensors.
        var x = Tensor.Arange(120).Reshape(4, 5, 6);
        Tensor[] views =
        [
            x.Slice(1, 1, 4),
            x.Slice(2, step: 2).Slice(0, -3, -1),
            x.Permute(2, 0, 1).Slice(0, 1, 6, 2),
            x.Transpose(0, 2).Slice(1, -2).Select(2, -1),
            x.Slice(0, 3, 1),                        // empty
            x[2].T.Slice(0, 5, 100),                 // clamped to empty
            x.Slice(1, 2, 3).Expand(4, 1, 6).Permute(1, 2, 0),
            x.Select(1, 0).Unsqueeze(1).Expand(4, 3, 6).Slice(2, 1, 6, 4),
            Tensor.Zeros(2, 0)[1],                   // a zero-size select past the end of an empty storage
        ];
        foreach (var v in views)
        {
            var c = v.Contiguous();
            Assert.True(c.IsContiguous);
            Assert.Equal(v.Shape, c.Shape);
            var expected = new List<float>();
            ForEachIndex(v.Shape.ToArray(), idx => expected.Add((float)v.GetDouble(idx)));
            Assert.Equal(expected, c.ToArray());
        }
    }

    // ----- the naive reference: one element at a time, offsets from the full multi-index -----

    private static void NaiveCopy<T>(T[] src, int srcOffset, int[] shape, int[] srcStrides, T[] dst, int dstOffset, int[] dstStrides) =>
        ForEachIndex(shape, idx =>
        {
            int s = srcOffset, d = dstOffset;
            for (int k = 0; k < idx.Length; k++) { s += idx[k] * srcStrides[k]; d += idx[k] * dstStrides[k]; }
            dst[d] = src[s];
        });

    private static void ForEachIndex(int[] shape, Action<int[]> visit)
    {
        if (shape.Any(s => s == 0)) return;
        var idx = new int[shape.Length];
        while (true)
        {
            visit(idx);
            int k = shape.Length - 1;
            while (k >= 0 && ++idx[k] == shape[k]) idx[k--] = 0;
            if (k < 0) return;
        }
    }

    private static double[] Distinct(int n) => Enumerable.Range(1, n).Select(i => (double)i).ToArray();

    private static int[] ContiguousStrides(int[] shape)
    {
        var strides = new int[shape.Length];
        for (int d = shape.Length - 1, s = 1; d >= 0; s *= Math.Max(shape[d], 1), d--) strides[d] = s;
        return strides;
    }

    private static int Product(int[] shape) => shape.Aggregate(1, (a, b) => a * b);

    private static int[] Permute(int[] values, int[] perm) => perm.Select(p => values[p]).ToArray();

    private static IEnumerable<int[]> Permutations(int n)
    {
        if (n == 0) { yield return []; yield break; }
        foreach (var rest in Permutations(n - 1))
            for (int at = 0; at <= rest.Length; at++)
            {
                var list = rest.ToList();
                list.Insert(at, n - 1);
                yield return list.ToArray();
            }
    }

    private static string Fmt(int[] v) => "(" + string.Join(", ", v) + ")";
}
