namespace Nabla;

// Channel dropout   -- torch.nn.functional.dropout2d
//   y[n, c] = x[n, c] * m[n, c] / (1 - p)  with m[n, c] ~ Bernoulli(1 - p), one draw per whole (H, W) channel;
//   dx = dy * m / (1 - p).
// Composed from a broadcasting multiply by an (N, C, 1, 1) mask that already holds the scale: the multiply's own
// backward is exactly the gradient, and it costs one pass over x, as a fused op would.
public partial class Tensor
{
    /// <summary>
    /// Channel dropout (<c>torch.nn.functional.dropout2d</c>) of this (N, C, H, W) tensor: when
    /// <paramref name="training"/>, each whole channel x[n, c] is zeroed with probability <paramref name="p"/> and the
    /// others are scaled by 1 / (1 - p); otherwise (or with p = 0) the input itself is returned. The draws come from
    /// <paramref name="generator"/> (default <see cref="Generator.Default"/>), one per (n, c) in row-major order.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">p is outside [0, 1].</exception>
    /// <exception cref="ArgumentException">The input is not 4-D.</exception>
    public Tensor Dropout2d(double p = 0.5, bool training = true, Generator? generator = null)
    {
        if (!(p >= 0 && p <= 1))
            throw new ArgumentOutOfRangeException(nameof(p), $"Dropout2d: the probability has to be between 0 and 1, but got {p}.");
        PoolChecks.FourD("Dropout2d", this);
        if (!training || p == 0) return this;
        var g = generator ?? Generator.Default;
        double scale = p == 1 ? 0 : 1 / (1 - p);
        int channels = shape[0] * shape[1];
        var mask = Empty(DType, shape[0], shape[1], 1, 1); // (N, C, 1, 1)
        if (DType == DType.Float64)
        {
            var m = mask.Span<double>();
            for (int i = 0; i < channels; i++) m[i] = g.NextDouble() < p ? 0 : scale;
        }
        else
        {
            var m = mask.Span<float>();
            for (int i = 0; i < channels; i++) m[i] = g.NextDouble() < p ? 0f : (float)scale;
        }
        return this * mask;
    }
}
