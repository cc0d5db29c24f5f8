namespace Nabla.Data;

/// <summary>
/// Three small classic data sets embedded in the library, so that examples and tests run offline:
/// <see cref="Iris"/>, <see cref="BreastCancer"/> and <see cref="Digits"/>.
/// </summary>
/// <remarks>
/// The files are the copies that scikit-learn ships (Debian's <c>python3-sklearn</c> 1.2.1); the data comes
/// from the UCI Machine Learning Repository under CC BY 4.0, and each result's
/// <see cref="ClassificationDataset.Citation"/> names its creators. Each call parses the data again and
/// returns new tensors. For a "test accuracy" that means the same thing everywhere, evaluate on
/// <c>TrainTestSplit()</c>'s test part (stratified 80/20, fixed seed).
/// <code>
/// var (train, test) = BuiltinDatasets.Iris().TrainTestSplit();   // 120 and 30 samples
/// </code>
/// </remarks>
public static class BuiltinDatasets
{
    /// <summary>
    /// Fisher's iris flowers: 150 samples of 4 measurements in cm (sepal length, sepal width, petal length,
    /// petal width), 50 of each of 3 species: 0 setosa, 1 versicolor, 2 virginica.
    /// </summary>
    /// <returns>Inputs (150, 4), targets (150,).</returns>
    public static ClassificationDataset Iris() => ReadWithHeader("iris.csv", "iris",
        "R. A. Fisher (1936), Iris. UCI Machine Learning Repository, https://archive.ics.uci.edu/dataset/53/iris, CC BY 4.0.");

    /// <summary>
    /// Breast Cancer Wisconsin (Diagnostic): 569 samples of 30 real-valued features computed from images of
    /// cell nuclei (the mean, standard error and worst value of 10 measurements); classes 0 malignant (212)
    /// and 1 benign (357). The features span very different scales: standardize them (<see cref="Standardizer"/>).
    /// </summary>
    /// <returns>Inputs (569, 30), targets (569,).</returns>
    public static ClassificationDataset BreastCancer() => ReadWithHeader("breast_cancer.csv", "breast-cancer",
        "W. H. Wolberg, W. N. Street, O. L. Mangasarian (1995), Breast Cancer Wisconsin (Diagnostic). " +
        "UCI Machine Learning Repository, https://archive.ics.uci.edu/dataset/17/breast+cancer+wisconsin+diagnostic, CC BY 4.0.");

    /// <summary>
    /// Optical recognition of handwritten digits: 1797 images of 8×8 pixels (row-major), each pixel the count
    /// of ink pixels in a 4×4 block of the original 32×32 bitmap, so 0 to 16; classes the digits 0 to 9.
    /// </summary>
    /// <param name="scaleToUnit">Divide the pixels by 16, into [0, 1].</param>
    /// <returns>Inputs (1797, 64), targets (1797,). Reshape the inputs to (1797, 1, 8, 8) for a convolution.</returns>
    public static ClassificationDataset Digits(bool scaleToUnit = false)
    {
        const string file = "digits.csv.gz";
        using var resource = OpenResource(file);
        using var reader = Csv.OpenText(resource);
        // No header: 64 pixel columns, then the label.
        var (values, rows, _) = new Csv.Table(reader, file).ReadNumbers(65, []);
        var (inputs, targets) = SplitLastColumn(values, rows, 65);
        if (scaleToUnit)
            for (int i = 0; i < inputs.Length; i++) inputs[i] /= 16f;
        return new ClassificationDataset(new Tensor(inputs, [rows, 64]), new Tensor(targets, [rows]),
            ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"], "digits",
            "E. Alpaydin, C. Kaynak (1998), Optical Recognition of Handwritten Digits. " +
            "UCI Machine Learning Repository, https://archive.ics.uci.edu/dataset/80/optical+recognition+of+handwritten+digits, CC BY 4.0.");
    }

    /// <summary>
    /// Parses scikit-learn's format: a header <c>ROWS,FEATURES,CLASSNAME0,CLASSNAME1,...</c>, then one line
    /// per sample, the features followed by the class index.
    /// </summary>
    private static ClassificationDataset ReadWithHeader(string file, string name, string citation)
    {
        using var resource = OpenResource(file);
        using var reader = Csv.OpenText(resource);
        var table = new Csv.Table(reader, file);
        var header = table.ReadHeader();
        if (header.Length < 3 || !int.TryParse(header[0], out int declaredRows) || !int.TryParse(header[1], out int features))
            throw new InvalidDataException($"{file}, line 1: expected a header ROWS,FEATURES,CLASSNAME0,..., but found '{string.Join(",", header)}'.");
        var (values, rows, _) = table.ReadNumbers(features + 1, []);
        if (rows != declaredRows)
            throw new InvalidDataException($"{file}: the header announces {declaredRows} rows, but there are {rows}.");
        var (inputs, targets) = SplitLastColumn(values, rows, features + 1);
        return new ClassificationDataset(new Tensor(inputs, [rows, features]), new Tensor(targets, [rows]), header[2..], name, citation);
    }

    /// <summary>Splits a (rows, columns) table into its first columns - 1 columns and its last.</summary>
    private static (float[] Inputs, float[] Targets) SplitLastColumn(float[] values, int rows, int columns)
    {
        var inputs = new float[rows * (columns - 1)];
        var targets = new float[rows];
        for (int r = 0; r < rows; r++)
        {
            values.AsSpan(r * columns, columns - 1).CopyTo(inputs.AsSpan(r * (columns - 1)));
            targets[r] = values[r * columns + columns - 1];
        }
        return (inputs, targets);
    }

    private static Stream OpenResource(string file) =>
        typeof(BuiltinDatasets).Assembly.GetManifestResourceStream($"Nabla.Data.Embedded.{file}")
        ?? throw new InvalidOperationException($"The embedded resource Nabla.Data.Embedded.{file} is missing from the Nabla assembly.");
}
