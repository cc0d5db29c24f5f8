using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text.Json;

namespace Nabla.IO;

/// <summary>
/// Reads a safetensors file: the 8-byte little-endian header length, the JSON header, then the data buffer.
/// Everything the header says is checked against the format (and, when the length is known, against the
/// file's size) before any tensor is allocated, so a corrupt file is refused rather than half read.
/// Every message names the source, the tensor at fault and a byte offset in the file.
/// </summary>
internal sealed class SafeTensorsReader
{
    /// <summary>The reference implementation refuses larger headers; so do we, before allocating one.</summary>
    public const int MaxHeaderSize = 100_000_000;

    private const string MetadataKey = "__metadata__";

    private readonly Stream stream;
    private readonly string source;
    private long headerEnd; // the file offset where the data buffer starts: 8 + header length

    private SafeTensorsReader(Stream stream, string source)
    {
        this.stream = stream;
        this.source = source;
    }

    /// <summary>One tensor as the header describes it; <see cref="At"/> is the file offset of its name in the header.</summary>
    private sealed record Entry(string Name, long At, string DType, int[] Shape, int NumEl, long Begin, long End);

    /// <summary>
    /// Reads a whole safetensors file from the stream's current position. <paramref name="length"/> is the number
    /// of bytes from there to the end when known (seekable streams): then sizes are checked before reading data.
    /// </summary>
    public static SafeTensorsFile Read(Stream stream, string source, long? length)
    {
        var reader = new SafeTensorsReader(stream, source);
        var header = reader.ReadHeader(length);
        var (entries, metadata) = reader.ParseHeader(header);
        long bufferLength = reader.CheckLayout(entries, length);
        return reader.ReadData(entries, metadata, bufferLength, length is null);
    }

    private InvalidDataException Corrupt(string problem) => new($"{source}: {problem}");

    private byte[] ReadHeader(long? length)
    {
        Span<byte> prefix = stackalloc byte[8];
        int got = stream.ReadAtLeast(prefix, 8, throwOnEndOfStream: false);
        if (got < 8)
            throw Corrupt($"the file has only {got} byte(s), but a safetensors file starts with an 8-byte header length (truncated, or not a safetensors file).");
        ulong n = BinaryPrimitives.ReadUInt64LittleEndian(prefix);
        if (length is long total && n > (ulong)(total - 8))
            throw Corrupt($"byte 0: the header length is {n} bytes, but only {total - 8} follow the length field (truncated, or not a safetensors file).");
        if (n > MaxHeaderSize)
            throw Corrupt($"byte 0: the header length is {n} bytes, more than the format's limit of {MaxHeaderSize} (not a safetensors file?).");
        headerEnd = 8 + (long)n;
        var header = new byte[n];
        got = stream.ReadAtLeast(header, header.Length, throwOnEndOfStream: false);
        if (got < header.Length)
            throw Corrupt($"byte {8 + got}: the file ends inside the {n}-byte header (truncated).");
        if (!System.Text.Unicode.Utf8.IsValid(header))
            throw Corrupt($"byte {8 + FirstInvalidUtf8(header)}: the header is not valid UTF-8 (not a safetensors file?).");
        if (n == 0 || header[0] != (byte)'{')
            throw Corrupt($"byte 8: the header must be a JSON object starting with '{{', but {(n == 0 ? "it is empty" : $"it starts with byte 0x{header[0]:x2}")} (not a safetensors file?).");
        return header;
    }

    private static int FirstInvalidUtf8(ReadOnlySpan<byte> bytes)
    {
        int at = 0;
        while (at < bytes.Length && System.Text.Rune.DecodeFromUtf8(bytes[at..], out _, out int used) == System.Buffers.OperationStatus.Done) at += used;
        return at;
    }

    // ----- the JSON header -----

