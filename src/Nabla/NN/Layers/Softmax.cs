namespace Nabla.NN;

/// <summary>
/// Softmax along a dim (<c>torch.nn.Softmax(dim)</c>): y_i = exp(x_i) / sum_j exp(x_j), computed stably; each slice
/// along <see cref="Dim"/> becomes a probability distribution.
/// </summary>
public class Softmax : Module
{
    /// <summary>Creates the layer normalizing along <paramref name="dim"/> (negative counts from the end).</summary>
    public Softmax(int dim) => Dim = dim;

    /// <summary>The dim whose slices sum to 1.</summary>
    public int Dim { get; }

    /// <summary>y = exp(x) / sum(exp(x)) along <see cref="Dim"/>.</summary>
    public override Tensor Forward(Tensor input) => input.Softmax(Dim);

    /// <inheritdoc/>
    protected override string ExtraRepr() => $"dim={Dim}";
}
