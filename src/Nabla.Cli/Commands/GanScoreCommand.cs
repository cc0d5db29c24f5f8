using System.CommandLine;
using System.Globalization;
using Nabla.Cli.Models;
using Nabla.Data;
using Nabla.IO;

namespace Nabla.Cli.Commands;

/// <summary>
/// <c>nabla gan-score GENERATOR --classifier CNN_MODEL</c>: how recognizable and how varied a generator's samples are,
/// judged by a classifier trained on the real images, beside the same figures for real test images: the share of
/// samples classified with confidence above 0.9, the entropy of the histogram of predicted classes (log2 10 = 3.32
/// bits when every class is equally frequent) and each class's share. A sharp but collapsed generator shows high
/// confidence with low entropy; a varied but blurry one the reverse. (The idea of the Inception score, with the
/// figures kept apart and a classifier of the data set's own classes.)
/// </summary>
internal static class GanScoreCommand
{
    /// <summary>Above this top-class probability a sample counts as confidently classified.</summary>
    public const double Confident = 0.9;

    public static Command Create()
    {
        var generator = new Argument<string>("generator") { Description = "A generator.safetensors written by `nabla train --model gan`." };
        var classifier = new Option<string>("--classifier", "-c") { Description = "A model.safetensors from `nabla train --dataset fashion-mnist --model cnn`.", Required = true };
        var samples = new Option<int>("--samples", "-n") { Description = "Samples to generate (and real test images to score beside them).", DefaultValueFactory = _ => 2000 };
        var seed = new Option<int>("--seed") { Description = "Seed of the noise.", DefaultValueFactory = _ => 1 };
        var data = new Option<string?>("--data") { Description = $"Folder of the Fashion-MNIST files (default {FashionMnist.DefaultDirectory}), for the real images." };
        var command = new Command("gan-score", "Score a GAN generator's samples with a classifier, beside real test images.") { generator, classifier, samples, seed, data };
        command.SetAction(parse => CliErrors.Run(() =>
            Score(parse.GetValue(generator)!, parse.GetValue(classifier)!, parse.GetValue(samples), parse.GetValue(seed), parse.GetValue(data), Console.Out)));
        return command;
    }

    /// <summary>The figures for one set of images.</summary>
    /// <param name="ConfidentShare">Share with top-class probability above <see cref="Confident"/>.</param>
    /// <param name="Entropy">Entropy in bits of the histogram of predicted classes.</param>
    /// <param name="ClassShares">Share of images predicted as each class.</param>
    internal sealed record Scores(double ConfidentShare, double Entropy, double[] ClassShares);

    internal static int Score(string generatorPath, string classifierPath, int count, int seed, string? dataDirectory, TextWriter output)
    {
        if (count < 1) throw new ArgumentException($"--samples must be at least 1, got {count}.");
        var gan = GanModelFile.Load(generatorPath);
        var model = LoadClassifier(classifierPath);
        int[] produced = gan.SampleShape;
        if (produced.Aggregate(1, (a, b) => a * b) != model.SampleShape.Aggregate(1, (a, b) => a * b)
            || (model.SampleShape.Length == produced.Length && !model.SampleShape.SequenceEqual(produced)))
            throw new ArgumentException(
                $"{generatorPath} generates samples of shape ({string.Join(", ", produced)}), but the classifier {classifierPath} " +
                $"({model.Description}) takes ({string.Join(", ", model.SampleShape)}).");

        var fake = Evaluate(model, gan.Sample(count, new Generator(seed)));
        string directory = dataDirectory ?? FashionMnist.DefaultDirectory;
        Scores? real = null;
        if (FashionMnist.IsAvailable(directory))
        {
            var test = FashionMnist.Load(directory, train: false).Inputs;                   // (10000, 1, 28, 28) in [0, 1]
            real = Evaluate(model, test.Slice(0, 0, Math.Min(count, test.Shape[0])).Contiguous());
        }

        output.WriteLine($"Generator: {gan.Description}");
        output.WriteLine($"Classifier: {model.Description}");
        var ci = CultureInfo.InvariantCulture;
        string realHeader = real is null ? "" : $"{"real (test)",14}";
        output.WriteLine(string.Create(ci, $"{"",-26}{"generated",12}{realHeader}"));
        output.WriteLine(string.Create(ci, $"{"images",-26}{count,12}{(real is null ? "" : $"{Math.Min(count, 10000),14}")}"));
        Row($"confidence > {Confident}", fake.ConfidentShare, real?.ConfidentShare, percent: true);
        Row("class entropy (bits)", fake.Entropy, real?.Entropy, percent: false);
        for (int c = 0; c < model.ClassNames.Count; c++)
            Row($"  {model.ClassNames[c]}", fake.ClassShares[c], real?.ClassShares[c], percent: true);
        if (real is null) output.WriteLine($"(no real images beside: Fashion-MNIST is not in {directory})");
        output.WriteLine(string.Create(ci,
            $"max entropy log2({model.ClassNames.Count}) = {Math.Log2(model.ClassNames.Count):F2} bits; smallest class share {fake.ClassShares.Min():P1}"));
        return 0;

        void Row(string label, double generated, double? reference, bool percent)
        {
            string F(double v) => percent ? v.ToString("P1", ci) : v.ToString("F3", ci);
            output.WriteLine($"{label,-26}{F(generated),12}{(reference is double r ? $"{F(r),14}" : "")}");
        }
    }

    /// <summary>A classifier file; a generator file or one of another kind is refused with a message that says so.</summary>
    private static IClassifierFile LoadClassifier(string path)
    {
        if (SafeTensors.Load(path).Metadata.ContainsKey(GanModelFile.SpecKey))
            throw new InvalidDataException($"{path}: is a GAN generator, not a classifier; pass a model from `nabla train --dataset fashion-mnist --model cnn`.");
        return ClassifierFile.Load(path);
    }

    /// <summary>Confidence, histogram and entropy of the classifier's predictions for raw images (N, C, H, W) in [0, 1].</summary>
    internal static Scores Evaluate(IClassifierFile model, Tensor images)
    {
        int n = images.Shape[0], classes = model.ClassNames.Count;
        var counts = new int[classes];
        int confident = 0;
        using (Tensor.NoGrad())
        {
            model.Model.Eval();
            for (int start = 0; start < n; start += 500)
            {
                int size = Math.Min(500, n - start);
                var batch = images.Slice(0, start, start + size).Reshape([size, .. model.SampleShape]);
                var p = model.Model.Forward(model.Preprocess(batch)).Softmax(1).ToArray();   // (size, classes)
                for (int i = 0; i < size; i++)
                {
                    int best = 0;
                    for (int c = 1; c < classes; c++) if (p[i * classes + c] > p[i * classes + best]) best = c;
                    counts[best]++;
                    if (p[i * classes + best] > Confident) confident++;
                }
            }
        }
        var shares = counts.Select(c => (double)c / n).ToArray();
        double entropy = -shares.Where(s => s > 0).Sum(s => s * Math.Log2(s));
        return new Scores((double)confident / n, entropy, shares);
    }
}