    private (List<Entry> Entries, Dictionary<string, string> Metadata) ParseHeader(byte[] header)
    {
        var entries = new List<Entry>();
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        var names = new Dictionary<string, long>(StringComparer.Ordinal); // name -> where it first appeared
        var json = new Utf8JsonReader(header, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow });
        try
        {
            json.Read(); // the '{' checked above
            while (Next(ref json) != JsonTokenType.EndObject)
            {
                long at = 8 + json.TokenStartIndex;
                string name = json.GetString()!;
                if (!names.TryAdd(name, at))
                    throw Corrupt($"byte {at}: the name '{name}' appears twice in the header (first at byte {names[name]}).");
                if (name == MetadataKey) ReadMetadata(ref json, metadata);
                else entries.Add(ReadEntry(ref json, name, at));
            }
            // Only the spaces that pad the header to 8 bytes may follow the object.
            if (json.Read())
                throw Corrupt($"byte {8 + json.TokenStartIndex}: unexpected content after the header's JSON object.");
        }
        catch (JsonException e)
        {
            // The parser's own position is relative to the header: report the file offset instead.
            int cut = e.Message.IndexOf(" LineNumber:", StringComparison.Ordinal);
            throw Corrupt($"byte {FileOffset(header, e)}: the header is not valid JSON: {(cut >= 0 ? e.Message[..cut] : e.Message)}");
        }
        return (entries, metadata);
    }

    /// <summary>Reads the next token, failing on the end of the header (the reader would only return false there).</summary>
    private JsonTokenType Next(ref Utf8JsonReader json)
    {
        if (!json.Read()) throw Corrupt($"byte {headerEnd}: the header's JSON ends early.");
        return json.TokenType;
    }

    private void ReadMetadata(ref Utf8JsonReader json, Dictionary<string, string> metadata)
    {
        long at = 8 + json.TokenStartIndex;
        var token = Next(ref json);
        if (token == JsonTokenType.Null) return; // the reference implementation writes and accepts null
        if (token != JsonTokenType.StartObject)
            throw Corrupt($"byte {at}: '{MetadataKey}' must be an object of string values, but is {Describe(token)}.");
        while (Next(ref json) != JsonTokenType.EndObject)
        {
            long keyAt = 8 + json.TokenStartIndex;
            string key = json.GetString()!;
            if (Next(ref json) != JsonTokenType.String)
                throw Corrupt($"byte {8 + json.TokenStartIndex}: metadata '{key}' must be a string, but is {Describe(json.TokenType)}.");
            if (!metadata.TryAdd(key, json.GetString()!))
                throw Corrupt($"byte {keyAt}: metadata key '{key}' appears twice.");
        }
    }

    private Entry ReadEntry(ref Utf8JsonReader json, string name, long at)
    {
        if (Next(ref json) != JsonTokenType.StartObject)
            throw Corrupt($"byte {8 + json.TokenStartIndex}: tensor '{name}': expected an object with dtype, shape and data_offsets, but found {Describe(json.TokenType)}.");
        string? dtype = null;
        int[]? shape = null;
        long[]? offsets = null;
        while (Next(ref json) != JsonTokenType.EndObject)
        {
            long fieldAt = 8 + json.TokenStartIndex;
            string field = json.GetString()!;
            bool repeated = field switch { "dtype" => dtype is not null, "shape" => shape is not null, "data_offsets" => offsets is not null, _ => false };
            if (repeated) throw Corrupt($"byte {fieldAt}: tensor '{name}': '{field}' appears twice.");
            switch (field)
            {
                case "dtype":
                    if (Next(ref json) != JsonTokenType.String)
                        throw Corrupt($"byte {8 + json.TokenStartIndex}: tensor '{name}': dtype must be a string, but is {Describe(json.TokenType)}.");
                    dtype = json.GetString()!;
                    break;
                case "shape":
                    shape = ReadIntegers(ref json, name, field, int.MaxValue).Select(v => (int)v).ToArray();
                    break;
                case "data_offsets":
                    offsets = ReadIntegers(ref json, name, field, long.MaxValue);
                    if (offsets.Length != 2)
                        throw Corrupt($"byte {fieldAt}: tensor '{name}': data_offsets must be [begin, end], but has {offsets.Length} value(s).");
                    break;
                default:
                    // Unknown fields are skipped, as the reference implementation does, so newer files still load.
                    json.Read();
                    json.Skip();
                    break;
            }
        }
        string missing = dtype is null ? "dtype" : shape is null ? "shape" : offsets is null ? "data_offsets" : "";
        if (missing.Length > 0) throw Corrupt($"byte {at}: tensor '{name}' has no '{missing}'.");

        int size = SafeTensorsDTypes.Size(dtype!);
        if (size == 0)
            throw Corrupt($"byte {at}: tensor '{name}' has the unknown dtype '{dtype}' (Nabla reads {SafeTensorsDTypes.Readable}).");
        if (!SafeTensorsDTypes.IsReadable(dtype!))
            throw Corrupt($"byte {at}: tensor '{name}' has dtype {dtype}, which Nabla cannot load (it reads {SafeTensorsDTypes.Readable}).");
        long numEl = 1;
        foreach (int d in shape!)
        {
            numEl *= d; // each factor is at most int.MaxValue and the product is checked below, so no overflow
            if (numEl > int.MaxValue)
                throw Corrupt($"byte {at}: tensor '{name}' has shape {Shapes.Format(shape)}, more than the {int.MaxValue} elements a Nabla tensor holds.");
        }
        long begin = offsets![0], end = offsets[1];
        if (end < begin)
            throw Corrupt($"byte {at}: tensor '{name}': data_offsets [{begin}, {end}] end before they begin.");
        if (end - begin != numEl * size)
            throw Corrupt($"byte {at}: tensor '{name}': data_offsets [{begin}, {end}] hold {end - begin} bytes, but {dtype} {Shapes.Format(shape)} needs {numEl * size}.");
        return new Entry(name, at, dtype!, shape, (int)numEl, begin, end);
    }

    /// <summary>Reads a JSON array of integers in [0, <paramref name="max"/>].</summary>
    private long[] ReadIntegers(ref Utf8JsonReader json, string name, string field, long max)
    {
        if (Next(ref json) != JsonTokenType.StartArray)
            throw Corrupt($"byte {8 + json.TokenStartIndex}: tensor '{name}': {field} must be an array of integers, but is {Describe(json.TokenType)}.");
        var values = new List<long>();
        while (Next(ref json) != JsonTokenType.EndArray)
        {
            if (json.TokenType != JsonTokenType.Number || !json.TryGetInt64(out long v) || v < 0 || v > max)
                throw Corrupt($"byte {8 + json.TokenStartIndex}: tensor '{name}': {field} holds '{Token(ref json)}', not an integer in [0, {max}].");
            values.Add(v);
        }
        return values.ToArray();
    }

    private static string Token(ref Utf8JsonReader json) =>
        json.TokenType is JsonTokenType.StartArray or JsonTokenType.StartObject ? Describe(json.TokenType) : System.Text.Encoding.UTF8.GetString(json.ValueSpan);

    private static string Describe(JsonTokenType token) => token switch
    {
        JsonTokenType.StartObject => "an object",
        JsonTokenType.StartArray => "an array",
        JsonTokenType.String => "a string",
        JsonTokenType.Number => "a number",
        JsonTokenType.True or JsonTokenType.False => "a boolean",
        JsonTokenType.Null => "null",
        _ => token.ToString(),
    };

    /// <summary>The file offset of a JSON error: the parser reports a line and a byte within it.</summary>
    private static long FileOffset(byte[] header, JsonException e)
    {
        long line = e.LineNumber ?? 0, start = 0;
        for (int i = 0; i < header.Length && line > 0; i++)
            if (header[i] == (byte)'\n') { line--; start = i + 1; }
        return 8 + start + (e.BytePositionInLine ?? 0);
    }

    // ----- the data buffer -----

    /// <summary>
    /// Checks that the tensors tile the data buffer exactly, in offset order, as the format requires (no overlap,
    /// no gap, nothing after the last one), and that the file is as long as that. Returns the buffer's length.
    /// </summary>
    private long CheckLayout(List<Entry> entries, long? length)
    {
        // By offset, as the reference implementation does: the header may list tensors in any order.
        entries.Sort((a, b) => a.Begin != b.Begin ? a.Begin.CompareTo(b.Begin) : a.End.CompareTo(b.End));
        long? available = length - headerEnd;
        long covered = 0;
        Entry? previous = null;
        foreach (var e in entries)
        {
            if (available is long size && e.End > size)
                throw Corrupt($"byte {e.At}: tensor '{e.Name}': data_offsets [{e.Begin}, {e.End}] go past the end of the file: the data buffer is {size} bytes (file bytes {headerEnd} to {headerEnd + size}); truncated?");
            if (e.Begin < covered)
                throw Corrupt($"byte {e.At}: tensor '{e.Name}': data_offsets [{e.Begin}, {e.End}] overlap tensor '{previous!.Name}', which ends at {covered} (file byte {headerEnd + covered}).");
            if (e.Begin > covered)
                throw Corrupt($"byte {e.At}: tensor '{e.Name}' starts at data offset {e.Begin}, but the previous tensor{(previous is null ? "s end" : $" '{previous.Name}' ends")} at {covered}: file bytes {headerEnd + covered} to {headerEnd + e.Begin} belong to no tensor.");
            covered = e.End;
            previous = e;
        }
        if (available is long total && total > covered)
            throw Corrupt($"byte {headerEnd + covered}: {total - covered} byte(s) follow the last tensor's data; the tensors must cover the data buffer exactly (trailing garbage, or a header that lost a tensor).");
        return covered;
    }

    private SafeTensorsFile ReadData(List<Entry> entries, Dictionary<string, string> metadata, long bufferLength, bool checkEnd)
    {
        var tensors = new List<KeyValuePair<string, Tensor>>(entries.Count);
        foreach (var e in entries)
        {
            var dtype = SafeTensorsDTypes.LoadsAs(e.DType);
            var storage = Tensor.Allocate(dtype, e.NumEl);
            switch (e.DType)
            {
                case "F32": ReadValues(e, ((float[])storage).AsSpan()); break;
                case "F64": ReadValues(e, ((double[])storage).AsSpan()); break;
                default: ReadHalves(e, (float[])storage); break;
            }
            tensors.Add(new(e.Name, new Tensor(storage, (int[])e.Shape.Clone())));
        }
        // Without a known length, trailing garbage shows only now: one more byte must not exist.
        if (checkEnd && stream.ReadByte() >= 0)
            throw Corrupt($"byte {headerEnd + bufferLength}: data follows the last tensor; the tensors must cover the data buffer exactly.");
        return new SafeTensorsFile(source, tensors, metadata);
    }

    /// <summary>Reads F32 or F64 values straight into the tensor's storage (the file is little-endian).</summary>
    private void ReadValues<T>(Entry e, Span<T> values) where T : unmanaged
    {
        var bytes = MemoryMarshal.AsBytes(values);
        Fill(e, bytes, 0);
        if (!BitConverter.IsLittleEndian)
        {
            if (typeof(T) == typeof(double)) BinaryPrimitives.ReverseEndianness(MemoryMarshal.Cast<T, ulong>(values), MemoryMarshal.Cast<T, ulong>(values));
            else BinaryPrimitives.ReverseEndianness(MemoryMarshal.Cast<T, uint>(values), MemoryMarshal.Cast<T, uint>(values));
        }
    }

    /// <summary>Reads F16 or BF16 values in chunks and widens them to float32 (both convert exactly).</summary>
    private void ReadHalves(Entry e, float[] values)
    {
        var chunk = new byte[Math.Min(values.Length, 1 << 15) * 2];
        bool brain = e.DType == "BF16";
        for (int start = 0; start < values.Length; start += chunk.Length / 2)
        {
            int count = Math.Min(chunk.Length / 2, values.Length - start);
            Fill(e, chunk.AsSpan(0, 2 * count), 2L * start);
            for (int i = 0; i < count; i++)
            {
                ushort bits = BinaryPrimitives.ReadUInt16LittleEndian(chunk.AsSpan(2 * i));
                // bfloat16 is the top half of a float32; IEEE half widens exactly through System.Half.
                values[start + i] = brain ? BitConverter.Int32BitsToSingle(bits << 16) : (float)BitConverter.UInt16BitsToHalf(bits);
            }
        }
    }

    private void Fill(Entry e, Span<byte> bytes, long within)
    {
        int got = stream.ReadAtLeast(bytes, bytes.Length, throwOnEndOfStream: false);
        if (got < bytes.Length)
            throw Corrupt($"byte {headerEnd + e.Begin + within + got}: the file ends inside tensor '{e.Name}' (file bytes {headerEnd + e.Begin} to {headerEnd + e.End}): truncated.");
    }
}
