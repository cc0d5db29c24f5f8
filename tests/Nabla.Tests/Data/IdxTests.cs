using System.Buffers.Binary;
using Nabla.Data;

namespace Nabla.Tests.Data;

public class IdxTests
{
    // Two 2x3 "images" of unsigned bytes: 16 bytes of header, then 12 of data.
    private static readonly byte[] Images = IdxFiles.UBytes([2, 2, 3], 0, 1, 2, 3, 4, 5, 250, 251, 252, 253, 254, 255);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ReadsUnsignedByteImagesPlainOrGzipped(bool gzipped)
    {
        using var folder = new TempFolder();
        string path = folder.Write("images-idx3-ubyte", gzipped ? IdxFiles.Gzip(Images) : Images);
        var t = Idx.Read(path, expectedRank: 3);
        Assert.Equal([2, 2, 3], t.Shape);
        Assert.Equal(DType.Float32, t.DType);
        Assert.Equal([0f, 1, 2, 3, 4, 5, 250, 251, 252, 253, 254, 255], t.ToArray());
    }

    [Fact]
    public void GzipIsRecognisedByItsMagicBytesNotTheFileName()
    {
        using var folder = new TempFolder();
        Assert.Equal(12, Idx.Read(folder.Write("plain.gz", Images)).NumEl);
        Assert.Equal(12, Idx.Read(folder.Write("packed.idx", IdxFiles.Gzip(Images))).NumEl);
    }

    [Fact]
    public void ReadsEveryElementTypeBigEndian()
    {
        var shorts = new byte[4];
        BinaryPrimitives.WriteInt16BigEndian(shorts, -300);
        BinaryPrimitives.WriteInt16BigEndian(shorts.AsSpan(2), 7);
        var ints = new byte[8];
        BinaryPrimitives.WriteInt32BigEndian(ints, 16_777_217); // 2^24 + 1: not a float32
        BinaryPrimitives.WriteInt32BigEndian(ints.AsSpan(4), -5);
        var floats = new byte[8];
        BinaryPrimitives.WriteSingleBigEndian(floats, 1.5f);
        BinaryPrimitives.WriteSingleBigEndian(floats.AsSpan(4), -0.25f);
        var doubles = new byte[16];
        BinaryPrimitives.WriteDoubleBigEndian(doubles, Math.PI);
        BinaryPrimitives.WriteDoubleBigEndian(doubles.AsSpan(8), -1e300);

        Tensor Read(byte type, byte[] data, int n) => Idx.Read(new MemoryStream(IdxFiles.Make(type, [n], data)));

        Assert.Equal([-128f, -1f, 127f], Read(0x09, [0x80, 0xFF, 0x7F], 3).ToArray());
        Assert.Equal([-300f, 7f], Read(0x0B, shorts, 2).ToArray());
        var i32 = Read(0x0C, ints, 2);
        Assert.Equal(DType.Float64, i32.DType);
        Assert.Equal([16_777_217.0, -5.0], i32.ToDoubleArray());
        Assert.Equal([1.5f, -0.25f], Read(0x0D, floats, 2).ToArray());
        var f64 = Read(0x0E, doubles, 2);
        Assert.Equal(DType.Float64, f64.DType);
        Assert.Equal([Math.PI, -1e300], f64.ToDoubleArray());
    }

    [Fact]
    public void ReadsFromAOneWayStream()
    {
        var t = Idx.Read(new OneWayStream(IdxFiles.Gzip(Images)), "network");
        Assert.Equal([2, 2, 3], t.Shape);
    }

    [Fact]
    public void WrongMagicNumberNamesFileAndOffset()
    {
        using var folder = new TempFolder();
        var bytes = (byte[])Images.Clone();
        bytes[0] = 0x01;
        string path = folder.Write("bad-magic", bytes);
        var e = Assert.Throws<InvalidDataException>(() => Idx.Read(path));
        Assert.StartsWith($"{path}: not an IDX file: the magic number is 0x01000803", e.Message);
        Assert.EndsWith("(at byte 0).", e.Message);

        bytes = (byte[])Images.Clone();
        bytes[2] = 0x0A; // not a type the format defines
        e = Assert.Throws<InvalidDataException>(() => Idx.Read(folder.Write("bad-type", bytes)));
        Assert.Contains("the magic number is 0x00000A03", e.Message);
    }

