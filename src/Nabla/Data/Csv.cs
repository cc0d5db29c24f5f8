using System.Globalization;
using System.Text;

namespace Nabla.Data;

/// <summary>
/// Reads numeric CSV files (comma-separated by default, plain or gzip-compressed) into a features tensor and
/// a target tensor: every column must hold a finite number on every line.
/// </summary>
/// <remarks>
/// Fields may be quoted ("..." with "" for a quote) but may not span lines; blank lines are skipped;
/// numbers use the invariant culture (a point for decimals, exponents allowed). A missing, non-numeric or
/// non-finite value, or a line with the wrong number of fields, throws an <see cref="InvalidDataException"/>
/// naming the source, the line (counting from 1, header included) and the column (counting from 1, as
/// editors do, with its header name).
/// </remarks>
public static class Csv
{
    /// <summary>Reads a CSV file with a header line, taking the column named <paramref name="targetColumn"/> as the target.</summary>
    /// <param name="path">The file, plain or gzip-compressed.</param>
    /// <param name="targetColumn">The header name of the target column.</param>
    /// <param name="separator">The field separator.</param>
    /// <exception cref="ArgumentException">No column has that name (the message lists the columns).</exception>
    /// <exception cref="InvalidDataException">A value is missing or not a number, or a line has the wrong number of fields.</exception>
    public static CsvData Read(string path, string targetColumn, char separator = ',')
    {
        using var file = File.OpenRead(path);
        return Read(file, targetColumn, separator, path);
    }

    /// <summary>Reads a CSV file, taking the column at position <paramref name="targetColumn"/> as the target.</summary>
    /// <param name="path">The file, plain or gzip-compressed.</param>
    /// <param name="targetColumn">The 0-based position of the target column; negative counts from the end (-1 is the last).</param>
    /// <param name="hasHeader">Whether the first line holds column names rather than data.</param>
    /// <param name="separator">The field separator.</param>
    /// <exception cref="ArgumentException">The position is out of range (the message lists the columns).</exception>
    /// <exception cref="InvalidDataException">A value is missing or not a number, or a line has the wrong number of fields.</exception>
    public static CsvData Read(string path, int targetColumn, bool hasHeader = true, char separator = ',')
    {
        using var file = File.OpenRead(path);
        return Read(file, targetColumn, hasHeader, separator, path);
    }

    /// <summary>Reads CSV data with a header line from <paramref name="stream"/>; <paramref name="sourceName"/> names it in errors.</summary>
    /// <inheritdoc cref="Read(string, string, char)"/>
    public static CsvData Read(Stream stream, string targetColumn, char separator = ',', string sourceName = "stream")
    {
        ArgumentNullException.ThrowIfNull(targetColumn);
        return ReadCore(stream, sourceName, hasHeader: true, separator, names => Array.IndexOf(names, targetColumn) is int k and >= 0
            ? k
            : throw new ArgumentException(
                $"{sourceName}: there is no column named '{targetColumn}'; the columns are {Describe(names)}.", nameof(targetColumn)));
    }

    /// <summary>Reads CSV data from <paramref name="stream"/>; <paramref name="sourceName"/> names it in errors.</summary>
    /// <inheritdoc cref="Read(string, int, bool, char)"/>
    public static CsvData Read(Stream stream, int targetColumn, bool hasHeader = true, char separator = ',', string sourceName = "stream") =>
        ReadCore(stream, sourceName, hasHeader, separator, names =>
        {
            int k = targetColumn < 0 ? targetColumn + names.Length : targetColumn;
            return k >= 0 && k < names.Length
                ? k
                : throw new ArgumentException(
                    $"{sourceName}: target column {targetColumn} is out of range for {names.Length} columns (expected {-names.Length} to {names.Length - 1}); the columns are {Describe(names)}.",
                    nameof(targetColumn));
        });

    private static CsvData ReadCore(Stream stream, string source, bool hasHeader, char separator, Func<string[], int> chooseTarget)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var reader = OpenText(stream);
        var table = new Table(reader, source, separator);
        string[] names = hasHeader ? table.ReadHeader() : [];
        var (values, rows, columns) = table.ReadNumbers(hasHeader ? names.Length : null, names);
        if (!hasHeader) names = [.. Enumerable.Range(1, columns).Select(c => $"column {c}")];
        int target = chooseTarget(names);

