namespace Nabla.NN;

/// <summary>
/// Log-softmax along a dim (<c>torch.nn.LogSoftmax(dim)</c>): y_i = x_i - log(sum_j exp(x_j)), computed stably
/// (never the log of an underflowed probability). Followed by <c>NLLLoss</c> it is the cross-entropy.
/// </summary>
public class LogSoftmax : Module
{
    /// <summary>Creates the layer normalizing along <paramref name="dim"/> (negative counts from the end).</summary>
    public LogSoftmax(int dim) => Dim = dim;

    /// <summary>The dim normalized over.</summary>
    public int Dim { get; }

    /// <summary>y = x - logsumexp(x) along <see cref="Dim"/>.</summary>
    public override Tensor Forward(Tensor input) => input.LogSoftmax(Dim);

    /// <inheritdoc/>
    protected override string ExtraRepr() => $"dim={Dim}";
}
