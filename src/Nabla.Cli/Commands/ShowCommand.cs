using System.CommandLine;
using System.Globalization;
using Nabla.Cli.Models;
using Nabla.NN;
using Nabla.Viz;

namespace Nabla.Cli.Commands;

/// <summary>
/// <c>nabla show filters MODEL</c>: what a trained CNN learned, as pictures: the first conv layer's filters, one test
/// image, and that image's feature maps after the first block (conv, batch norm, ReLU, max-pool).
/// </summary>
internal static class ShowCommand
{
    public static Command Create()
    {
        var model = new Argument<string>("model") { Description = "A CNN model.safetensors written by `nabla train --model cnn`." };
        var output = new Option<string>("--output", "-o") { Description = "Folder for filters.png, sample.png and feature_maps.png.", DefaultValueFactory = _ => "out/show" };
        var sample = new Option<int>("--sample", "-s") { Description = "Index of the test image whose feature maps are drawn.", DefaultValueFactory = _ => 0 };
        var data = new Option<string?>("--data") { Description = "Folder of the Fashion-MNIST files." };
        var filters = new Command("filters", "Draw a trained CNN's first-layer filters and one test image's feature maps after the first block.")
        {
            model, output, sample, data,
        };
        filters.SetAction(parse => CliErrors.Run(() =>
        {
            var written = Filters(CnnModelFile.Load(parse.GetValue(model)!), parse.GetValue(output)!, parse.GetValue(sample), parse.GetValue(data));
            Console.WriteLine($"Wrote {string.Join(", ", written)}");
            return 0;
        }));
        return new Command("show", "Pictures of what a trained model learned.") { filters };
    }

    /// <summary>Writes filters.png, sample.png and feature_maps.png to <paramref name="output"/>; returns their paths.</summary>
    /// <exception cref="ArgumentException">The sample index is outside the test set.</exception>
    internal static string[] Filters(CnnModelFile file, string output, int sample, string? dataDirectory)
    {
        var problem = ImageDataSources.Load(file.Dataset, dataDirectory);
        int count = problem.Test.Count;
        if (sample < 0 || sample >= count)
            throw new ArgumentException($"--sample {sample}: the {file.Dataset} test set has images 0 to {count - 1}.");
        Directory.CreateDirectory(output);
        string filtersPath = Path.Combine(output, "filters.png");
        string samplePath = Path.Combine(output, "sample.png");
        string mapsPath = Path.Combine(output, "feature_maps.png");

        var conv = (Conv2d)file.Model[0];
        var weight = conv.Weight.Detach();                                        // (C_out, C_in, kH, kW)
        int cOut = weight.Size(0), cIn = weight.Size(1), kh = weight.Size(2), kw = weight.Size(3);
        // Grey or colour filters tile as they are; any other input depth shows each input channel's slice on its own.
        var tiles = cIn is 1 or 3 ? weight : weight.Reshape(cOut * cIn, 1, kh, kw);
        ImageGrid.Save(filtersPath, tiles, columns: cIn is 1 or 3 ? 8 : cIn, padding: 6, scale: Math.Max(1, 48 / Math.Max(kh, kw)));

        var image = problem.Test.Inputs.Narrow(0, sample, 1);                     // (1, C, H, W), pixels in [0, 1]
        ImageGrid.Save(samplePath, image, padding: 0, scale: Math.Max(1, 112 / file.Spec.Height), perImageScaling: false);

        Tensor maps, probabilities;
        using (Tensor.NoGrad())
        {
            file.Model.Eval();
            var x = file.Preprocess(image);
            for (int i = 0; i < 4; i++) x = file.Model[i].Forward(x);              // conv, BatchNorm2d, ReLU, max-pool: (1, C_out, H/2, W/2)
            maps = x.Reshape(x.Size(1), 1, x.Size(2), x.Size(3));                  // (C_out, 1, H/2, W/2)
            probabilities = file.Probabilities(image);
        }
        ImageGrid.Save(mapsPath, maps, columns: 8, padding: 2, scale: Math.Max(1, 56 / maps.Size(2)));

        int label = (int)problem.Test.Targets.ToArray()[sample];
        int predicted = (int)probabilities.ArgMax(1).Item();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{file.Description}\ntest image {sample}: {file.ClassNames[label]}, predicted {file.ClassNames[predicted]} ({probabilities.ToArray()[predicted]:P1}); " +
            $"{cOut} filters of {cIn}x{kh}x{kw}, {maps.Size(0)} feature maps of {maps.Size(2)}x{maps.Size(3)}"));
        return [filtersPath, samplePath, mapsPath];
    }
}
