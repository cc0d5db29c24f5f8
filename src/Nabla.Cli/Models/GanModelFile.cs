using System.Globalization;
using System.Text.Json;
using Nabla.Examples;
using Nabla.NN;

namespace Nabla.Cli.Models;

/// <summary>
/// A trained GAN generator on disk, in the layout of <see cref="ModelFileFormat"/>: G's weights under <c>model.</c> +
/// PyTorch's names and the architecture (<see cref="DcganSpec"/>) as JSON under the <c>nabla.gan</c> metadata key, so
/// that <c>nabla gan-score</c> can rebuild G and draw samples from it with nothing else.
/// </summary>
internal sealed class GanModelFile
{
    /// <summary>The metadata key holding the spec.</summary>
    public const string SpecKey = "nabla.gan";

    public required DcganSpec Spec { get; init; }

    /// <summary>G: noise (N, Z) to images (N, 1, 28, 28) in [-1, 1].</summary>
    public required Sequential Generator { get; init; }

    /// <summary>The shape of one generated sample, (C, H, W).</summary>
    public int[] SampleShape => [.. DcganSpec.ImageShape];

    /// <summary>One line describing the architecture.</summary>
    public string Description => Describe(Spec);

    public void Save(string path) => ModelFileFormat.Save(path, SpecKey, JsonSerializer.Serialize(Spec), Generator, []);

    /// <summary>Reads a generator file.</summary>
    /// <exception cref="InvalidDataException">Not a GAN file (the message names the kind it holds), or weights that do not fit.</exception>
    public static GanModelFile Load(string path)
    {
        var (file, json) = ModelFileFormat.Open(path, SpecKey, "GAN generator");
        var spec = JsonSerializer.Deserialize<DcganSpec>(json) ?? throw new InvalidDataException($"{path}: the '{SpecKey}' metadata is empty.");
        // Files written before G had its optional 3x3 convolution do not name it, and their G has none; the record's
        // default (on) would build a G their weights do not fit.
        using (var doc = JsonDocument.Parse(json))
            if (!doc.RootElement.TryGetProperty(nameof(DcganSpec.GeneratorRefine), out _))
                spec = spec with { GeneratorRefine = false };
        var generator = spec.BuildGenerator();
        ModelFileFormat.LoadWeights(file, path, generator);
        return new GanModelFile { Spec = spec, Generator = generator };
    }

    /// <summary>
    /// <paramref name="count"/> samples as pixels in [0, 1], (count, 1, 28, 28): G's output in evaluation mode (batch
    /// norm with its running statistics), mapped from [-1, 1], in batches of 500 to bound memory.
    /// </summary>
    public Tensor Sample(int count, Generator noise)
    {
        using var _ = Tensor.NoGrad();
        Generator.Eval();
        var parts = new List<Tensor>();
        for (int start = 0; start < count; start += 500)
        {
            var z = Tensor.Randn([Math.Min(500, count - start), Spec.LatentDim], noise);
            parts.Add((Generator.Forward(z).Clamp(-1f, 1f) + 1f) / 2f);
        }
        return Tensor.Cat([.. parts], 0);
    }

    public static string Describe(DcganSpec spec) => string.Create(CultureInfo.InvariantCulture,
        $"DCGAN generator (latent {spec.LatentDim}, widths {2 * spec.GeneratorWidth}-{spec.GeneratorWidth}{(spec.GeneratorRefine ? $"-{spec.GeneratorWidth}" : "")}) for 1x28x28 images");
}
