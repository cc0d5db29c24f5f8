namespace Nabla.IO;

/// <summary>
/// Reads and writes the safetensors format (https://huggingface.co/docs/safetensors): named tensors in one
/// file that PyTorch (<c>safetensors.torch.load_file</c>), Hugging Face and Nabla all load, with no code in it.
/// </summary>
/// <remarks>
/// Layout: an 8-byte little-endian header length N, N bytes of JSON
/// <c>{"__metadata__": {str: str}, "name": {"dtype": "F32", "shape": [..], "data_offsets": [begin, end]}, ...}</c>,
/// then the raw little-endian data. Writing follows the reference implementation byte for byte: tensors
/// sorted by dtype alignment (F64 first) then by name, a compact header padded with spaces to 8 bytes; only
/// the metadata keys, which it writes in hash order, are sorted here. Reading accepts any valid order.
/// Float32 tensors are stored as F32 and float64 as F64; F16 and BF16 load as float32.
/// </remarks>
public static class SafeTensors
{
    /// <summary>
    /// Writes <paramref name="tensors"/> (any layout; strided views are written by value) and optional
    /// <paramref name="metadata"/> to <paramref name="path"/>. The file is replaced atomically: it is written
    /// to a temporary file in the same folder, flushed, then renamed over the target, so a crash or an
    /// exception leaves either the old file or the new one, never half of one.
    /// </summary>
    /// <exception cref="ArgumentException">A name is given twice, is <c>__metadata__</c>, or a tensor or metadata value is null.</exception>
    public static void Save(string path, IEnumerable<KeyValuePair<string, Tensor>> tensors, IReadOnlyDictionary<string, string>? metadata = null) =>
        AtomicFile.Write(path, stream => SafeTensorsWriter.Write(stream, tensors, metadata));

    /// <summary>Writes <paramref name="tensors"/> and optional <paramref name="metadata"/> to <paramref name="stream"/> in the safetensors format.</summary>
    /// <exception cref="ArgumentException">A name is given twice, is <c>__metadata__</c>, or a tensor or metadata value is null.</exception>
    public static void Save(Stream stream, IEnumerable<KeyValuePair<string, Tensor>> tensors, IReadOnlyDictionary<string, string>? metadata = null) =>
        SafeTensorsWriter.Write(stream, tensors, metadata);

    /// <summary>
    /// Reads every tensor and the metadata of the safetensors file at <paramref name="path"/>. The whole header
    /// is checked against the format and the file's size before any data is read.
    /// </summary>
    /// <exception cref="InvalidDataException">The file is truncated or corrupt (a header length beyond the file, invalid JSON,
    /// data offsets out of range, overlapping, leaving gaps or trailing bytes, or not matching shape and dtype, a name twice)
    /// or holds a dtype Nabla does not read; the message names the file, the tensor and the byte offset.</exception>
    public static SafeTensorsFile Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1 << 16, FileOptions.SequentialScan);
        return SafeTensorsReader.Read(file, path, file.Length);
    }

    /// <summary>
    /// Reads a safetensors file from <paramref name="stream"/>'s current position to its end (which must be the
    /// end of the file). On a seekable stream, sizes are checked before data is read; otherwise as it is read.
    /// </summary>
    /// <param name="stream">The stream to read; it is not closed.</param>
    /// <param name="sourceName">The name used in error messages (default <c>&lt;stream&gt;</c>).</param>
    /// <exception cref="InvalidDataException">The data is truncated or corrupt, or holds a dtype Nabla does not read.</exception>
    public static SafeTensorsFile Load(Stream stream, string? sourceName = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        long? remaining = stream.CanSeek ? stream.Length - stream.Position : null;
        return SafeTensorsReader.Read(stream, sourceName ?? "<stream>", remaining);
    }
}
