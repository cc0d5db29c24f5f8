using Nabla.Kernels;

namespace Nabla;

// C = A @ B (matrix product, batched over leading dims with broadcasting)
//   dA += dC @ B^T,   dB += A^T @ dC      (summed over broadcast batch dims by AccumulateGrad)
// Transposes are views: the GEMM kernel reads either layout directly, so the backward copies nothing.
public partial class Tensor
{
    /// <summary>
    /// The matrix product, with PyTorch's <c>torch.matmul</c> rules: 1-D x 1-D is a dot product; 2-D x 2-D a
    /// matrix product; a 1-D operand is treated as a row (left) or column (right) vector and that dim removed
    /// from the result; with more dims, the leading (batch) dims broadcast: (B, n, k) @ (k, m) is (B, n, m).
    /// </summary>
    /// <exception cref="ArgumentException">The inner sizes differ, a tensor is 0-D, or the batch dims cannot broadcast.</exception>
    public Tensor MatMul(Tensor other)
    {
        if (Rank == 0 || other.Rank == 0)
            throw new ArgumentException($"MatMul: both arguments need at least 1 dim, got shapes {Shapes.Format(shape)} and {Shapes.Format(other.shape)}.");
        int k1 = shape[^1], k2 = other.Rank == 1 ? other.shape[0] : other.shape[^2];
        if (k1 != k2)
            throw new ArgumentException(
                $"MatMul: inner sizes differ: {Shapes.Format(shape)} @ {Shapes.Format(other.shape)} ({k1} vs {k2}).");
        var a = Rank == 1 ? Unsqueeze(0) : this;
        var b = other.Rank == 1 ? other.Unsqueeze(1) : other;
        var c = MatMulCore(a, b);
        if (other.Rank == 1) c = c.Squeeze(-1);
        if (Rank == 1) c = c.Squeeze(other.Rank == 1 ? -1 : -2);
        return c;
    }

    /// <summary>The matrix product of 2-D tensors (<c>torch.mm</c>).</summary>
    public Tensor Mm(Tensor other)
    {
        if (Rank != 2 || other.Rank != 2)
            throw new ArgumentException($"Mm: expects two 2-D tensors, got shapes {Shapes.Format(shape)} and {Shapes.Format(other.shape)}.");
        return MatMul(other);
    }

    /// <summary>(..., m, k) @ (..., k, n) with at least 2 dims each.</summary>
    private static Tensor MatMulCore(Tensor a, Tensor b)
    {
        if (a.DType != b.DType) { a = a.To(DType.Float64); b = b.To(DType.Float64); }
        int m = a.shape[^2], k = a.shape[^1], n = b.shape[^1];
        var batch = Shapes.Broadcast("MatMul", a.shape.AsSpan(0, a.Rank - 2), b.shape.AsSpan(0, b.Rank - 2));

        Tensor result;
        if (b.Rank == 2 && a.Rank > 2 && a.IsContiguous)
        {
            // (B..., m, k) @ (k, n): fold the batch into the rows, one GEMM of (B*m, k) @ (k, n).
            var folded = Gemm2d(a.Detach().Reshape(-1, k), b);
            var outShape = new int[a.Rank];
            a.shape.AsSpan(0, a.Rank - 1).CopyTo(outShape);
            outShape[^1] = n;
            result = folded.Reshape(outShape);
        }
        else if (batch.Length == 0)
        {
            result = Gemm2d(a, b);
        }
        else
        {
            result = GemmBatched(a, b, batch, m, k, n);
        }
        return NeedsGrad(a, b) ? result.WithGradFn(new MatMulNode(a, b)) : result;
    }

    /// <summary>One GEMM of 2-D views (no graph).</summary>
    private static Tensor Gemm2d(Tensor a, Tensor b)
    {
        int m = a.shape[0], k = a.shape[1], n = b.shape[1];
        var c = Uninitialized(a.DType, m, n); // beta = 0: the GEMM writes every element
        if (m == 0 || n == 0) return c;
        var (ta, lda, aSrc) = GemmOperand(a);
        var (tb, ldb, bSrc) = GemmOperand(b);
        RunGemm(ta, tb, m, n, k, aSrc, aSrc.offset, lda, bSrc, bSrc.offset, ldb, c, 0);
        return c;
    }

