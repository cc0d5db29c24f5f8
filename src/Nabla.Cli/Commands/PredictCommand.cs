using System.CommandLine;
using System.Globalization;
using Nabla.Cli.Models;
using Nabla.Data;

namespace Nabla.Cli.Commands;

/// <summary>
/// <c>nabla predict MODEL --input rows.csv</c>: the predicted class and its probability for each row. For a CNN each
/// row holds one image's C*H*W pixels in [0, 1], or the input is an IDX image file (bytes, as Fashion-MNIST's).
/// </summary>
internal static class PredictCommand
{
    public static Command Create()
    {
        var model = new Argument<string>("model") { Description = "A model.safetensors written by `nabla train`." };
        var input = new Option<string>("--input", "-i") { Description = "CSV file of feature rows (no label column); for a CNN, rows of C*H*W pixels in [0, 1] or an IDX image file.", Required = true };
        var header = new Option<bool>("--header") { Description = "The CSV file starts with a header line." };
        var command = new Command("predict", "Predict the class of each row of a CSV file.") { model, input, header };
        command.SetAction(parse => CliErrors.Run(() =>
        {
            var file = ClassifierFile.Load(parse.GetValue(model)!);
            string path = parse.GetValue(input)!;
            var rows = IsIdx(path) ? ReadImages(path, file) : ReadRows(path, parse.GetValue(header), file.SampleShape);
            Tensor probabilities;
            using (Tensor.NoGrad())
            {
                file.Model.Eval();
                probabilities = file.Model.Forward(file.Preprocess(rows)).Softmax(1);
            }
            var p = probabilities.ToArray();
            int classes = file.ClassNames.Count;
            Console.WriteLine("row,class,name,probability");
            for (int r = 0; r < rows.Size(0); r++)
            {
                int best = 0;
                for (int c = 1; c < classes; c++) if (p[r * classes + c] > p[r * classes + best]) best = c;
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{r + 1},{best},{file.ClassNames[best]},{p[r * classes + best]:F4}"));
            }
            return 0;
        }));
        return command;
    }

    private static bool IsIdx(string path) =>
        path.EndsWith("-ubyte", StringComparison.Ordinal) || path.EndsWith("-ubyte.gz", StringComparison.Ordinal) || path.EndsWith(".idx", StringComparison.Ordinal);

    /// <summary>Reads an IDX file of byte images (N, H, W) as pixels in [0, 1], (N, 1, H, W); the size must be the model's.</summary>
    private static Tensor ReadImages(string path, IClassifierFile file)
    {
        var shape = file.SampleShape;
        var images = Idx.Read(path, expectedRank: 3);                                  // (N, H, W), bytes 0..255
        if (shape.Length != 3 || shape[0] != 1 || images.Size(1) != shape[1] || images.Size(2) != shape[2])
            throw new InvalidDataException(
                $"{path}: images of {images.Size(1)}x{images.Size(2)}, but the model ({file.Description}) takes inputs of shape ({string.Join(", ", shape)}).");
        return (images / 255f).Reshape(-1, 1, shape[1], shape[2]);
    }

    /// <summary>Reads numeric rows, each with exactly as many values as one sample of <paramref name="sampleShape"/>; errors name the line and column.</summary>
    private static Tensor ReadRows(string path, bool hasHeader, int[] sampleShape)
    {
        int features = sampleShape.Aggregate(1, (a, b) => a * b);
        string expected = sampleShape.Length == 1 ? $"{features} features" : $"{features} values per row ({string.Join("x", sampleShape)} pixels)";
        var values = new List<float>();
        int line = 0, rows = 0;
        foreach (var text in File.ReadLines(path))
        {
            line++;
            if (hasHeader && line == 1 || string.IsNullOrWhiteSpace(text)) continue;
            var cells = text.Split(',');
            if (cells.Length != features)
                throw new InvalidDataException($"{path}, line {line}: {cells.Length} values, but the model expects {expected}.");
            for (int c = 0; c < cells.Length; c++)
            {
                if (!float.TryParse(cells[c], NumberStyles.Float, CultureInfo.InvariantCulture, out float v) || !float.IsFinite(v))
                    throw new InvalidDataException($"{path}, line {line}, column {c + 1}: '{cells[c]}' is not a number.");
                values.Add(v);
            }
            rows++;
        }
        if (rows == 0) throw new InvalidDataException($"{path}: no rows to predict.");
        return Tensor.FromArray(values.ToArray(), [rows, .. sampleShape]);
    }
}
