using System.Numerics;
using System.Numerics.Tensors;
using Nabla.Kernels;
using Nabla.NN;

namespace Nabla.Optim;

/// <summary>Gradient clipping (<c>torch.nn.utils.clip_grad_norm_</c> and <c>clip_grad_value_</c>), in place on each parameter's gradient.</summary>
public static class GradClip
{
    /// <summary>
    /// Scales all gradients together so that their total norm is at most <paramref name="maxNorm"/>, and returns
    /// the total norm before clipping. As in PyTorch:
    /// <code>
    /// total = ( sum over parameters of ||grad||_p^p )^(1/p)       (p = inf: the largest |grad| element)
    /// grad = grad * min(1, maxNorm / (total + 1e-6))
    /// </code>
    /// Parameters without a gradient are ignored; with none at all the result is 0.
    /// </summary>
    /// <param name="parameters">The parameters whose gradients are clipped, e.g. <c>model.Parameters()</c>.</param>
    /// <param name="maxNorm">The largest total norm allowed (&gt;= 0).</param>
    /// <param name="normType">The p of the p-norm: any finite p &gt; 0, or <see cref="double.PositiveInfinity"/>.</param>
    /// <param name="errorIfNonFinite">Throw instead of scaling when the total norm is NaN or infinite.</param>
    /// <exception cref="ArgumentException"><paramref name="maxNorm"/> or <paramref name="normType"/> is out of range.</exception>
    /// <exception cref="InvalidOperationException">The total norm is not finite and <paramref name="errorIfNonFinite"/> is set.</exception>
    public static double ClipGradNorm(IEnumerable<Parameter> parameters, double maxNorm, double normType = 2.0, bool errorIfNonFinite = false)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        if (!(maxNorm >= 0))
            throw new ArgumentException($"ClipGradNorm: maxNorm must be >= 0, got {maxNorm}.", nameof(maxNorm));
        if (!(normType > 0))
            throw new ArgumentException($"ClipGradNorm: normType must be a number > 0 or PositiveInfinity, got {normType}.", nameof(normType));
        var grads = new List<Tensor>();
        foreach (var p in parameters)
            if (p.Grad is not null) grads.Add(p.Grad);
        if (grads.Count == 0) return 0;

        // PyTorch's order: the norm of each gradient, then the norm of those norms.
        double total = 0;
        bool inf = double.IsPositiveInfinity(normType);
        foreach (var g in grads)
        {
            var c = g.Contiguous();
            double norm = c.DType == DType.Float64 ? Norm(c.Span<double>(), normType) : Norm(c.Span<float>(), normType);
            if (inf) total = double.IsNaN(norm) || norm > total ? norm : total;
            else total += normType switch { 1 => norm, 2 => norm * norm, _ => Math.Pow(norm, normType) };
        }
        if (!inf) total = normType switch { 1 => total, 2 => Math.Sqrt(total), _ => Math.Pow(total, 1 / normType) };

        if (errorIfNonFinite && !double.IsFinite(total))
            throw new InvalidOperationException(
                $"ClipGradNorm: the total norm of order {normType} of the gradients is {total}, so they cannot be clipped; set errorIfNonFinite: false to scale them anyway.");
        double coefficient = maxNorm / (total + 1e-6);
        if (coefficient < 1 || double.IsNaN(coefficient))
            foreach (var g in grads) Scale(g, coefficient);
        return total;
    }

    /// <summary>
    /// Clamps every gradient element to [-<paramref name="clipValue"/>, <paramref name="clipValue"/>]
    /// (<c>clip_grad_value_</c>). Parameters without a gradient are ignored.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="clipValue"/> is negative or NaN.</exception>
    public static void ClipGradValue(IEnumerable<Parameter> parameters, double clipValue)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        if (!(clipValue >= 0))
            throw new ArgumentException($"ClipGradValue: clipValue must be >= 0, got {clipValue}.", nameof(clipValue));
        foreach (var p in parameters)
        {
            var g = p.Grad;
            if (g is null) continue;
            InPlace(g, t =>
            {
                if (t.DType == DType.Float64) TensorPrimitives.Clamp(t.Span<double>(), -clipValue, clipValue, t.Span<double>());
                else TensorPrimitives.Clamp(t.Span<float>(), (float)-clipValue, (float)clipValue, t.Span<float>());
            });
        }
    }

    private static double Norm<T>(ReadOnlySpan<T> x, double p) where T : unmanaged, IFloatingPointIeee754<T> => p switch
    {
        double.PositiveInfinity => GradNorms.MaxMagnitude(x),
        1 => GradNorms.SumOfMagnitudes(x),
        2 => Math.Sqrt(GradNorms.SumOfSquares(x)),
        _ => Math.Pow(GradNorms.SumOfPowers(x, p), 1 / p),
    };

    private static void Scale(Tensor grad, double factor) => InPlace(grad, t =>
    {
        if (t.DType == DType.Float64) TensorPrimitives.Multiply(t.Span<double>(), factor, t.Span<double>());
        else TensorPrimitives.Multiply(t.Span<float>(), (float)factor, t.Span<float>());
    });

    /// <summary>Runs <paramref name="update"/> on the gradient's elements; a non-contiguous gradient is updated through a copy, keeping its identity.</summary>
    private static void InPlace(Tensor grad, Action<Tensor> update)
    {
        if (grad.IsContiguous)
        {
            update(grad);
            return;
        }
        using var _ = Tensor.NoGrad();
        var copy = grad.Detach().Clone();
        update(copy);
        grad.CopyInPlace(copy);
    }
}
