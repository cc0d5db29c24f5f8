using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using Nabla.Viz;

namespace Nabla.Tests.Viz;

public class PngTests
{
    /// <summary>Reads a PNG back chunk by chunk, checking every CRC, and returns its header fields and raw scanlines.</summary>
    private static (int Width, int Height, byte ColourType, byte[] Scanlines) Decode(byte[] png)
    {
        Assert.Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }, png[..8]);
        int offset = 8, width = 0, height = 0;
        byte colour = 255;
        var idat = new MemoryStream();
        var types = new List<string>();
        while (offset < png.Length)
        {
            int length = BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(offset));
            string type = Encoding.ASCII.GetString(png, offset + 4, 4);
            var data = png.AsSpan(offset + 8, length);
            uint stored = BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(offset + 8 + length));
            Assert.Equal(stored, Crc32.Update(Crc32.Update(Crc32.Initial, png.AsSpan(offset + 4, 4)), data) ^ Crc32.Initial);
            types.Add(type);
            if (type == "IHDR")
            {
                width = BinaryPrimitives.ReadInt32BigEndian(data);
                height = BinaryPrimitives.ReadInt32BigEndian(data[4..]);
                Assert.Equal(8, data[8]);
                colour = data[9];
            }
            if (type == "IDAT") idat.Write(data);
            offset += 12 + length;
        }
        Assert.Equal(["IHDR", "IDAT", "IEND"], types);
        idat.Position = 0;
        using var zlib = new ZLibStream(idat, CompressionMode.Decompress);
        var raw = new MemoryStream();
        zlib.CopyTo(raw);
        return (width, height, colour, raw.ToArray());
    }

    [Fact]
    public void Crc32MatchesTheStandardCheckValue() =>
        Assert.Equal(0xCBF43926u, Crc32.Update(Crc32.Initial, "123456789"u8) ^ Crc32.Initial);

    [Fact]
    public void GrayImageRoundTripsThroughItsChunks()
    {
        byte[] pixels = Enumerable.Range(0, 5 * 3).Select(i => (byte)(i * 17)).ToArray();
        var (w, h, colour, scanlines) = Decode(Png.EncodeGray(pixels, 5, 3));
        Assert.Equal((5, 3, (byte)0), (w, h, colour));
        Assert.Equal(3 * (1 + 5), scanlines.Length);
        for (int y = 0; y < 3; y++)
        {
            Assert.Equal(0, scanlines[y * 6]); // filter "none"
            Assert.Equal(pixels.AsSpan(y * 5, 5).ToArray(), scanlines.AsSpan(y * 6 + 1, 5).ToArray());
        }
    }

    [Fact]
    public void RgbImageUsesColourTypeTwo()
    {
        byte[] rgb = [255, 0, 0, 0, 255, 0];
        var (w, h, colour, scanlines) = Decode(Png.EncodeRgb(rgb, 2, 1));
        Assert.Equal((2, 1, (byte)2), (w, h, colour));
        Assert.Equal(new byte[] { 0, 255, 0, 0, 0, 255, 0 }, scanlines);
    }

    [Fact]
    public void WrongPixelCountIsRefusedWithTheSizes()
    {
        var ex = Assert.Throws<ArgumentException>(() => Png.EncodeGray(new byte[5], 2, 3));
        Assert.Contains("2x3", ex.Message);
        Assert.Contains("needs 6 bytes, got 5", ex.Message);
    }

    [Fact]
    public void GridTilesImagesWithPaddingAndScalesEachImage()
    {
        // Two 2x2 images; the second is the first times 10, so per-image scaling makes them look the same.
        var images = Tensor.FromArray(new float[] { 0, 1, 2, 3, 0, 10, 20, 30 }, 2, 2, 2);
        var grid = ImageGrid.Render(images, padding: 1);
        Assert.Equal((7, 4, 1), (grid.Width, grid.Height, grid.Channels)); // 2 columns: 1 + 2 + 1 + 2 + 1
        byte Pixel(int x, int y) => grid.Pixels[y * grid.Width + x];
        Assert.Equal(96, Pixel(0, 0)); // padding
        Assert.Equal(new byte[] { 0, 85, 170, 255 }, new[] { Pixel(1, 1), Pixel(2, 1), Pixel(1, 2), Pixel(2, 2) });
        Assert.Equal(new byte[] { 0, 85, 170, 255 }, new[] { Pixel(4, 1), Pixel(5, 1), Pixel(4, 2), Pixel(5, 2) });

        // One range for the batch: the first image is now nearly black.
        var shared = ImageGrid.Render(images, padding: 1, perImageScaling: false);
        Assert.Equal(26, shared.Pixels[2 * shared.Width + 2]); // value 3 of a 0..30 range: 25.5, rounded to even
    }

    [Fact]
    public void GridScalesPixelsUpAndWrapsRows()
    {
        var images = Tensor.FromArray(new float[] { 0, 1, 1, 0, 1, 0 }, 3, 1, 1, 2);
        var grid = ImageGrid.Render(images, columns: 2, padding: 0, scale: 3);
        Assert.Equal((12, 6), (grid.Width, grid.Height)); // 2 columns of 6 pixels, 2 rows of 3
        Assert.Equal(0, grid.Pixels[0]);
        Assert.Equal(255, grid.Pixels[2 * 12 + 5]); // still inside the first image's second pixel block
        Assert.Equal(96, grid.Pixels[4 * 12 + 7]); // the empty cell after the third image
    }

    [Fact]
    public void BadShapesAndExtensionsAreRefused()
    {
        var ex = Assert.Throws<ArgumentException>(() => ImageGrid.Render(Tensor.Zeros(4, 2, 5, 5)));
        Assert.Contains("(4, 2, 5, 5)", ex.Message);
        ex = Assert.Throws<ArgumentException>(() => ImageGrid.Save("grid.bmp", Tensor.Zeros(1, 2, 2)));
        Assert.Contains(".png or .svg", ex.Message);
    }

    [Fact]
    public void SaveWritesPngAndSvgFiles()
    {
        string dir = Directory.CreateTempSubdirectory("nabla-grid-").FullName;
        try
        {
            var images = Tensor.FromArray(new float[] { 0, 1, 2, 3 }, 1, 2, 2);
            ImageGrid.Save(Path.Combine(dir, "g.png"), images, scale: 2);
            var (w, h, _, _) = Decode(File.ReadAllBytes(Path.Combine(dir, "g.png")));
            Assert.Equal((8, 8), (w, h));
            ImageGrid.Save(Path.Combine(dir, "g.svg"), images);
            string svg = File.ReadAllText(Path.Combine(dir, "g.svg"));
            Assert.StartsWith("<svg", svg);
            Assert.Contains("data:image/png;base64,iVBORw0KGgo", svg);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