        // Split the (rows, columns) table into (rows, columns - 1) features and (rows,) targets.
        int features = columns - 1;
        var x = new float[rows * features];
        var y = new float[rows];
        for (int r = 0; r < rows; r++)
        {
            var row = values.AsSpan(r * columns, columns);
            row[..target].CopyTo(x.AsSpan(r * features));
            row[(target + 1)..].CopyTo(x.AsSpan(r * features + target));
            y[r] = row[target];
        }
        string[] featureNames = [.. names[..target], .. names[(target + 1)..]];
        return new CsvData(new Tensor(x, [rows, features]), new Tensor(y, [rows]), featureNames, names[target]);
    }

    /// <summary>A text reader over the stream's bytes, decompressed if they are gzip (UTF-8, or as a byte-order mark says).</summary>
    internal static StreamReader OpenText(Stream stream)
    {
        var bytes = Gzip.OpenMaybeCompressed(stream, out bool compressed);
        return new StreamReader(bytes, Encoding.UTF8, detectEncodingFromByteOrderMarks: true, leaveOpen: !compressed);
    }

    private static string Describe(string[] names) =>
        names.Length == 0 ? "none" : string.Join(", ", names.Select((n, k) => $"{k}: '{n}'"));

    /// <summary>
    /// A line-by-line reader of a numeric table that knows where it is, for error messages; shared by
    /// <see cref="Csv"/> and the built-in data sets, whose files have a header of their own.
    /// </summary>
    internal sealed class Table(TextReader reader, string source, char separator = ',')
    {
        private readonly List<(int Start, int Length)> fields = [];

        /// <summary>The number of the last line read (1-based).</summary>
        public int LineNumber { get; private set; }

        /// <summary>The next line that is not blank, or null at the end.</summary>
        public string? NextLine()
        {
            string? line;
            do
            {
                line = reader.ReadLine();
                if (line is null) return null;
                LineNumber++;
            } while (string.IsNullOrWhiteSpace(line));
            return line;
        }

        /// <summary>The fields of the next non-blank line as trimmed strings (quotes removed), for a header.</summary>
        public string[] ReadHeader()
        {
            var line = NextLine() ?? throw new InvalidDataException($"{source}: the data is empty; expected a header line.");
            Split(line);
            return [.. fields.Select(f => line.Substring(f.Start, f.Length).Replace("\"\"", "\"").Trim())];
        }

        /// <summary>
        /// Reads every remaining line as numbers, row-major: (values, rows, columns). The first data line sets
        /// the column count unless <paramref name="columns"/> is given; <paramref name="names"/> (possibly empty)
        /// names the columns in error messages.
        /// </summary>
        public (float[] Values, int Rows, int Columns) ReadNumbers(int? columns, string[] names)
        {
            var values = new List<float>();
            int rows = 0;
            int headerLine = LineNumber, firstLine = 0;
            string? line;
            while ((line = NextLine()) is not null)
            {
                Split(line);
                if (columns is null)
                {
                    columns = fields.Count;
                    firstLine = LineNumber;
                }
                if (fields.Count != columns)
                    throw new InvalidDataException(headerLine > 0
                        ? $"{source}, line {LineNumber}: {fields.Count} field{(fields.Count == 1 ? "" : "s")}, but the header (line {headerLine}) has {columns}."
                        : $"{source}, line {LineNumber}: {fields.Count} field{(fields.Count == 1 ? "" : "s")}, but the first data line (line {firstLine}) has {columns}.");
                for (int c = 0; c < fields.Count; c++)
                    values.Add(ParseField(line, c, names));
                rows++;
            }
            if (rows == 0)
                throw new InvalidDataException($"{source}: there are no data lines{(headerLine > 0 ? $" after the header (line {headerLine})" : "")}.");
            return (values.ToArray(), rows, columns!.Value);
        }

        private float ParseField(string line, int c, string[] names)
        {
            var text = line.AsSpan(fields[c].Start, fields[c].Length).Trim();
            string where = $"{source}, line {LineNumber}, column {c + 1}{(c < names.Length ? $" ('{names[c]}')" : "")}";
            if (text.IsEmpty)
                throw new InvalidDataException($"{where}: the value is missing (an empty field).");
            if (!float.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out float value))
                throw new InvalidDataException($"{where}: '{text}' is not a number.");
            if (float.IsNaN(value))
                throw new InvalidDataException($"{where}: the value is missing ('{text}').");
            if (!float.IsFinite(value))
                throw new InvalidDataException($"{where}: '{text}' is not a finite float32 number.");
            return value;
        }

        /// <summary>Finds the fields of <paramref name="line"/> (for a quoted one, the text between the quotes).</summary>
        private void Split(string line)
        {
            fields.Clear();
            int i = 0;
            while (true)
            {
                int start = i;
                // Leading spaces before an opening quote are allowed, as most writers of "a, "b"" produce.
                while (i < line.Length && line[i] == ' ') i++;
                if (i < line.Length && line[i] == '"')
                {
                    int open = i++;
                    while (true)
                    {
                        if (i >= line.Length)
                            throw new InvalidDataException(
                                $"{source}, line {LineNumber}, column {fields.Count + 1}: the quote opened at character {open + 1} is not closed on this line (fields spanning lines are not supported).");
                        if (line[i] == '"')
                        {
                            if (i + 1 < line.Length && line[i + 1] == '"') { i += 2; continue; }
                            break;
                        }
                        i++;
                    }
                    fields.Add((open + 1, i - open - 1));
                    i++; // the closing quote
                    while (i < line.Length && line[i] == ' ') i++;
                    if (i < line.Length && line[i] != separator)
                        throw new InvalidDataException(
                            $"{source}, line {LineNumber}, column {fields.Count}: unexpected text after the closing quote at character {i}.");
                }
                else
                {
                    i = start;
                    while (i < line.Length && line[i] != separator) i++;
                    fields.Add((start, i - start));
                }
                if (i >= line.Length) return;
                i++; // the separator
            }
        }
    }
}
