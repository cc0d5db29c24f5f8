using Nabla.IO;

namespace Nabla.Tests.IO;

/// <summary>Saving replaces the target in one step: a failure part way leaves the old file and no temporary file.</summary>
public class AtomicWriteTests
{
    private static readonly byte[] oldContents = "the previous checkpoint"u8.ToArray();

    private static IEnumerable<KeyValuePair<string, Tensor>> ThrowsAfterTwo()
    {
        yield return new("a", Tensor.Ones(1000));
        yield return new("b", Tensor.Ones(1000));
        throw new InvalidOperationException("the model went away");
    }

    [Fact]
    public void EnumeratorThrowingPartwayLeavesTheTargetUnchanged()
    {
        using var folder = new TempFolder();
        string path = folder.File("model.safetensors");
        File.WriteAllBytes(path, oldContents);
        var e = Assert.Throws<InvalidOperationException>(() => SafeTensors.Save(path, ThrowsAfterTwo()));
        Assert.Equal("the model went away", e.Message);
        Assert.Equal(oldContents, File.ReadAllBytes(path));
        Assert.Equal(["model.safetensors"], folder.FileNames());
    }

    [Fact]
    public void FailureWhileWritingDataLeavesTheTargetUnchanged()
    {
        using var folder = new TempFolder();
        string path = folder.File("model.safetensors");
        File.WriteAllBytes(path, oldContents);
        string? tempSeen = null;
        Assert.Throws<IOException>(() => AtomicFile.Write(path, stream =>
        {
            SafeTensors.Save(stream, [new("w", Tensor.Ones(10_000))]); // a whole file's worth of bytes, then:
            tempSeen = ((FileStream)stream).Name;
            throw new IOException("No space left on device");
        }));
        Assert.NotNull(tempSeen);
        Assert.Equal(folder.Path, Path.GetDirectoryName(tempSeen)); // written beside the target, so the rename is atomic
        Assert.False(File.Exists(tempSeen));
        Assert.Equal(oldContents, File.ReadAllBytes(path));
        Assert.Equal(["model.safetensors"], folder.FileNames());
    }

    [Fact]
    public void FailureCreatesNoFileWhenThereWasNone()
    {
        using var folder = new TempFolder();
        string path = folder.File("new.safetensors");
        Assert.Throws<InvalidOperationException>(() => SafeTensors.Save(path, ThrowsAfterTwo()));
        Assert.Empty(folder.FileNames());
    }

    [Fact]
    public void SuccessReplacesTheTargetAndLeavesNoTemporaryFile()
    {
        using var folder = new TempFolder();
        string path = folder.File("model.safetensors");
        File.WriteAllBytes(path, oldContents);
        SafeTensors.Save(path, [new("w", Tensor.Arange(4))]);
        Assert.Equal([0f, 1, 2, 3], SafeTensors.Load(path)["w"].ToArray());
        Assert.Equal(["model.safetensors"], folder.FileNames());
    }

    [Fact]
    public void MissingFolderIsReportedWithThePath()
    {
        using var folder = new TempFolder();
        string path = Path.Combine(folder.Path, "no", "such", "model.safetensors");
        var e = Assert.Throws<DirectoryNotFoundException>(() => SafeTensors.Save(path, [new("w", Tensor.Ones(1))]));
        Assert.Contains(Path.Combine(folder.Path, "no", "such"), e.Message);
    }
}
