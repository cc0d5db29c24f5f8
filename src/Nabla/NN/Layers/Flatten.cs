namespace Nabla.NN;

/// <summary>
/// Merges dims start_dim through end_dim into one (<c>torch.nn.Flatten</c>); by default every dim but the batch dim,
/// so an image batch (N, C, H, W) becomes (N, C*H*W) for a <see cref="Linear"/> layer.
/// </summary>
public class Flatten : Module
{
    /// <summary>Creates the layer flattening dims <paramref name="startDim"/> to <paramref name="endDim"/> (negative counts from the end).</summary>
    public Flatten(int startDim = 1, int endDim = -1)
    {
        StartDim = startDim;
        EndDim = endDim;
    }

    /// <summary>The first dim merged.</summary>
    public int StartDim { get; }

    /// <summary>The last dim merged.</summary>
    public int EndDim { get; }

    /// <summary>The input with dims start_dim..end_dim merged (a view when the input is contiguous).</summary>
    /// <exception cref="ArgumentOutOfRangeException">A dim is out of range for the input.</exception>
    public override Tensor Forward(Tensor input) => input.Flatten(StartDim, EndDim);

    /// <inheritdoc/>
    protected override string ExtraRepr() => $"start_dim={StartDim}, end_dim={EndDim}";
}
