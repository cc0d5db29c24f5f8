using System.Globalization;

namespace Nabla.Scalar;

/// <summary>
/// One neuron: <c>activation(w · x + b)</c>, with one weight per input.
/// As in micrograd, weights start uniform in [-1, 1].
/// </summary>
public sealed class Neuron
{
    private readonly Value[] weights;
    private readonly Value[] parameters; // weights then bias, micrograd's order; built once

    /// <summary>Creates a neuron with <paramref name="inputs"/> weights drawn from <paramref name="random"/>.</summary>
    /// <param name="inputs">The number of inputs (and weights); must be positive.</param>
    /// <param name="activation">The nonlinearity. A <see cref="Activation.Tanh"/> neuron draws its bias
    /// uniform in [-1, 1] (course notes); the others start it at 0 (micrograd).</param>
    /// <param name="random">The source of the initial weights, so a seeded run is reproducible.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="inputs"/> is not positive.</exception>
    public Neuron(int inputs, Activation activation, Random random)
    {
        if (inputs <= 0)
            throw new ArgumentOutOfRangeException(nameof(inputs), inputs, $"A neuron needs at least one input, but was given {inputs}.");
        if (!Enum.IsDefined(activation))
            throw new ArgumentOutOfRangeException(nameof(activation), activation, "Unknown activation.");
        ArgumentNullException.ThrowIfNull(random);

        weights = new Value[inputs];
        for (int i = 0; i < inputs; i++)
            weights[i] = new Value(Uniform(random));
        Bias = new Value(activation == Activation.Tanh ? Uniform(random) : 0);
        Activation = activation;
        parameters = [.. weights, Bias];
    }

    /// <summary>The weights, one per input.</summary>
    public IReadOnlyList<Value> Weights => weights;

    /// <summary>The bias.</summary>
    public Value Bias { get; }

    /// <summary>The nonlinearity applied to <c>w · x + b</c>.</summary>
    public Activation Activation { get; }

    /// <summary>The number of inputs the neuron expects.</summary>
    public int InputCount => weights.Length;

    /// <summary><c>activation(b + w0*x0 + w1*x1 + ...)</c>, summed in that order as micrograd does.</summary>
    /// <exception cref="ArgumentException"><paramref name="x"/> does not have <see cref="InputCount"/> elements.</exception>
    public Value Forward(ReadOnlySpan<Value> x)
    {
        if (x.Length != weights.Length)
            throw new ArgumentException($"Neuron expects {weights.Length} inputs but was given {x.Length}.", nameof(x));
        Value act = Bias;
        for (int i = 0; i < weights.Length; i++)
            act += weights[i] * x[i];
        return Activation switch
        {
            Activation.Tanh => act.Tanh(),
            Activation.Relu => act.Relu(),
            _ => act,
        };
    }

    /// <summary>The weights followed by the bias.</summary>
    public IReadOnlyList<Value> Parameters() => parameters;

    /// <summary>micrograd's form, e.g. <c>TanhNeuron(3)</c>.</summary>
    public override string ToString() =>
        $"{Activation}Neuron({weights.Length.ToString(CultureInfo.InvariantCulture)})";

    // micrograd's random.uniform(-1, 1).
    internal static double Uniform(Random random) => random.NextDouble() * 2 - 1;
}
