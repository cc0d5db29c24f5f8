using System.CommandLine;
using System.Globalization;
using Nabla.Cli.Models;

namespace Nabla.Cli.Commands;

/// <summary><c>nabla predict MODEL --input rows.csv</c>: the predicted class and its probability for each row.</summary>
internal static class PredictCommand
{
    public static Command Create()
    {
        var model = new Argument<string>("model") { Description = "A model.safetensors written by `nabla train`." };
        var input = new Option<string>("--input", "-i") { Description = "CSV file of feature rows (no label column).", Required = true };
        var header = new Option<bool>("--header") { Description = "The CSV file starts with a header line." };
        var command = new Command("predict", "Predict the class of each row of a CSV file.") { model, input, header };
        command.SetAction(parse => CliErrors.Run(() =>
        {
            var file = MlpModelFile.Load(parse.GetValue(model)!);
            string path = parse.GetValue(input)!;
            var rows = ReadRows(path, parse.GetValue(header), file.Spec.Inputs);
            Tensor probabilities;
            using (Tensor.NoGrad())
            {
                file.Model.Eval();
                probabilities = file.Model.Forward(file.Preprocess(rows)).Softmax(1);
            }
            var p = probabilities.ToArray();
            int classes = file.Spec.ClassNames.Length;
            Console.WriteLine("row,class,name,probability");
            for (int r = 0; r < rows.Size(0); r++)
            {
                int best = 0;
                for (int c = 1; c < classes; c++) if (p[r * classes + c] > p[r * classes + best]) best = c;
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{r + 1},{best},{file.Spec.ClassNames[best]},{p[r * classes + best]:F4}"));
            }
            return 0;
        }));
        return command;
    }

    /// <summary>Reads numeric rows, each with exactly <paramref name="features"/> values; errors name the line and column.</summary>
    private static Tensor ReadRows(string path, bool hasHeader, int features)
    {
        var values = new List<float>();
        int line = 0, rows = 0;
        foreach (var text in File.ReadLines(path))
        {
            line++;
            if (hasHeader && line == 1 || string.IsNullOrWhiteSpace(text)) continue;
            var cells = text.Split(',');
            if (cells.Length != features)
                throw new InvalidDataException($"{path}, line {line}: {cells.Length} values, but the model expects {features} features.");
            for (int c = 0; c < cells.Length; c++)
            {
                if (!float.TryParse(cells[c], NumberStyles.Float, CultureInfo.InvariantCulture, out float v) || !float.IsFinite(v))
                    throw new InvalidDataException($"{path}, line {line}, column {c + 1}: '{cells[c]}' is not a number.");
                values.Add(v);
            }
            rows++;
        }
        if (rows == 0) throw new InvalidDataException($"{path}: no rows to predict.");
        return Tensor.FromArray(values.ToArray(), rows, features);
    }
}
