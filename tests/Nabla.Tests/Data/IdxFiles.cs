using System.Buffers.Binary;
using System.IO.Compression;

namespace Nabla.Tests.Data;

/// <summary>Builds IDX files byte by byte (independently of the reader under test) for the IDX and Fashion-MNIST tests.</summary>
internal static class IdxFiles
{
    /// <summary>The magic number 00 00 type rank, the sizes big-endian, then <paramref name="data"/> as is.</summary>
    public static byte[] Make(byte type, int[] dims, byte[] data)
    {
        var bytes = new byte[4 + 4 * dims.Length + data.Length];
        bytes[2] = type;
        bytes[3] = (byte)dims.Length;
        for (int d = 0; d < dims.Length; d++)
            BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(4 + 4 * d), dims[d]);
        data.CopyTo(bytes, 4 + 4 * dims.Length);
        return bytes;
    }

    /// <summary>An unsigned-byte file (type 0x08) with the given shape and values.</summary>
    public static byte[] UBytes(int[] dims, params byte[] values) => Make(0x08, dims, values);

    public static byte[] Gzip(byte[] bytes)
    {
        var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true))
            gzip.Write(bytes);
        return output.ToArray();
    }
}
