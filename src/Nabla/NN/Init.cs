namespace Nabla.NN;

/// <summary>The nonlinearity that follows a layer, for <see cref="Init.CalculateGain"/> (PyTorch's strings as an enum).</summary>
public enum Nonlinearity
{
    /// <summary>No nonlinearity (gain 1).</summary>
    Linear,
    /// <summary>A 1-D convolution without nonlinearity (gain 1).</summary>
    Conv1d,
    /// <summary>A 2-D convolution without nonlinearity (gain 1).</summary>
    Conv2d,
    /// <summary>A 3-D convolution without nonlinearity (gain 1).</summary>
    Conv3d,
    /// <summary>A transposed 1-D convolution (gain 1).</summary>
    ConvTranspose1d,
    /// <summary>A transposed 2-D convolution (gain 1).</summary>
    ConvTranspose2d,
    /// <summary>A transposed 3-D convolution (gain 1).</summary>
    ConvTranspose3d,
    /// <summary>The logistic sigmoid (gain 1).</summary>
    Sigmoid,
    /// <summary>tanh (gain 5/3).</summary>
    Tanh,
    /// <summary>ReLU (gain sqrt(2)).</summary>
    ReLU,
    /// <summary>Leaky ReLU with negative slope a (gain sqrt(2 / (1 + a^2))).</summary>
    LeakyReLU,
    /// <summary>SELU (gain 3/4, PyTorch's choice for self-normalizing networks).</summary>
    SELU,
}

/// <summary>Which fan a Kaiming initialization preserves the variance of.</summary>
public enum FanMode
{
    /// <summary>The number of inputs: preserves the variance of activations in the forward pass.</summary>
    FanIn,
    /// <summary>The number of outputs: preserves the variance of gradients in the backward pass.</summary>
    FanOut,
}

/// <summary>
/// Weight initializations (<c>torch.nn.init</c>), with PyTorch's fan computations and gains. Each one overwrites a
/// tensor in place without recording a graph (so it works on parameters) and returns it; the random ones draw from
/// their <c>generator</c> argument, or from <see cref="Generator.Default"/> (reseeded by <see cref="Tensor.ManualSeed"/>).
/// </summary>
/// <remarks>
/// For a weight of shape (out, in, k...), fan_in = in * prod(k) and fan_out = out * prod(k). Initializing a tensor
/// with no elements does nothing, as in PyTorch.
/// </remarks>
public static class Init
{
    /// <summary>
    /// The recommended gain for <paramref name="nonlinearity"/> (<c>nn.init.calculate_gain</c>): 1 for linear,
    /// convolutions and sigmoid; 5/3 for tanh; sqrt(2) for ReLU; sqrt(2 / (1 + a^2)) for leaky ReLU with negative slope
    /// a = <paramref name="param"/> (default 0.01); 3/4 for SELU.
    /// </summary>
    public static double CalculateGain(Nonlinearity nonlinearity, double? param = null) => nonlinearity switch
    {
        Nonlinearity.Tanh => 5.0 / 3,
        Nonlinearity.ReLU => Math.Sqrt(2.0),
        Nonlinearity.LeakyReLU => Math.Sqrt(2.0 / (1 + Math.Pow(param ?? 0.01, 2))),
        Nonlinearity.SELU => 3.0 / 4,
        _ => 1.0,
    };

    /// <summary>
    /// fan_in and fan_out of a weight (<c>nn.init._calculate_fan_in_and_fan_out</c>): for shape (out, in, k...),
    /// fan_in = in * prod(k), fan_out = out * prod(k).
    /// </summary>
    /// <exception cref="ArgumentException">The tensor has fewer than 2 dims.</exception>
    public static (int FanIn, int FanOut) CalculateFanInAndFanOut(Tensor tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        if (tensor.Rank < 2)
            throw new ArgumentException(
                $"Init: fan in and fan out cannot be computed for a tensor with fewer than 2 dims (shape {Shapes.Format(tensor.shape)}).", nameof(tensor));
        int receptive = 1;
        for (int d = 2; d < tensor.Rank; d++) receptive *= tensor.shape[d];
        return (tensor.shape[1] * receptive, tensor.shape[0] * receptive);
    }

