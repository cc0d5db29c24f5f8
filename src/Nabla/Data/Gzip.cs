using System.IO.Compression;

namespace Nabla.Data;

/// <summary>Recognises gzip data by its first two bytes (1F 8B, RFC 1952), so readers accept both forms of a file.</summary>
internal static class Gzip
{
    /// <summary>
    /// A stream of the decompressed bytes if <paramref name="stream"/> starts with the gzip magic, else of
    /// the bytes as they are. The magic is looked at, not trusted to a file name's ".gz".
    /// </summary>
    public static Stream OpenMaybeCompressed(Stream stream, out bool compressed)
    {
        if (!stream.CanSeek)
        {
            // Peeking needs to rewind; a one-way stream is buffered first (these files fit in memory anyway).
            var copy = new MemoryStream();
            stream.CopyTo(copy);
            copy.Position = 0;
            stream = copy;
        }
        long start = stream.Position;
        Span<byte> magic = stackalloc byte[2];
        int read = stream.ReadAtLeast(magic, 2, throwOnEndOfStream: false);
        stream.Position = start;
        compressed = read == 2 && magic[0] == 0x1F && magic[1] == 0x8B;
        return compressed ? new GZipStream(stream, CompressionMode.Decompress, leaveOpen: true) : stream;
    }
}
