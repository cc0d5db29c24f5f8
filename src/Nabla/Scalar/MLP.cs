namespace Nabla.Scalar;

/// <summary>
/// A multi-layer perceptron of <see cref="Layer"/>s, as in micrograd:
/// <c>new MLP(3, [4, 4, 1])</c> maps 3 inputs through layers of 4, 4 and 1 neurons.
/// </summary>
/// <example>
/// <code>
/// var model = new MLP(3, [4, 4, 1], Activation.Tanh, seed: 42);
/// Value y = model.Forward([2.0, 3.0, -1.0])[0];
/// </code>
/// </example>
public sealed class MLP
{
    /// <summary>The seed used when none is given, so that two runs start from the same weights.</summary>
    public const int DefaultSeed = 1337;

    private readonly Layer[] layers;
    private readonly Value[] parameters;

    /// <summary>Creates an MLP whose weights are drawn from <c>new Random(<paramref name="seed"/>)</c>.</summary>
    /// <param name="inputs">The number of inputs; must be positive.</param>
    /// <param name="outputs">The size of each layer in order; the last one is the number of outputs.
    /// At least one layer, every size positive.</param>
    /// <param name="activation">
    /// <see cref="Activation.Tanh"/> (the default, course notes): tanh in every layer, the last included.
    /// <see cref="Activation.Relu"/> (micrograd): ReLU in hidden layers and a linear last layer.
    /// <see cref="Activation.Linear"/>: no nonlinearity anywhere.
    /// </param>
    /// <param name="seed">Seed of the <see cref="Random"/> the weights are drawn from.</param>
    /// <exception cref="ArgumentException"><paramref name="outputs"/> is empty.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A size is not positive.</exception>
    public MLP(int inputs, IReadOnlyList<int> outputs, Activation activation = Activation.Tanh, int seed = DefaultSeed)
        : this(inputs, outputs, activation, new Random(seed))
    {
    }

    /// <summary>Creates an MLP whose weights are drawn from <paramref name="random"/>.</summary>
    /// <param name="inputs">The number of inputs; must be positive.</param>
    /// <param name="outputs">The size of each layer in order (at least one, every size positive).</param>
    /// <param name="activation">The configuration: see <see cref="Scalar.Activation"/>.</param>
    /// <param name="random">The source of the initial weights, drawn layer by layer, neuron by neuron.</param>
    /// <exception cref="ArgumentException"><paramref name="outputs"/> is empty.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A size is not positive.</exception>
    public MLP(int inputs, IReadOnlyList<int> outputs, Activation activation, Random random)
    {
        ArgumentNullException.ThrowIfNull(outputs);
        ArgumentNullException.ThrowIfNull(random);
        if (inputs <= 0)
            throw new ArgumentOutOfRangeException(nameof(inputs), inputs, $"An MLP needs at least one input, but was given {inputs}.");
        if (outputs.Count == 0)
            throw new ArgumentException("An MLP needs at least one layer, but the list of layer sizes is empty.", nameof(outputs));
        for (int i = 0; i < outputs.Count; i++)
        {
            if (outputs[i] <= 0)
                throw new ArgumentOutOfRangeException(nameof(outputs), outputs[i],
                    $"Layer sizes must be positive, but layer {i} has size {outputs[i]}.");
        }

        Activation = activation;
        layers = new Layer[outputs.Count];
        for (int i = 0; i < layers.Length; i++)
        {
            bool last = i == layers.Length - 1;
            // micrograd keeps the last layer linear so scores are unbounded; the course notes do not.
            var layerActivation = activation == Activation.Relu && last ? Activation.Linear : activation;
            layers[i] = new Layer(i == 0 ? inputs : outputs[i - 1], outputs[i], layerActivation, random);
        }
        parameters = [.. layers.SelectMany(l => l.Parameters())];
    }

    /// <summary>The configuration given at construction (see <see cref="Scalar.Activation"/>).</summary>
    public Activation Activation { get; }

    /// <summary>The layers, from input to output.</summary>
    public IReadOnlyList<Layer> Layers => layers;

    /// <summary>The number of inputs the MLP expects.</summary>
    public int InputCount => layers[0].InputCount;

    /// <summary>The number of outputs (the size of the last layer).</summary>
    public int OutputCount => layers[^1].OutputCount;

    /// <summary>Runs <paramref name="x"/> through every layer.</summary>
    /// <returns>One value per output neuron (one element for a single output).</returns>
    /// <exception cref="ArgumentException"><paramref name="x"/> does not have <see cref="InputCount"/> elements.</exception>
    public Value[] Forward(ReadOnlySpan<Value> x)
    {
        if (x.Length != InputCount)
            throw new ArgumentException($"MLP expects {InputCount} inputs but was given {x.Length}.", nameof(x));
        Value[] h = layers[0].Forward(x);
        for (int i = 1; i < layers.Length; i++)
            h = layers[i].Forward(h);
        return h;
    }

    /// <summary>Runs the numbers <paramref name="x"/>, each wrapped as a leaf <see cref="Value"/>, through every layer.</summary>
    /// <inheritdoc cref="Forward(ReadOnlySpan{Value})"/>
    public Value[] Forward(ReadOnlySpan<double> x)
    {
        if (x.Length != InputCount)
            throw new ArgumentException($"MLP expects {InputCount} inputs but was given {x.Length}.", nameof(x));
        var inputs = new Value[x.Length];
        for (int i = 0; i < x.Length; i++)
            inputs[i] = new Value(x[i]);
        return Forward(inputs);
    }

    /// <summary>All weights and biases: layer by layer, neuron by neuron, weights then bias (micrograd's order).</summary>
    /// <remarks>The same list on every call; the values in it are the live parameters.</remarks>
    public IReadOnlyList<Value> Parameters() => parameters;

    /// <summary>Sets every parameter's gradient to 0, before the next <see cref="Value.Backward"/>.</summary>
    public void ZeroGrad()
    {
        foreach (var p in parameters)
            p.grad = 0;
    }

    /// <summary>micrograd's form: <c>MLP of [Layer of [...], ...]</c>.</summary>
    public override string ToString() => $"MLP of [{string.Join(", ", layers.Select(l => l.ToString()))}]";
}
