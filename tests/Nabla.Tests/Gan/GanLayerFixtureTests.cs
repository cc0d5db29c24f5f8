using System.Globalization;
using System.Text.RegularExpressions;
using Nabla.NN;
using Nabla.Tests.NN;
using Nabla.Tests.Support;

namespace Nabla.Tests.Gan;

/// <summary>
/// ConvTranspose2d and interpolation against PyTorch (tools/fixtures_gan_layers.py): forward values and the input,
/// weight and bias gradients in float64 over a grid of settings read back from the case names; then the layers'
/// printout, parameter names, outputs and gradients over training and evaluation steps.
/// </summary>
public partial class GanLayerFixtureTests
{
    private const string OpsFile = "gan_ops.json";
    private const string LayersFile = "gan_layers.json";

    private static readonly Dictionary<string, Func<Tensor[], Tensor>> Ops = new()
    {
        ["convt_input_only"] = t => Tensor.ConvTranspose2d(t[0], t[1], stride: 2, padding: 1, outputPadding: 1),
        ["convt_weight_only"] = t => Tensor.ConvTranspose2d(t[0], t[1], t[2], stride: 2),
    };

    private static readonly Dictionary<string, Func<Module>> Layers = new()
    {
        ["convt_default"] = () => new ConvTranspose2d(3, 4, 3),
        ["convt_dcgan"] = () => new ConvTranspose2d(4, 2, 4, stride: 2, padding: 1, bias: false),
        ["convt_full"] = () => new ConvTranspose2d(4, 6, (3, 2), stride: (2, 3), padding: (1, 0), outputPadding: (1, 2), groups: 2, dilation: (1, 2)),
        ["upsample_nearest"] = () => new Upsample(scaleFactor: 2),
        ["upsample_bilinear_size"] = () => new Upsample(size: (5, 7), mode: InterpolationMode.Bilinear),
        ["upsample_bilinear_align"] = () => new Upsample(scaleFactor: 2, mode: InterpolationMode.Bilinear, alignCorners: true),
        ["small_generator"] = () => new Sequential(
            new ConvTranspose2d(4, 3, 4, stride: 2, padding: 1, bias: false), new BatchNorm2d(3), new ReLU(),
            new Upsample(scaleFactor: 2), new Conv2d(3, 1, 3, padding: 1), new Tanh()),
    };

    [GeneratedRegex(@"^convt_n(\d+)_c(\d+)_o(\d+)_h(\d+)_w(\d+)_k(\d+)x(\d+)_s(\d+)x(\d+)_p(\d+)x(\d+)_op(\d+)x(\d+)_d(\d+)x(\d+)_g(\d+)_b([01])$")]
    private static partial Regex GridName();

    [GeneratedRegex(@"^interp_(nearest|bilinear|bilinear_ac)_h(\d+)_w(\d+)_(?:f([\d.]+)|s(\d+)x(\d+))$")]
    private static partial Regex InterpName();

    public static IEnumerable<object[]> OpCases => TorchFixture.Names(OpsFile);

    public static IEnumerable<object[]> LayerCases => ModuleFixture.Load(LayersFile).Select(c => new object[] { c.Name });

    [Theory]
    [MemberData(nameof(OpCases))]
    public void OpsMatchPyTorch(string name)
    {
        var fixture = TorchFixture.Get(OpsFile, name);
        var grid = GridName().Match(name);
        var interp = InterpName().Match(name);
        if (grid.Success)
        {
            int V(int i) => int.Parse(grid.Groups[i].Value, CultureInfo.InvariantCulture);
            Size2d stride = (V(8), V(9)), padding = (V(10), V(11)), outputPadding = (V(12), V(13)), dilation = (V(14), V(15));
            int groups = V(16);
            bool bias = V(17) == 1;
            Assert.Equal([V(1), V(2), V(4), V(5)], fixture.Inputs[0].Shape);
            Assert.Equal([V(2), V(3) / groups, V(6), V(7)], fixture.Inputs[1].Shape);
            TorchFixture.Verify(fixture, t => Tensor.ConvTranspose2d(t[0], t[1], bias ? t[2] : null, stride, padding, outputPadding, groups, dilation));
        }
        else if (interp.Success)
        {
            string mode = interp.Groups[1].Value;
            Size2d? size = interp.Groups[5].Success ? (int.Parse(interp.Groups[5].Value, CultureInfo.InvariantCulture), int.Parse(interp.Groups[6].Value, CultureInfo.InvariantCulture)) : null;
            double? factor = interp.Groups[4].Success ? double.Parse(interp.Groups[4].Value, CultureInfo.InvariantCulture) : null;
            var m = mode == "nearest" ? InterpolationMode.Nearest : InterpolationMode.Bilinear;
            bool? corners = mode == "nearest" ? null : mode == "bilinear_ac";
            TorchFixture.Verify(fixture, t => t[0].Interpolate(size, factor, m, corners));
        }
        else
        {
            Assert.True(Ops.ContainsKey(name), $"no Nabla computation registered for fixture case '{name}'");
            TorchFixture.Verify(fixture, Ops[name]);
        }
    }

    [Theory]
    [MemberData(nameof(LayerCases))]
    public void LayersMatchPyTorch(string name)
    {
        Assert.True(Layers.ContainsKey(name), $"no Nabla module registered for fixture case '{name}'");
        ModuleFixture.Verify(ModuleFixture.Get(LayersFile, name), Layers[name]());
    }

    [Fact]
    public void EveryCaseIsCovered()
    {
        var names = TorchFixture.Load(OpsFile).Select(c => c.Name).ToList();
        Assert.All(Ops.Keys, k => Assert.Contains(k, names));
        Assert.Equal(18, names.Count(n => GridName().IsMatch(n)));
        Assert.Equal(19, names.Count(n => InterpName().IsMatch(n)));
        Assert.Equal(Layers.Keys.Order(), ModuleFixture.Load(LayersFile).Select(c => c.Name).Order());
    }

    [Fact]
    public void Float32MatchesFloat64()
    {
        // The float32 path runs the SGEMM kernels on several threads; it must agree with the float64 reference.
        var x = Tensor.Randn([8, 16, 7, 7], new Generator(1));
        var w = Tensor.Randn([16, 8, 4, 4], new Generator(2));
        var b = Tensor.Randn([8], new Generator(3));
        var single = Tensor.ConvTranspose2d(x, w, b, stride: 2, padding: 1).ToDoubleArray();
        var reference = Tensor.ConvTranspose2d(x.Double(), w.Double(), b.Double(), stride: 2, padding: 1).ToDoubleArray();
        for (int i = 0; i < single.Length; i++) Assert.True(Math.Abs(single[i] - reference[i]) < 1e-4 * (1 + Math.Abs(reference[i])), $"element {i}");
    }
}
