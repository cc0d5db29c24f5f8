using System.Buffers.Binary;
using System.IO.Compression;
using Nabla.IO;

namespace Nabla.Viz;

/// <summary>
/// A minimal PNG encoder (8-bit grayscale or RGB, no interlacing), so that image grids of filters, feature maps and
/// generated samples can be looked at without any other tool or package.
/// </summary>
/// <remarks>
/// A PNG file is an 8-byte signature followed by chunks (length, 4-letter type, data, CRC-32 of type and data):
/// <c>IHDR</c> (size and pixel format), <c>IDAT</c> (the zlib-compressed scanlines, each prefixed by a filter byte;
/// filter 0, "none", keeps this encoder simple) and <c>IEND</c>.
/// </remarks>
public static class Png
{
    private static readonly byte[] Signature = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>Encodes an 8-bit grayscale image, <paramref name="pixels"/> row by row (width * height bytes).</summary>
    public static byte[] EncodeGray(ReadOnlySpan<byte> pixels, int width, int height) => Encode(pixels, width, height, channels: 1);

    /// <summary>Encodes an 8-bit RGB image, <paramref name="rgb"/> row by row with 3 bytes a pixel.</summary>
    public static byte[] EncodeRgb(ReadOnlySpan<byte> rgb, int width, int height) => Encode(rgb, width, height, channels: 3);

    /// <summary>Writes an 8-bit grayscale PNG file, atomically (a temporary file renamed into place).</summary>
    public static void SaveGray(string path, ReadOnlySpan<byte> pixels, int width, int height) =>
        Save(path, EncodeGray(pixels, width, height));

    /// <summary>Writes an 8-bit RGB PNG file, atomically (a temporary file renamed into place).</summary>
    public static void SaveRgb(string path, ReadOnlySpan<byte> rgb, int width, int height) =>
        Save(path, EncodeRgb(rgb, width, height));

    private static void Save(string path, byte[] encoded) => AtomicFile.Write(path, stream => stream.Write(encoded));

    private static byte[] Encode(ReadOnlySpan<byte> pixels, int width, int height, int channels)
    {
        if (width < 1 || height < 1)
            throw new ArgumentException($"Png: an image needs a positive size, got {width}x{height}.");
        long expected = (long)width * height * channels;
        if (pixels.Length != expected)
            throw new ArgumentException(
                $"Png: a {width}x{height} image with {channels} channel(s) needs {expected} bytes, got {pixels.Length}.");

        using var output = new MemoryStream();
        output.Write(Signature);

        Span<byte> header = stackalloc byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, width);
        BinaryPrimitives.WriteInt32BigEndian(header[4..], height);
        header[8] = 8;                              // bits per channel
        header[9] = channels == 1 ? (byte)0 : (byte)2; // colour type: 0 grayscale, 2 RGB
        header[10] = 0;                             // compression: deflate
        header[11] = 0;                             // filter method 0
        header[12] = 0;                             // no interlacing
        WriteChunk(output, "IHDR"u8, header);

        int stride = width * channels;
        using (var compressed = new MemoryStream())
        {
            using (var zlib = new ZLibStream(compressed, CompressionLevel.Optimal, leaveOpen: true))
            {
                for (int y = 0; y < height; y++)
                {
                    zlib.WriteByte(0); // filter type "none" for every scanline
                    zlib.Write(pixels.Slice(y * stride, stride));
                }
            }
            WriteChunk(output, "IDAT"u8, compressed.GetBuffer().AsSpan(0, (int)compressed.Length));
        }
        WriteChunk(output, "IEND"u8, ReadOnlySpan<byte>.Empty);
        return output.ToArray();
    }

    private static void WriteChunk(Stream output, ReadOnlySpan<byte> type, ReadOnlySpan<byte> data)
    {
        Span<byte> word = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(word, data.Length);
        output.Write(word);
        output.Write(type);
        output.Write(data);
        uint crc = Crc32.Update(Crc32.Update(Crc32.Initial, type), data) ^ Crc32.Initial;
        BinaryPrimitives.WriteUInt32BigEndian(word, crc);
        output.Write(word);
    }
}

/// <summary>CRC-32 (ISO-HDLC, the polynomial PNG and zlib use), table driven.</summary>
internal static class Crc32
{
    /// <summary>The starting register value; the final CRC is the register xor this value.</summary>
    public const uint Initial = 0xFFFFFFFFu;

    private static readonly uint[] Table = BuildTable();

    private static uint[] BuildTable()
    {
        var table = new uint[256];
        for (uint n = 0; n < 256; n++)
        {
            uint c = n;
            for (int k = 0; k < 8; k++) c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            table[n] = c;
        }
        return table;
    }

    /// <summary>Feeds <paramref name="data"/> through the register <paramref name="crc"/>.</summary>
    public static uint Update(uint crc, ReadOnlySpan<byte> data)
    {
        foreach (byte b in data) crc = Table[(crc ^ b) & 0xFF] ^ (crc >> 8);
        return crc;
    }
}
