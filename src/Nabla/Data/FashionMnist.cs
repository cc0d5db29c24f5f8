using System.Numerics.Tensors;

namespace Nabla.Data;

/// <summary>
/// Fashion-MNIST (Xiao, Rasul and Vollgraf, 2017): 70,000 grayscale 28×28 images of clothing in 10 classes,
/// 60,000 for training and 10,000 for testing, read from its four IDX files.
/// </summary>
/// <remarks>
/// The files are not shipped with Nabla. On Debian and Ubuntu, <c>apt-get install dataset-fashion-mnist</c>
/// (as root) puts them in <see cref="DefaultDirectory"/>; elsewhere, download them from
/// <c>https://github.com/zalandoresearch/fashion-mnist</c> and pass their folder.
/// </remarks>
public static class FashionMnist
{
    /// <summary>Where Debian's <c>dataset-fashion-mnist</c> package installs the files.</summary>
    public const string DefaultDirectory = "/usr/share/datasets/fashion-mnist";

    /// <summary>The source and licence of the data.</summary>
    public const string Citation =
        "H. Xiao, K. Rasul, R. Vollgraf (2017). Fashion-MNIST: a Novel Image Dataset for Benchmarking Machine Learning Algorithms. " +
        "arXiv:1708.07747. Zalando Research, MIT License.";

    /// <summary>The ten classes, in label order.</summary>
    public static IReadOnlyList<string> ClassNames { get; } =
        ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"];

    /// <summary>
    /// Loads the training set (60,000 images) or the test set (10,000): images as float32 in [0, 1] (the bytes
    /// divided by 255, as torchvision's <c>ToTensor</c>), shape (N, 1, 28, 28), or (N, 784) with
    /// <paramref name="flatten"/>; targets the class indices 0..9 as float32, shape (N,).
    /// </summary>
    /// <param name="directory">The folder holding the files, gzipped or not:
    /// <c>train-images-idx3-ubyte.gz</c>, <c>train-labels-idx1-ubyte.gz</c>, <c>t10k-images-idx3-ubyte.gz</c>, <c>t10k-labels-idx1-ubyte.gz</c>.</param>
    /// <param name="train">True for the training set, false for the test set.</param>
    /// <param name="flatten">Give each image as one row of 784 values, for a multilayer perceptron.</param>
    /// <exception cref="DirectoryNotFoundException">The folder does not exist (the message says how to install the data).</exception>
    /// <exception cref="FileNotFoundException">A file is missing from the folder.</exception>
    /// <exception cref="InvalidDataException">A file is not the IDX data expected, or images and labels disagree.</exception>
    public static ClassificationDataset Load(string directory = DefaultDirectory, bool train = true, bool flatten = false)
    {
        ArgumentNullException.ThrowIfNull(directory);
        if (!Directory.Exists(directory))
            throw new DirectoryNotFoundException(
                $"Fashion-MNIST: the folder '{directory}' does not exist. On Debian or Ubuntu, install the data with " +
                "'apt-get install dataset-fashion-mnist' (as root), which puts it in /usr/share/datasets/fashion-mnist; " +
                "or download the four files from https://github.com/zalandoresearch/fashion-mnist and pass their folder.");
        string prefix = train ? "train" : "t10k";
        string imagesPath = Find(directory, prefix, "images", 3);
        string labelsPath = Find(directory, prefix, "labels", 1);

        Idx.Raw images, labels;
        using (var file = File.OpenRead(imagesPath)) images = Idx.ReadRaw(file, imagesPath, expectedRank: 3);
        using (var file = File.OpenRead(labelsPath)) labels = Idx.ReadRaw(file, labelsPath, expectedRank: 1);
        CheckUBytes(images, imagesPath);
        CheckUBytes(labels, labelsPath);
        int n = images.Shape[0], height = images.Shape[1], width = images.Shape[2];
        if (labels.Shape[0] != n)
            throw new InvalidDataException(
                $"Fashion-MNIST: {imagesPath} holds {n} images but {labelsPath} holds {labels.Shape[0]} labels; the two files must come from the same set.");

        var pixels = new float[images.Data.Length];
        TensorPrimitives.ConvertTruncating<byte, float>(images.Data, pixels);
        // Divided, not multiplied by 1/255, to give the same floats as PyTorch.
        TensorPrimitives.Divide(pixels, 255f, pixels);

        var targets = new float[n];
        for (int i = 0; i < n; i++)
        {
            byte label = labels.Data[i];
            if (label >= ClassNames.Count)
                throw new InvalidDataException(
                    $"{labelsPath}: label {i} is {label}, but Fashion-MNIST has classes 0 to {ClassNames.Count - 1} " +
                    $"(at byte {labels.DataOffset + i}{(labels.Compressed ? " of the decompressed data" : "")}).");
            targets[i] = label;
        }

        int[] shape = flatten ? [n, height * width] : [n, 1, height, width]; // (N, H·W) or (N, C = 1, H, W)
        return new ClassificationDataset(new Tensor(pixels, shape), new Tensor(targets, [n]), ClassNames,
            $"fashion-mnist ({(train ? "train" : "test")})", Citation);
    }

    /// <summary>True when <paramref name="directory"/> holds the four files (gzipped or not), so <see cref="Load"/> can read both sets.</summary>
    public static bool IsAvailable(string directory = DefaultDirectory) =>
        Directory.Exists(directory) &&
        TryFind(directory, "train", "images", 3) is not null && TryFind(directory, "train", "labels", 1) is not null &&
        TryFind(directory, "t10k", "images", 3) is not null && TryFind(directory, "t10k", "labels", 1) is not null;

    // The names the files go by: the original gzipped ones, unpacked, and the dotted spelling some mirrors use.
    private static IEnumerable<string> Candidates(string prefix, string kind, int rank)
    {
        string stem = $"{prefix}-{kind}-idx{rank}-ubyte";
        string dotted = $"{prefix}-{kind}.idx{rank}-ubyte";
        return [stem + ".gz", stem, dotted + ".gz", dotted];
    }

    private static string? TryFind(string directory, string prefix, string kind, int rank) =>
        Candidates(prefix, kind, rank).Select(name => Path.Combine(directory, name)).FirstOrDefault(File.Exists);

    private static string Find(string directory, string prefix, string kind, int rank) =>
        TryFind(directory, prefix, kind, rank) ?? throw new FileNotFoundException(
            $"Fashion-MNIST: no {kind} file in '{directory}': looked for {string.Join(", ", Candidates(prefix, kind, rank))}.");

    private static void CheckUBytes(Idx.Raw raw, string path)
    {
        if (raw.Type != Idx.ElementType.UInt8)
            throw new InvalidDataException($"{path}: expected unsigned bytes (type 0x08), but the magic number says type 0x{(byte)raw.Type:X2} (at byte 2).");
    }
}
