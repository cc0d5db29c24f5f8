using Nabla.Data;

namespace Nabla.Tests.Data;

public class FashionMnistTests
{
    /// <summary>A folder with tiny Fashion-MNIST-style files: 3 training and 2 test images of 2x2 pixels.</summary>
    private static TempFolder FakeFolder(bool gzipped = true, byte[]? trainLabels = null)
    {
        var folder = new TempFolder();
        string gz = gzipped ? ".gz" : "";
        byte[] Pack(byte[] b) => gzipped ? IdxFiles.Gzip(b) : b;
        folder.Write("train-images-idx3-ubyte" + gz, Pack(IdxFiles.UBytes([3, 2, 2], 0, 51, 102, 255, 1, 2, 3, 4, 5, 6, 7, 8)));
        folder.Write("train-labels-idx1-ubyte" + gz, Pack(IdxFiles.UBytes([trainLabels?.Length ?? 3], trainLabels ?? [9, 0, 3])));
        folder.Write("t10k-images-idx3-ubyte" + gz, Pack(IdxFiles.UBytes([2, 2, 2], 10, 20, 30, 40, 50, 60, 70, 80)));
        folder.Write("t10k-labels-idx1-ubyte" + gz, Pack(IdxFiles.UBytes([2], 1, 2)));
        return folder;
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void LoadsImagesScaledToUnitAndLabels(bool gzipped)
    {
        using var folder = FakeFolder(gzipped);
        Assert.True(FashionMnist.IsAvailable(folder.Path));
        var train = FashionMnist.Load(folder.Path);
        Assert.Equal([3, 1, 2, 2], train.Inputs.Shape);
        Assert.Equal([0f, 0.2f, 0.4f, 1f], train.Inputs.ToArray()[..4]);
        Assert.Equal([9f, 0f, 3f], train.Targets.ToArray());
        Assert.Equal("Ankle boot", train.ClassNames[9]);
        Assert.Equal("fashion-mnist (train)", train.Name);
        Assert.Contains("arXiv:1708.07747", train.Citation);

        var test = FashionMnist.Load(folder.Path, train: false, flatten: true);
        Assert.Equal([2, 4], test.Inputs.Shape);
        Assert.Equal(80f / 255f, test.Inputs.ToArray()[7]);
        Assert.Equal([1f, 2f], test.Targets.ToArray());
    }

    [Fact]
    public void MissingFolderSaysHowToInstall()
    {
        var e = Assert.Throws<DirectoryNotFoundException>(() => FashionMnist.Load("/no/such/folder"));
        Assert.Contains("'/no/such/folder' does not exist", e.Message);
        Assert.Contains("apt-get install dataset-fashion-mnist", e.Message);
        Assert.False(FashionMnist.IsAvailable("/no/such/folder"));
    }

    [Fact]
    public void MissingFileListsTheNamesTried()
    {
        using var folder = FakeFolder();
        File.Delete(Path.Combine(folder.Path, "t10k-labels-idx1-ubyte.gz"));
        Assert.False(FashionMnist.IsAvailable(folder.Path));
        FashionMnist.Load(folder.Path); // the training set is still complete
        var e = Assert.Throws<FileNotFoundException>(() => FashionMnist.Load(folder.Path, train: false));
        Assert.Contains("no labels file", e.Message);
        Assert.Contains("t10k-labels-idx1-ubyte.gz, t10k-labels-idx1-ubyte", e.Message);
    }

    [Fact]
    public void ImagesAndLabelsMustAgree()
    {
        using var fewer = FakeFolder(trainLabels: [1, 2]);
        var e = Assert.Throws<InvalidDataException>(() => FashionMnist.Load(fewer.Path));
        Assert.Contains("holds 3 images but", e.Message);
        Assert.Contains("holds 2 labels", e.Message);

        using var bad = FakeFolder(trainLabels: [1, 10, 2]);
        e = Assert.Throws<InvalidDataException>(() => FashionMnist.Load(bad.Path));
        Assert.Contains("label 1 is 10, but Fashion-MNIST has classes 0 to 9 (at byte 9 of the decompressed data)", e.Message);
    }

    [Fact]
    public void SwappedFilesFailOnTheDimensionCount()
    {
        using var folder = FakeFolder(gzipped: false);
        string images = Path.Combine(folder.Path, "train-images-idx3-ubyte");
        File.Copy(Path.Combine(folder.Path, "train-labels-idx1-ubyte"), images, overwrite: true);
        var e = Assert.Throws<InvalidDataException>(() => FashionMnist.Load(folder.Path));
        Assert.Equal($"{images}: expected 3 dims, but the magic number 0x00000801 says 1 (at byte 3).", e.Message);
    }

    [FashionMnistFact]
    public void RealFilesHaveTheirPublishedShapeAndBalance()
    {
        var test = FashionMnist.Load(train: false);
        Assert.Equal([10000, 1, 28, 28], test.Inputs.Shape);
        Assert.Equal(Enumerable.Repeat(1000, 10), test.ClassCounts());
        Assert.Equal([9f, 2f, 1f, 1f, 6f], test.Targets.ToArray()[..5]);
        var pixels = test.Inputs.ToArray();
        Assert.Equal(0f, pixels.Min());
        Assert.Equal(1f, pixels.Max());
        // The first test image's bytes sum to 33456 (checked with numpy on the same files).
        Assert.Equal(33456 / 255.0, pixels[..784].Sum(p => (double)p), 3);

        var train = FashionMnist.Load(flatten: true);
        Assert.Equal([60000, 784], train.Inputs.Shape);
        Assert.Equal(Enumerable.Repeat(6000, 10), train.ClassCounts());
        Assert.Equal(9f, train.Targets.ToArray()[0]);
    }
}
