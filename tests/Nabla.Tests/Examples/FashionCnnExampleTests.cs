using Nabla.Data;
using Nabla.Examples;
using Nabla.Tests.Data;

namespace Nabla.Tests.Examples;

[Collection(nameof(Nabla.Tests.NN.DefaultGeneratorCollection))]
public class FashionCnnExampleTests
{
    [Fact]
    public void FashionCnnSaysHowToInstallTheDataWhenItIsMissing()
    {
        var output = new StringWriter();
        int code = FashionCnnExample.Train(new ExampleContext(output, Path.GetTempPath()), "/nonexistent/fashion-mnist", epochs: 1);
        Assert.NotEqual(0, code);
        Assert.Contains("apt-get install dataset-fashion-mnist", output.ToString());
    }

    [Fact]
    public void FashionCnnRunsEndToEndOnATinyCopyOfTheData()
    {
        // 60 training and 20 test images of 28x28 noise: enough to run every layer and the report, not to learn.
        using var folder = new TempFolder();
        var random = new Random(5);
        void Write(string prefix, int n)
        {
            var pixels = new byte[n * 28 * 28];
            random.NextBytes(pixels);
            var labels = Enumerable.Range(0, n).Select(i => (byte)(i % 10)).ToArray();
            folder.Write($"{prefix}-images-idx3-ubyte", IdxFiles.UBytes([n, 28, 28], pixels));
            folder.Write($"{prefix}-labels-idx1-ubyte", IdxFiles.UBytes([n], labels));
        }
        Write("train", 60);
        Write("t10k", 20);

        var output = new StringWriter();
        Assert.Equal(0, FashionCnnExample.Train(new ExampleContext(output, folder.Path), folder.Path, epochs: 1));
        string text = output.ToString();
        Assert.Contains("54 training, 6 validation and 20 test images", text);
        Assert.Contains("(1, 64, 7, 7)", text);                 // the summary's shape after the second block
        Assert.Matches(@"test accuracy \d+\.\d\d% \(20 images\)", text);
    }
}
