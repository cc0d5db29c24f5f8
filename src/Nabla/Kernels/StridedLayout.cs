namespace Nabla.Kernels;

/// <summary>
/// Walks the rows of up to three same-shaped strided views at once (an output and one or two inputs):
/// the innermost dimension is one row, handed to a span kernel; the outer dimensions are counted here.
/// </summary>
/// <remarks>
/// Dimensions are first coalesced: two neighbouring dims merge when every operand steps through them as
/// one (stride[d] == stride[d+1] * size[d+1]), and size-1 dims are dropped. So a contiguous tensor is
/// one long row, and <c>(B, N) + (N,)</c> is B rows of N: kernels see rows as long as the layout allows.
/// </remarks>
internal sealed class StridedLayout
{
    private readonly int[] outerShape;
    private readonly int[][] outerStrides;
    private readonly int[] counter;
    private readonly int[] offsets;
    private readonly int[] baseOffsets;

    /// <summary>Number of rows.</summary>
    public int Rows { get; }

    /// <summary>Length of each row (the coalesced innermost size).</summary>
    public int RowLength { get; }

    /// <summary>Innermost stride of each operand (1: contiguous row, 0: one value repeated, else gathered).</summary>
    public int[] InnerStrides { get; }

    /// <param name="shape">The common (broadcast) shape.</param>
    /// <param name="baseOffsets">Each operand's storage offset.</param>
    /// <param name="strides">Each operand's strides over <paramref name="shape"/> (0 where broadcast).</param>
    public StridedLayout(ReadOnlySpan<int> shape, int[] baseOffsets, params int[][] strides)
    {
        int operands = strides.Length;
        // Drop size-1 dims, then merge dims that every operand traverses contiguously.
        var dims = new List<int>();
        var st = new List<int[]>();
        for (int d = 0; d < shape.Length; d++)
        {
            if (shape[d] == 1) continue;
            var s = new int[operands];
            for (int o = 0; o < operands; o++) s[o] = strides[o][d];
            if (dims.Count > 0)
            {
                var prev = st[^1];
                bool mergeable = true;
                for (int o = 0; o < operands; o++)
                    if (prev[o] != s[o] * shape[d]) { mergeable = false; break; }
                if (mergeable)
                {
                    dims[^1] *= shape[d];
                    st[^1] = s;
                    continue;
                }
            }
            dims.Add(shape[d]);
            st.Add(s);
        }
        if (dims.Count == 0)
        {
            dims.Add(Shapes.NumEl(shape) == 0 ? 0 : 1);
            st.Add(new int[operands]);
        }

        RowLength = dims[^1];
        InnerStrides = st[^1];
        outerShape = dims.GetRange(0, dims.Count - 1).ToArray();
        outerStrides = new int[operands][];
        for (int o = 0; o < operands; o++)
        {
            outerStrides[o] = new int[outerShape.Length];
            for (int d = 0; d < outerShape.Length; d++) outerStrides[o][d] = st[d][o];
        }
        long rows = 1;
        foreach (int s in outerShape) rows *= s;
        Rows = RowLength == 0 ? 0 : (int)rows;
        counter = new int[outerShape.Length];
        this.baseOffsets = baseOffsets;
        offsets = (int[])baseOffsets.Clone();
    }

    /// <summary>Offset of operand <paramref name="operand"/>'s current row.</summary>
    public int Offset(int operand) => offsets[operand];

    /// <summary>Restarts at the first row.</summary>
    public void Reset()
    {
        Array.Clear(counter);
        Array.Copy(baseOffsets, offsets, offsets.Length);
    }

    /// <summary>Advances to the next row (odometer order: the last outer dim moves fastest).</summary>
    public void Advance()
    {
        for (int d = outerShape.Length - 1; d >= 0; d--)
        {
            counter[d]++;
            for (int o = 0; o < offsets.Length; o++) offsets[o] += outerStrides[o][d];
            if (counter[d] < outerShape[d]) return;
            for (int o = 0; o < offsets.Length; o++) offsets[o] -= outerStrides[o][d] * outerShape[d];
            counter[d] = 0;
        }
    }
}
