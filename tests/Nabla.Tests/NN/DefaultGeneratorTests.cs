using Nabla.NN;

namespace Nabla.Tests.NN;

/// <summary>Runs alone: the tests that reseed <see cref="Generator.Default"/> and rely on its sequence.</summary>
[CollectionDefinition(nameof(DefaultGeneratorCollection), DisableParallelization = true)]
public class DefaultGeneratorCollection;

/// <summary>
/// Reproducibility through <see cref="Tensor.ManualSeed"/>: model init and dropout masks drawn from the default generator.
/// Kept out of the parallel run, since any other test drawing from the default generator meanwhile would shift the sequence.
/// </summary>
[Collection(nameof(DefaultGeneratorCollection))]
public class DefaultGeneratorTests
{
    [Fact]
    public void ManualSeedMakesInitReproducible()
    {
        Tensor.ManualSeed(42);
        var a = new Sequential(new Linear(3, 4), new Embedding(5, 2), new Linear(4, 1));
        Tensor.ManualSeed(42);
        var b = new Sequential(new Linear(3, 4), new Embedding(5, 2), new Linear(4, 1));
        Tensor.ManualSeed(43);
        var c = new Sequential(new Linear(3, 4), new Embedding(5, 2), new Linear(4, 1));
        Assert.Equal(a.StateDict().Select(kv => kv.Value.ToArray()), b.StateDict().Select(kv => kv.Value.ToArray()));
        Assert.NotEqual(a.StateDict().Select(kv => kv.Value.ToArray()), c.StateDict().Select(kv => kv.Value.ToArray()));
    }

    [Fact]
    public void AGivenGeneratorIsUsedInsteadOfTheDefault()
    {
        var a = new Linear(3, 4, generator: new Generator(7));
        Tensor.ManualSeed(1);
        var b = new Linear(3, 4, generator: new Generator(7));
        Assert.Equal(a.Weight.ToArray(), b.Weight.ToArray());
        Assert.Equal(a.Bias!.ToArray(), b.Bias!.ToArray());
    }

    [Fact]
    public void DropoutWithTheDefaultGeneratorFollowsManualSeed()
    {
        var dropout = new Dropout(0.5);
        Tensor.ManualSeed(9);
        var a = dropout.Forward(Tensor.Ones(50)).ToArray();
        Tensor.ManualSeed(9);
        var b = dropout.Forward(Tensor.Ones(50)).ToArray();
        Assert.Equal(a, b);
        Assert.NotEqual(a, dropout.Forward(Tensor.Ones(50)).ToArray());
    }
}
