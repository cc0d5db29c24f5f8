using System.Buffers.Binary;

namespace Nabla.Data;

/// <summary>
/// Reads IDX files, the format of MNIST and Fashion-MNIST (<c>train-images-idx3-ubyte.gz</c> and friends),
/// plain or gzip-compressed (recognised by the gzip magic bytes, whatever the file name).
/// </summary>
/// <remarks>
/// <para>The format (LeCun et al., <c>http://yann.lecun.com/exdb/mnist/</c>): a 4-byte magic number
/// <c>00 00 TT DD</c>, where TT is the element type and DD the number of dims; then DD sizes as big-endian
/// 32-bit integers; then the elements, row-major, big-endian. The types are 0x08 unsigned byte, 0x09 signed
/// byte, 0x0B 16-bit integer, 0x0C 32-bit integer, 0x0D float32 and 0x0E float64. So images are
/// <c>0x00000803</c> (ubyte, 3 dims: N, rows, cols) and labels <c>0x00000801</c> (ubyte, 1 dim: N).</para>
/// <para>A file is read whole or not at all: a wrong magic number, an unexpected number of dims, a file that
/// ends before its data does, or bytes after it, each throw an <see cref="InvalidDataException"/> naming the
/// file and the byte offset (in the decompressed data for a gzip file).</para>
/// </remarks>
public static class Idx
{
    /// <summary>
    /// Reads the IDX file at <paramref name="path"/> into a tensor of the shape its header gives. Bytes, 16-bit
    /// integers and float32 values become float32; 32-bit integers and float64 values become float64, which
    /// holds them exactly.
    /// </summary>
    /// <param name="path">The file, plain or gzip-compressed.</param>
    /// <param name="expectedRank">If given, the number of dims the file must have (3 for images, 1 for labels).</param>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is not a well-formed IDX file (the message names the byte offset).</exception>
    public static Tensor Read(string path, int? expectedRank = null)
    {
        using var file = File.OpenRead(path);
        return ToTensor(ReadRaw(file, path, expectedRank));
    }

    /// <summary>Reads IDX data from <paramref name="stream"/> (plain or gzip); <paramref name="sourceName"/> names it in errors.</summary>
    /// <inheritdoc cref="Read(string, int?)"/>
    public static Tensor Read(Stream stream, string sourceName = "stream", int? expectedRank = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        return ToTensor(ReadRaw(stream, sourceName, expectedRank));
    }

    /// <summary>The element type codes of the format (the third byte of the magic number).</summary>
    internal enum ElementType : byte { UInt8 = 0x08, Int8 = 0x09, Int16 = 0x0B, Int32 = 0x0C, Float32 = 0x0D, Float64 = 0x0E }

    /// <summary>A checked IDX file: its type, its shape, its raw (big-endian) element bytes, and where the data starts.</summary>
    internal sealed record Raw(ElementType Type, int[] Shape, byte[] Data, int DataOffset, bool Compressed);

    private static int ElementSize(ElementType type) => type switch
    {
        ElementType.UInt8 or ElementType.Int8 => 1,
        ElementType.Int16 => 2,
        ElementType.Int32 or ElementType.Float32 => 4,
        _ => 8,
    };

    private static string TypeName(ElementType type) => type switch
    {
        ElementType.UInt8 => "unsigned byte",
        ElementType.Int8 => "signed byte",
        ElementType.Int16 => "16-bit integer",
        ElementType.Int32 => "32-bit integer",
        ElementType.Float32 => "float32",
        _ => "float64",
    };

    /// <summary>Reads and checks the header, then exactly the data it announces; throws for anything else.</summary>
    internal static Raw ReadRaw(Stream input, string source, int? expectedRank)
    {
        var stream = Gzip.OpenMaybeCompressed(input, out bool compressed);
        try
        {
            return ReadChecked(stream, source, expectedRank, compressed);
        }
        finally
        {
            if (compressed) stream.Dispose();
        }
    }

    /// <summary>Reads until <paramref name="buffer"/> is full or the data ends; returns the count read.</summary>
    private static int Fill(Stream stream, Span<byte> buffer, string source)
    {
        try
        {
            return stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
        }
        catch (InvalidDataException e)
        {
            // GZipStream's own error for a corrupt stream does not say which file.
            throw new InvalidDataException($"{source}: the gzip data is corrupt: {e.Message}", e);
        }
    }

