using Nabla.Data;

namespace Nabla.Cli.Models;

/// <summary>The image data sets a CNN trains on, as (N, C, H, W) pixels in [0, 1].</summary>
internal static class ImageDataSources
{
    public const string Help = "digits (1x8x8) or fashion-mnist (1x28x28)";

    /// <summary>
    /// Loads <paramref name="name"/> with the same train/test split as <see cref="DataSources"/> (the digits' fixed
    /// stratified 80/20 split; Fashion-MNIST's own 60,000/10,000), images shaped (N, 1, H, W) in [0, 1].
    /// </summary>
    /// <exception cref="ArgumentException">The data set has no images.</exception>
    public static Problem Load(string name, string? dataDirectory)
    {
        switch (name)
        {
            case "digits":
            {
                var all = BuiltinDatasets.Digits(scaleToUnit: true);        // 0..16 divided by 16
                var (train, test) = all.TrainTestSplit(0.2, seed: 0);
                return new Problem(name, AsImages(train, 8, 8), AsImages(test, 8, 8), 64, all.ClassNames, Standardize: false);
            }
            case "fashion-mnist":
            {
                string dir = dataDirectory ?? FashionMnist.DefaultDirectory;
                var train = FashionMnist.Load(dir, train: true);            // (60000, 1, 28, 28)
                var test = FashionMnist.Load(dir, train: false);            // (10000, 1, 28, 28)
                return new Problem(name, train, test, 784, FashionMnist.ClassNames, Standardize: false);
            }
            default:
                throw new ArgumentException($"--model cnn needs images: unknown or non-image data set '{name}'. Known: {Help}.");
        }
    }

    private static TensorDataset AsImages(TensorDataset rows, int height, int width) =>
        new(rows.Inputs.Reshape(-1, 1, height, width), rows.Targets);                     // (N, 1, H, W)
}
