using System.Globalization;

namespace Nabla;

/// <summary>
/// A (height, width) pair for the kernel size, stride, padding and dilation of 2-D convolution and pooling. Like
/// PyTorch's <c>int or tuple</c> arguments, an <c>int</c> converts to a square pair and a tuple to its two values:
/// <c>new Conv2d(3, 8, kernelSize: 3, padding: (1, 2))</c>.
/// </summary>
/// <remarks>
/// The pair remembers whether it was written as one int, only so that modules print their settings as PyTorch
/// does (<c>MaxPool2d(kernel_size=2, ...)</c> against <c>kernel_size=(2, 3)</c>); equality compares the values only.
/// </remarks>
public readonly struct Size2d : IEquatable<Size2d>
{
    private readonly bool fromInt;

    /// <summary>A pair of <paramref name="h"/> (along the height) and <paramref name="w"/> (along the width).</summary>
    public Size2d(int h, int w)
    {
        H = h;
        W = w;
    }

    private Size2d(int both, bool fromInt) : this(both, both) => this.fromInt = fromInt;

    /// <summary>The value along the height (dim 2 of an (N, C, H, W) tensor).</summary>
    public int H { get; }

    /// <summary>The value along the width (dim 3).</summary>
    public int W { get; }

    /// <summary>The same value along both dims.</summary>
    public static implicit operator Size2d(int both) => new(both, fromInt: true);

    /// <summary>(height, width).</summary>
    public static implicit operator Size2d((int H, int W) pair) => new(pair.H, pair.W);

    /// <summary>Equal values (however each pair was written).</summary>
    public bool Equals(Size2d other) => H == other.H && W == other.W;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is Size2d other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(H, W);

    /// <summary>Equal values.</summary>
    public static bool operator ==(Size2d a, Size2d b) => a.Equals(b);

    /// <summary>Different values.</summary>
    public static bool operator !=(Size2d a, Size2d b) => !a.Equals(b);

    /// <summary>As a Python tuple, <c>(3, 3)</c>.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"({H}, {W})");

    /// <summary>As the user wrote it: <c>3</c> for a pair made from one int, else <c>(3, 5)</c>.</summary>
    internal string ToStringAsGiven() => fromInt ? H.ToString(CultureInfo.InvariantCulture) : ToString();
}
