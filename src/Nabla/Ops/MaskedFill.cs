using System.Numerics;
using System.Runtime.Intrinsics;

namespace Nabla;

// MaskedFill: y = mask != 0 ? value : x, with x and mask broadcast together (torch.masked_fill).
//   dx += dy where mask == 0, else 0     (that is dy.MaskedFill(mask, 0), summed back to x's shape)
// It runs on the broadcasting binary driver, so a (T, T) mask over (B, H, T, T) scores is never copied.
public partial class Tensor
{
    /// <summary>
    /// This tensor with the elements where <paramref name="mask"/> is non-zero replaced by
    /// <paramref name="value"/> (<c>x.masked_fill(mask, value)</c>); the mask broadcasts against this tensor,
    /// and the result has the broadcast shape. Used for attention masks (value = -inf) and padding.
    /// The gradient is zero at the filled positions and passes through elsewhere.
    /// </summary>
    /// <param name="mask">Where to fill: non-zero (true) or zero (keep). It is not differentiated.</param>
    /// <param name="value">The value written at the masked positions.</param>
    /// <exception cref="ArgumentException">The mask's shape does not broadcast with this tensor's.</exception>
    public Tensor MaskedFill(Tensor mask, float value)
    {
        ArgumentNullException.ThrowIfNull(mask);
        var m = mask.Detach().To(DType);
        var y = Binary(this, m, "MaskedFill", new MaskedFillKernel(value));
        return NeedsGrad(this) ? y.WithGradFn(new MaskedFillNode(this, m)) : y;
    }

    /// <summary>Row kernel: d = m != 0 ? value : x, for a row or a single value of each of x and m.</summary>
    private readonly struct MaskedFillKernel(double value) : IBinarySpanOp
    {
        public void Invoke<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> m, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T>
        {
            T v = T.CreateTruncating(value);
            int i = 0;
            if (Vector256.IsHardwareAccelerated && Vector256<T>.IsSupported)
            {
                var fill = Vector256.Create(v);
                for (; i <= x.Length - Vector256<T>.Count; i += Vector256<T>.Count)
                {
                    var keep = Vector256.Equals(Vector256.Create(m.Slice(i)), Vector256<T>.Zero);
                    Vector256.ConditionalSelect(keep, Vector256.Create(x.Slice(i)), fill).CopyTo(d.Slice(i));
                }
            }
            for (; i < x.Length; i++) d[i] = m[i] == T.Zero ? x[i] : v;
        }

        public void Invoke<T>(ReadOnlySpan<T> x, T m, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T>
        {
            if (m == T.Zero) x.CopyTo(d);
            else d[..x.Length].Fill(T.CreateTruncating(value));
        }

        public void Invoke<T>(T x, ReadOnlySpan<T> m, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T>
        {
            T v = T.CreateTruncating(value);
            for (int i = 0; i < m.Length; i++) d[i] = m[i] == T.Zero ? x : v;
        }
    }

    private sealed class MaskedFillNode(Tensor x, Tensor mask) : GradNode(x)
    {
        public override string Name => "MaskedFillBackward";

        // dy already has the broadcast shape; AccumulateGrad sums it down to x's shape.
        protected internal override void Backward(Tensor dy) => AccumulateGrad(0, dy.MaskedFill(mask, 0f));
    }
}