    [Fact]
    public void WrongDimensionCountNamesFileAndOffset()
    {
        using var folder = new TempFolder();
        string labels = folder.Write("labels.gz", IdxFiles.Gzip(IdxFiles.UBytes([3], 1, 2, 3)));
        var e = Assert.Throws<InvalidDataException>(() => Idx.Read(labels, expectedRank: 3));
        Assert.Equal($"{labels}: expected 3 dims, but the magic number 0x00000801 says 1 (at byte 3 of the decompressed data).", e.Message);

        string scalar = folder.Write("rank0", IdxFiles.UBytes([], 7));
        e = Assert.Throws<InvalidDataException>(() => Idx.Read(scalar));
        Assert.Equal($"{scalar}: the magic number 0x00000800 says the data has 0 dims; an IDX file has at least 1 (at byte 3).", e.Message);
    }

    [Fact]
    public void TruncatedDataNamesFileAndOffset()
    {
        using var folder = new TempFolder();
        string path = folder.Write("short", Images[..^5]); // 7 of the 12 data bytes
        var e = Assert.Throws<InvalidDataException>(() => Idx.Read(path));
        Assert.StartsWith($"{path}: truncated: the header announces 2 × 2 × 3 unsigned byte values (12 bytes from byte 16, so 28 bytes in all), but the data ends after 7 of them", e.Message);
        Assert.EndsWith("(at byte 23).", e.Message);

        string packed = folder.Write("short.gz", IdxFiles.Gzip(Images[..^5]));
        e = Assert.Throws<InvalidDataException>(() => Idx.Read(packed));
        Assert.EndsWith("(at byte 23 of the decompressed data).", e.Message);
    }

    [Fact]
    public void TruncatedHeaderNamesFileAndOffset()
    {
        using var folder = new TempFolder();
        string path = folder.Write("header", Images[..10]); // magic, one size and half of the next
        var e = Assert.Throws<InvalidDataException>(() => Idx.Read(path));
        Assert.Equal($"{path}: truncated: the file ends inside the header, which holds 3 dim sizes and so is 16 bytes long (at byte 10).", e.Message);

        e = Assert.Throws<InvalidDataException>(() => Idx.Read(folder.Write("empty", [])));
        Assert.Contains("the file ends after 0 bytes, inside the 4-byte magic number (at byte 0)", e.Message);
    }

    [Fact]
    public void BytesAfterTheDataAreAnError()
    {
        using var folder = new TempFolder();
        string path = folder.Write("long", [.. Images, 9]);
        var e = Assert.Throws<InvalidDataException>(() => Idx.Read(path));
        Assert.Equal($"{path}: unexpected bytes after the data: the header's shape 2 × 2 × 3 accounts for 28 bytes, but the file goes on (at byte 28).", e.Message);
    }

    [Fact]
    public void CorruptOrCutGzipNamesTheFile()
    {
        using var folder = new TempFolder();
        string garbage = folder.Write("garbage.gz", [0x1F, 0x8B, 0x08, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF]);
        var e = Assert.Throws<InvalidDataException>(() => Idx.Read(garbage));
        Assert.StartsWith($"{garbage}:", e.Message);

        var packed = IdxFiles.Gzip(IdxFiles.UBytes([1000], new byte[1000]));
        string cut = folder.Write("cut.gz", packed[..(packed.Length / 2)]);
        e = Assert.Throws<InvalidDataException>(() => Idx.Read(cut));
        Assert.StartsWith($"{cut}:", e.Message);
    }

    [Fact]
    public void NegativeSizeIsReportedAtItsOffset()
    {
        var bytes = IdxFiles.UBytes([2, 3], new byte[6]);
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(8), -1);
        var e = Assert.Throws<InvalidDataException>(() => Idx.Read(new MemoryStream(bytes), "sizes"));
        Assert.Equal("sizes: dim 1 has size 4294967295, over the format's limit of 2^31 - 1 (at byte 8).", e.Message);
    }

    /// <summary>A stream that cannot seek, like a network stream.</summary>
    private sealed class OneWayStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;
    }
}