    private static Tensor GemmBatched(Tensor a, Tensor b, int[] batch, int m, int k, int n)
    {
        var outShape = new int[batch.Length + 2];
        batch.CopyTo(outShape, 0);
        outShape[^2] = m;
        outShape[^1] = n;
        var c = Uninitialized(a.DType, outShape); // each batch's GEMM writes its block (beta = 0)
        if (c.NumEl == 0) return c;

        // Every batch must read its matrix in a GEMM-compatible layout; copy once if not.
        if (!GemmCompatible(a)) a = a.Detach().Contiguous();
        if (!GemmCompatible(b)) b = b.Detach().Contiguous();
        var (ta, lda, _) = GemmOperand(a);
        var (tb, ldb, _) = GemmOperand(b);
        var batchA = Shapes.BroadcastStrides(a.shape.AsSpan(0, a.Rank - 2), a.strides.AsSpan(0, a.Rank - 2), batch);
        var batchB = Shapes.BroadcastStrides(b.shape.AsSpan(0, b.Rank - 2), b.strides.AsSpan(0, b.Rank - 2), batch);
        var index = new int[batch.Length];
        int count = Shapes.NumEl(batch);
        for (int i = 0; i < count; i++)
        {
            int oa = a.offset, ob = b.offset;
            for (int d = 0; d < batch.Length; d++) { oa += index[d] * batchA[d]; ob += index[d] * batchB[d]; }
            RunGemm(ta, tb, m, n, k, a, oa, lda, b, ob, ldb, c, i * m * n);
            for (int d = batch.Length - 1; d >= 0 && ++index[d] == batch[d]; d--) index[d] = 0;
        }
        return c;
    }

    private static void RunGemm(bool ta, bool tb, int m, int n, int k, Tensor a, int aOffset, int lda,
                                Tensor b, int bOffset, int ldb, Tensor c, int cOffset)
    {
        if (c.DType == DType.Float64)
            Gemm.Dgemm(ta, tb, m, n, k, 1.0, a.Buffer<double>().AsSpan(aOffset), lda, b.Buffer<double>().AsSpan(bOffset), ldb,
                       0.0, c.Buffer<double>().AsSpan(cOffset, m * n), n);
        else
            Gemm.Sgemm(ta, tb, m, n, k, 1f, a.Buffer<float>().AsSpan(aOffset), lda, b.Buffer<float>().AsSpan(bOffset), ldb,
                       0f, c.Buffer<float>().AsSpan(cOffset, m * n), n);
    }

    /// <summary>True when the last two dims can be read by GEMM directly: rows contiguous (row-major) or columns contiguous (transposed).</summary>
    private static bool GemmCompatible(Tensor t) => MatrixLayout(t, out _, out _);

    /// <summary>The GEMM reading of a matrix view: transposed or not, and its leading dimension; copies when neither works.</summary>
    private static (bool Transposed, int Ld, Tensor Source) GemmOperand(Tensor t)
    {
        if (MatrixLayout(t, out bool transposed, out int ld)) return (transposed, ld, t);
        var c = t.Detach().Contiguous();
        MatrixLayout(c, out transposed, out ld);
        return (transposed, ld, c);
    }

    private static bool MatrixLayout(Tensor t, out bool transposed, out int ld)
    {
        int rows = t.shape[^2], cols = t.shape[^1], s0 = t.strides[^2], s1 = t.strides[^1];
        if ((cols == 1 || s1 == 1) && (rows == 1 || s0 >= cols))
        {
            transposed = false;
            ld = rows == 1 ? Math.Max(cols, 1) : s0;
            return true;
        }
        if ((rows == 1 || s0 == 1) && (cols == 1 || s1 >= rows))
        {
            transposed = true; // column-major storage = the transpose of a row-major (cols x rows) matrix
            ld = cols == 1 ? Math.Max(rows, 1) : s1;
            return true;
        }
        transposed = false;
        ld = 0;
        return false;
    }

    private sealed class MatMulNode(Tensor a, Tensor b) : GradNode(a, b)
    {
        public override string Name => "MatMulBackward";
        protected internal override void Backward(Tensor dc)
        {
            if (NeedsGrad(0)) AccumulateGrad(0, dc.MatMul(b.Transpose(-1, -2)));
            if (NeedsGrad(1))
            {
                // For a 2-D B under a batched A, fold the batch: A^T dC summed over the batch is one GEMM.
                if (b.Rank == 2 && a.Rank > 2)
                    AccumulateGrad(1, a.Reshape(-1, a.shape[^1]).T.MatMul(dc.Reshape(-1, dc.shape[^1])));
                else
                    AccumulateGrad(1, a.Transpose(-1, -2).MatMul(dc));
            }
        }
    }
}