    /// <summary>Fills with samples of U(<paramref name="low"/>, <paramref name="high"/>) (<c>nn.init.uniform_</c>).</summary>
    /// <exception cref="ArgumentException">low &gt; high, or a bound is not finite.</exception>
    public static Tensor Uniform(Tensor tensor, double low = 0, double high = 1, Generator? generator = null)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        if (!(low <= high) || !double.IsFinite(low) || !double.IsFinite(high))
            throw new ArgumentException($"Init.Uniform: expects finite bounds with low <= high, but got low = {low}, high = {high}.");
        var g = generator ?? Generator.Default;
        var values = new double[tensor.NumEl];
        for (int i = 0; i < values.Length; i++) values[i] = low + (high - low) * g.NextDouble();
        return Write(tensor, values);
    }

    /// <summary>Fills with samples of N(<paramref name="mean"/>, <paramref name="std"/>^2) (<c>nn.init.normal_</c>).</summary>
    /// <exception cref="ArgumentException">std is negative or not finite.</exception>
    public static Tensor Normal(Tensor tensor, double mean = 0, double std = 1, Generator? generator = null)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        if (!(std >= 0) || !double.IsFinite(std) || !double.IsFinite(mean))
            throw new ArgumentException($"Init.Normal: expects a finite mean and std >= 0, but got mean = {mean}, std = {std}.");
        var g = generator ?? Generator.Default;
        var values = new double[tensor.NumEl];
        for (int i = 0; i < values.Length; i++) values[i] = mean + std * g.NextNormal();
        return Write(tensor, values);
    }

    /// <summary>Fills with <paramref name="value"/> (<c>nn.init.constant_</c>).</summary>
    public static Tensor Constant(Tensor tensor, double value)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        using var _ = Tensor.NoGrad();
        return tensor.CopyInPlace(Tensor.ScalarLike(tensor, value));
    }

    /// <summary>Fills with zeros (<c>nn.init.zeros_</c>).</summary>
    public static Tensor Zeros(Tensor tensor) => Constant(tensor, 0);

    /// <summary>Fills with ones (<c>nn.init.ones_</c>).</summary>
    public static Tensor Ones(Tensor tensor) => Constant(tensor, 1);

    /// <summary>
    /// Glorot uniform (<c>nn.init.xavier_uniform_</c>): U(-a, a) with a = gain * sqrt(6 / (fan_in + fan_out)),
    /// which keeps the variance of activations and gradients about equal across layers.
    /// </summary>
    public static Tensor XavierUniform(Tensor tensor, double gain = 1, Generator? generator = null)
    {
        var (fanIn, fanOut) = CalculateFanInAndFanOut(tensor);
        double a = gain * Math.Sqrt(6.0 / (fanIn + fanOut));
        return tensor.NumEl == 0 ? tensor : Uniform(tensor, -a, a, generator);
    }

    /// <summary>Glorot normal (<c>nn.init.xavier_normal_</c>): N(0, std^2) with std = gain * sqrt(2 / (fan_in + fan_out)).</summary>
    public static Tensor XavierNormal(Tensor tensor, double gain = 1, Generator? generator = null)
    {
        var (fanIn, fanOut) = CalculateFanInAndFanOut(tensor);
        double std = gain * Math.Sqrt(2.0 / (fanIn + fanOut));
        return tensor.NumEl == 0 ? tensor : Normal(tensor, 0, std, generator);
    }

    /// <summary>
    /// He uniform (<c>nn.init.kaiming_uniform_</c>): U(-bound, bound) with bound = gain * sqrt(3 / fan), gain =
    /// <see cref="CalculateGain"/>(<paramref name="nonlinearity"/>, <paramref name="a"/>) and fan chosen by
    /// <paramref name="mode"/>. <see cref="Linear"/> uses a = sqrt(5), which gives bound = 1 / sqrt(fan_in).
    /// </summary>
    /// <param name="tensor">The weight, at least 2-D.</param>
    /// <param name="a">The negative slope of the leaky ReLU that follows (used only with <see cref="Nonlinearity.LeakyReLU"/>).</param>
    /// <param name="mode">Whether to preserve the variance of the forward pass (fan_in) or of the backward pass (fan_out).</param>
    /// <param name="nonlinearity">The nonlinearity that follows.</param>
    /// <param name="generator">The random stream (default <see cref="Generator.Default"/>).</param>
    public static Tensor KaimingUniform(Tensor tensor, double a = 0, FanMode mode = FanMode.FanIn,
                                        Nonlinearity nonlinearity = Nonlinearity.LeakyReLU, Generator? generator = null)
    {
        if (tensor.NumEl == 0) return tensor;
        double std = KaimingStd(tensor, a, mode, nonlinearity);
        double bound = Math.Sqrt(3.0) * std; // U(-b, b) has variance b^2 / 3
        return Uniform(tensor, -bound, bound, generator);
    }

    /// <summary>
    /// He normal (<c>nn.init.kaiming_normal_</c>): N(0, std^2) with std = gain / sqrt(fan), gain and fan as in
    /// <see cref="KaimingUniform"/>.
    /// </summary>
    public static Tensor KaimingNormal(Tensor tensor, double a = 0, FanMode mode = FanMode.FanIn,
                                       Nonlinearity nonlinearity = Nonlinearity.LeakyReLU, Generator? generator = null)
    {
        if (tensor.NumEl == 0) return tensor;
        return Normal(tensor, 0, KaimingStd(tensor, a, mode, nonlinearity), generator);
    }

    private static double KaimingStd(Tensor tensor, double a, FanMode mode, Nonlinearity nonlinearity)
    {
        var (fanIn, fanOut) = CalculateFanInAndFanOut(tensor);
        int fan = mode == FanMode.FanIn ? fanIn : fanOut;
        return CalculateGain(nonlinearity, a) / Math.Sqrt(fan);
    }

    /// <summary>Copies row-major <paramref name="values"/> into <paramref name="tensor"/> (any layout, either dtype) without recording.</summary>
    private static Tensor Write(Tensor tensor, double[] values)
    {
        using var _ = Tensor.NoGrad();
        return tensor.CopyInPlace(new Tensor(values, (int[])tensor.shape.Clone())); // wraps the array, no second copy
    }
}