    private static Raw ReadChecked(Stream stream, string source, int? expectedRank, bool compressed)
    {
        string where = compressed ? " of the decompressed data" : "";
        InvalidDataException Error(string message, long offset) =>
            new($"{source}: {message} (at byte {offset}{where}).");

        Span<byte> magic = stackalloc byte[4];
        int got = Fill(stream, magic, source);
        if (got < 4)
            throw Error($"truncated: the file ends after {got} byte{(got == 1 ? "" : "s")}, inside the 4-byte magic number", got);
        uint magicNumber = BinaryPrimitives.ReadUInt32BigEndian(magic);
        var type = (ElementType)magic[2];
        if (magic[0] != 0 || magic[1] != 0 || !Enum.IsDefined(type))
            throw Error(
                $"not an IDX file: the magic number is 0x{magicNumber:X8}, but an IDX magic number is 0x0000TTDD with type TT one of " +
                "08 (ubyte), 09 (sbyte), 0B (short), 0C (int), 0D (float), 0E (double) and DD the number of dims, e.g. 0x00000803 for images, 0x00000801 for labels", 0);
        int rank = magic[3];
        if (rank == 0)
            throw Error($"the magic number 0x{magicNumber:X8} says the data has 0 dims; an IDX file has at least 1", 3);
        if (expectedRank is int expected && rank != expected)
            throw Error($"expected {expected} dim{(expected == 1 ? "" : "s")}, but the magic number 0x{magicNumber:X8} says {rank}", 3);

        var sizes = new byte[4 * rank];
        got = Fill(stream, sizes, source);
        if (got < sizes.Length)
            throw Error($"truncated: the file ends inside the header, which holds {rank} dim sizes and so is {4 + sizes.Length} bytes long", 4 + got);
        var shape = new int[rank];
        long elements = 1;
        for (int d = 0; d < rank; d++)
        {
            int size = BinaryPrimitives.ReadInt32BigEndian(sizes.AsSpan(4 * d));
            if (size < 0)
                throw Error($"dim {d} has size {(uint)size}, over the format's limit of 2^31 - 1", 4 + 4 * d);
            shape[d] = size;
            elements *= size;
            if (elements * ElementSize(type) > Array.MaxLength)
                throw Error($"the header's shape ({string.Join(" × ", shape[..(d + 1)])}...) needs more than {Array.MaxLength} bytes of data, more than one array can hold", 4 + 4 * d);
        }

        int dataOffset = 4 + 4 * rank;
        var data = new byte[elements * ElementSize(type)];
        got = Fill(stream, data, source);
        if (got < data.Length)
            throw Error(
                $"truncated: the header announces {string.Join(" × ", shape)} {TypeName(type)} values ({data.Length} bytes from byte {dataOffset}, " +
                $"so {dataOffset + (long)data.Length} bytes in all), but the data ends after {got} of them", dataOffset + got);
        if (Fill(stream, stackalloc byte[1], source) > 0)
            throw Error($"unexpected bytes after the data: the header's shape {string.Join(" × ", shape)} accounts for {dataOffset + (long)data.Length} bytes, but the file goes on", dataOffset + data.Length);
        return new Raw(type, shape, data, dataOffset, compressed);
    }

    /// <summary>The elements as a tensor: float32 where that is exact, float64 for 32-bit integers and doubles.</summary>
    internal static Tensor ToTensor(Raw raw)
    {
        var bytes = raw.Data.AsSpan();
        switch (raw.Type)
        {
            case ElementType.UInt8:
            {
                var values = new float[bytes.Length];
                for (int i = 0; i < values.Length; i++) values[i] = bytes[i];
                return new Tensor(values, raw.Shape);
            }
            case ElementType.Int8:
            {
                var values = new float[bytes.Length];
                for (int i = 0; i < values.Length; i++) values[i] = (sbyte)bytes[i];
                return new Tensor(values, raw.Shape);
            }
            case ElementType.Int16:
            {
                var values = new float[bytes.Length / 2];
                for (int i = 0; i < values.Length; i++) values[i] = BinaryPrimitives.ReadInt16BigEndian(bytes[(2 * i)..]);
                return new Tensor(values, raw.Shape);
            }
            case ElementType.Int32:
            {
                // float32 holds integers exactly only up to 2^24.
                var values = new double[bytes.Length / 4];
                for (int i = 0; i < values.Length; i++) values[i] = BinaryPrimitives.ReadInt32BigEndian(bytes[(4 * i)..]);
                return new Tensor(values, raw.Shape);
            }
            case ElementType.Float32:
            {
                var values = new float[bytes.Length / 4];
                for (int i = 0; i < values.Length; i++) values[i] = BinaryPrimitives.ReadSingleBigEndian(bytes[(4 * i)..]);
                return new Tensor(values, raw.Shape);
            }
            default:
            {
                var values = new double[bytes.Length / 8];
                for (int i = 0; i < values.Length; i++) values[i] = BinaryPrimitives.ReadDoubleBigEndian(bytes[(8 * i)..]);
                return new Tensor(values, raw.Shape);
            }
        }
    }
}
