using Nabla.Data;

namespace Nabla.Tests.Data;

public class GeneratorsTests
{
    private static float[] Row(TensorDataset d, int i) => d.Inputs[i].ToArray();

    public static TheoryData<string> Names() => ["xor", "moons", "circles", "spirals"];

    private static ClassificationDataset Make(string name, int n, int seed) => name switch
    {
        "xor" => Generators.Xor(n, 0.1, seed),
        "moons" => Generators.Moons(n, 0.1, seed),
        "circles" => Generators.Circles(n, 0.05, 0.5, seed),
        _ => Generators.Spirals(n, 3, 0.2, seed),
    };

    [Theory]
    [MemberData(nameof(Names))]
    public void ShapesAndBalance(string name)
    {
        var data = Make(name, 101, seed: 0);
        Assert.Equal([101, 2], data.Inputs.Shape);
        Assert.Equal([101], data.Targets.Shape);
        var counts = data.ClassCounts();
        Assert.Equal(101, counts.Sum());
        Assert.True(counts.Max() - counts.Min() <= 1, $"{name}: classes {string.Join(", ", counts)} are not balanced.");
        Assert.Equal(name, data.Name);
        Assert.Null(data.Citation);
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void SameSeedSameDataOtherSeedOtherData(string name)
    {
        Assert.Equal(Make(name, 40, 3).Inputs.ToArray(), Make(name, 40, 3).Inputs.ToArray());
        Assert.Equal(Make(name, 40, 3).Targets.ToArray(), Make(name, 40, 3).Targets.ToArray());
        Assert.NotEqual(Make(name, 40, 3).Inputs.ToArray(), Make(name, 40, 4).Inputs.ToArray());
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void SamplesAreShuffled(string name)
    {
        var labels = Make(name, 60, 0).Targets.ToArray();
        Assert.NotEqual(labels.Order(), labels);
    }

    [Fact]
    public void XorLabelsAreTheXorOfTheNearestCorner()
    {
        var data = Generators.Xor(200, noise: 0.1, seed: 1);
        var labels = data.Targets.ToArray();
        for (int i = 0; i < data.Count; i++)
        {
            var p = Row(data, i);
            int a = p[0] > 0.5f ? 1 : 0, b = p[1] > 0.5f ? 1 : 0;
            Assert.Equal(a ^ b, (int)labels[i]);
        }
        var exact = Generators.Xor(4, noise: 0, seed: 0);
        Assert.All(exact.Inputs.ToArray(), v => Assert.True(v == 0f || v == 1f));
    }

    [Fact]
    public void Xor3IsTheParityTableOfThreeBits()
    {
        var data = Generators.Xor3();
        Assert.Equal([8, 3], data.Inputs.Shape);
        Assert.Equal([0f, 0, 0, 0, 0, 1, 0, 1, 0, 0, 1, 1, 1, 0, 0, 1, 0, 1, 1, 1, 0, 1, 1, 1], data.Inputs.ToArray());
        Assert.Equal([0f, 1, 1, 0, 1, 0, 0, 1], data.Targets.ToArray());
    }

    [Fact]
    public void MoonsAreTheScalarEnginesMoons()
    {
        var (x, y) = Synthetic.Moons(25, 0.2, 7);
        var data = Generators.Moons(25, 0.2, 7);
        for (int i = 0; i < 25; i++)
        {
            Assert.Equal([(float)x[i][0], (float)x[i][1]], Row(data, i));
            Assert.Equal(y[i], (int)data.Targets.ToArray()[i]);
        }
    }

    [Fact]
    public void CirclesLieOnTheirRadiiWithoutNoise()
    {
        var data = Generators.Circles(30, noise: 0, factor: 0.3, seed: 2);
        var labels = data.Targets.ToArray();
        for (int i = 0; i < data.Count; i++)
        {
            var p = Row(data, i);
            Assert.Equal(labels[i] == 0 ? 1.0 : 0.3, Math.Sqrt(p[0] * p[0] + p[1] * p[1]), 5);
        }
    }

    [Fact]
    public void SpiralsHaveOneArmPerClassWithinTheUnitDisc()
    {
        var data = Generators.Spirals(50, classes: 5, noise: 0.2, seed: 1);
        Assert.Equal(5, data.NumClasses);
        Assert.Equal([10, 10, 10, 10, 10], data.ClassCounts());
        for (int i = 0; i < data.Count; i++)
        {
            var p = Row(data, i);
            Assert.InRange(p[0] * p[0] + p[1] * p[1], 0f, 1.0001f);
        }
    }

    [Fact]
    public void RejectsBadArguments()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Generators.Xor(3));
        Assert.Throws<ArgumentOutOfRangeException>(() => Generators.Xor(10, noise: -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => Generators.Moons(1));
        Assert.Throws<ArgumentOutOfRangeException>(() => Generators.Circles(10, factor: 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => Generators.Spirals(10, classes: 1));
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => Generators.Spirals(2, classes: 3));
        Assert.Contains("at least 3 points", e.Message);
    }
}
