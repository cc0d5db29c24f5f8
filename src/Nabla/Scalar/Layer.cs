namespace Nabla.Scalar;

/// <summary>A layer of independent <see cref="Neuron"/>s that all see the same inputs.</summary>
public sealed class Layer
{
    private readonly Neuron[] neurons;
    private readonly Value[] parameters;

    /// <summary>Creates <paramref name="outputs"/> neurons of <paramref name="inputs"/> inputs each.</summary>
    /// <param name="inputs">The number of inputs; must be positive.</param>
    /// <param name="outputs">The number of neurons (outputs); must be positive.</param>
    /// <param name="activation">The nonlinearity of every neuron of the layer.</param>
    /// <param name="random">The source of the initial weights.</param>
    /// <exception cref="ArgumentOutOfRangeException">A size is not positive.</exception>
    public Layer(int inputs, int outputs, Activation activation, Random random)
    {
        if (outputs <= 0)
            throw new ArgumentOutOfRangeException(nameof(outputs), outputs, $"A layer needs at least one neuron, but was given {outputs}.");
        neurons = new Neuron[outputs];
        for (int i = 0; i < outputs; i++)
            neurons[i] = new Neuron(inputs, activation, random);
        parameters = [.. neurons.SelectMany(n => n.Parameters())];
    }

    /// <summary>The neurons, in output order.</summary>
    public IReadOnlyList<Neuron> Neurons => neurons;

    /// <summary>The number of inputs each neuron expects.</summary>
    public int InputCount => neurons[0].InputCount;

    /// <summary>The number of outputs (neurons).</summary>
    public int OutputCount => neurons.Length;

    /// <summary>Each neuron's output, in order.</summary>
    /// <exception cref="ArgumentException"><paramref name="x"/> does not have <see cref="InputCount"/> elements.</exception>
    public Value[] Forward(ReadOnlySpan<Value> x)
    {
        if (x.Length != InputCount)
            throw new ArgumentException($"Layer expects {InputCount} inputs but was given {x.Length}.", nameof(x));
        var outputs = new Value[neurons.Length];
        for (int i = 0; i < neurons.Length; i++)
            outputs[i] = neurons[i].Forward(x);
        return outputs;
    }

    /// <summary>Every neuron's parameters, neuron by neuron (weights, then bias).</summary>
    public IReadOnlyList<Value> Parameters() => parameters;

    /// <summary>micrograd's form, e.g. <c>Layer of [TanhNeuron(3), TanhNeuron(3)]</c>.</summary>
    public override string ToString() => $"Layer of [{string.Join(", ", neurons.Select(n => n.ToString()))}]";
}
