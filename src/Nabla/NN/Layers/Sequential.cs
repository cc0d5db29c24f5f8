using System.Collections;
using System.Globalization;

namespace Nabla.NN;

/// <summary>
/// A chain of modules applied in order (<c>torch.nn.Sequential</c>): the output of each is the input of the next.
/// Children are named by position, <c>"0"</c>, <c>"1"</c>, ..., so parameters get PyTorch's names
/// (<c>0.weight</c>, <c>2.bias</c>) and state dicts cross between the two.
/// </summary>
/// <example>
/// <code>
/// var model = new Sequential(new Linear(784, 128), new ReLU(), new Linear(128, 10));
/// var model2 = new Sequential { new Linear(2, 16), new Tanh(), new Linear(16, 1) };
/// </code>
/// </example>
public class Sequential : Module, IEnumerable<Module>
{
    private readonly List<Module> layers = new();

    /// <summary>Creates an empty chain, to fill with <see cref="Add(Module)"/> or a collection initializer.</summary>
    public Sequential() { }

    /// <summary>Creates the chain from <paramref name="modules"/>, named "0", "1", ... in order.</summary>
    public Sequential(params Module[] modules)
    {
        ArgumentNullException.ThrowIfNull(modules);
        foreach (var m in modules) Add(m);
    }

    /// <summary>Creates the chain from named modules (PyTorch's <c>Sequential(OrderedDict(...))</c>); names may not contain dots.</summary>
    public Sequential(params (string Name, Module Module)[] namedModules)
    {
        ArgumentNullException.ThrowIfNull(namedModules);
        foreach (var (name, m) in namedModules) Add(name, m);
    }

    /// <summary>The number of modules in the chain.</summary>
    public int Count => layers.Count;

    /// <summary>The module at <paramref name="index"/>; negative indices count from the end (<c>model[-1]</c>).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The index is out of range.</exception>
    public Module this[int index]
    {
        get
        {
            int i = index < 0 ? index + layers.Count : index;
            if (i < 0 || i >= layers.Count)
                throw new ArgumentOutOfRangeException(nameof(index), $"Sequential: index {index} is out of range for {layers.Count} modules.");
            return layers[i];
        }
    }

    /// <summary>Appends <paramref name="module"/>, named by its position (<c>model.append(m)</c>); returns this.</summary>
    public Sequential Add(Module module) => Add(layers.Count.ToString(CultureInfo.InvariantCulture), module);

    /// <summary>Appends <paramref name="module"/> under <paramref name="name"/>; returns this.</summary>
    /// <exception cref="ArgumentException">The name is empty, contains a dot, or is taken.</exception>
    public Sequential Add(string name, Module module)
    {
        ArgumentNullException.ThrowIfNull(module);
        RegisterModule(name, module);
        layers.Add(module);
        return this;
    }

    /// <summary>Runs the modules in order, each through <see cref="Module.Call"/>.</summary>
    public override Tensor Forward(Tensor input)
    {
        var x = input;
        foreach (var layer in layers) x = layer.Call(x);
        return x;
    }

    /// <summary>The modules in order.</summary>
    public IEnumerator<Module> GetEnumerator() => layers.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
