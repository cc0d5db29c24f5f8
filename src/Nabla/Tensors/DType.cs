namespace Nabla;

/// <summary>The element type of a <see cref="Tensor"/>.</summary>
/// <remarks>
/// Float32 is the working type: every layer, optimizer and fast kernel is tuned for it.
/// Float64 exists so that gradients can be checked numerically with enough precision
/// (central differences in float32 lose half their digits to rounding), as
/// <c>torch.autograd.gradcheck</c> does with <c>torch.float64</c>.
/// </remarks>
public enum DType
{
    /// <summary>32-bit IEEE 754 float (<c>torch.float32</c>).</summary>
    Float32,
    /// <summary>64-bit IEEE 754 float (<c>torch.float64</c>).</summary>
    Float64,
}
