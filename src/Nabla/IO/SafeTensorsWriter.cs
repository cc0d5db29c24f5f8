using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;

namespace Nabla.IO;

/// <summary>
/// Writes the safetensors format byte for byte as the reference implementation (huggingface/safetensors)
/// does: tensors sorted by dtype alignment (F64 before F32), then by name; a compact JSON header with
/// <c>__metadata__</c> first, padded with spaces to a multiple of 8 bytes so every tensor's data is aligned.
/// The reference keeps metadata in a hash map (random order); we sort its keys so files are reproducible.
/// </summary>
internal static class SafeTensorsWriter
{
    private static readonly UTF8Encoding strictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private sealed record Entry(string Name, byte[] Utf8Name, Tensor Tensor);

    public static void Write(Stream stream, IEnumerable<KeyValuePair<string, Tensor>> tensors, IReadOnlyDictionary<string, string>? metadata)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(tensors);
        var entries = Collect(tensors);
        var header = Header(entries, metadata);

        Span<byte> prefix = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(prefix, (ulong)header.Length);
        stream.Write(prefix);
        stream.Write(header);
        foreach (var e in entries)
        {
            // A strided view is written through one contiguous copy; a contiguous one is written in place.
            var t = e.Tensor.Detach().Contiguous();
            if (t.DType == DType.Float64) WriteValues(stream, t.Span<double>());
            else WriteValues(stream, t.Span<float>());
        }
        stream.Flush();
    }

    private static List<Entry> Collect(IEnumerable<KeyValuePair<string, Tensor>> tensors)
    {
        var entries = new List<Entry>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (name, tensor) in tensors)
        {
            if (name is null) throw new ArgumentException("SafeTensors.Save: a tensor has a null name.", nameof(tensors));
            if (tensor is null) throw new ArgumentException($"SafeTensors.Save: the tensor '{name}' is null.", nameof(tensors));
            if (name == "__metadata__") throw new ArgumentException("SafeTensors.Save: '__metadata__' is reserved for the metadata and cannot name a tensor.", nameof(tensors));
            if (!seen.Add(name)) throw new ArgumentException($"SafeTensors.Save: the name '{name}' is given twice.", nameof(tensors));
            entries.Add(new Entry(name, Utf8(name, "tensor name"), tensor));
        }
        entries.Sort((a, b) =>
        {
            int byAlignment = SafeTensorsDTypes.AlignmentRank(b.Tensor.DType).CompareTo(SafeTensorsDTypes.AlignmentRank(a.Tensor.DType));
            // Rust compares strings by their UTF-8 bytes; so do we (UTF-16 order differs above U+FFFF).
            return byAlignment != 0 ? byAlignment : a.Utf8Name.AsSpan().SequenceCompareTo(b.Utf8Name);
        });
        return entries;
    }

    private static byte[] Header(List<Entry> entries, IReadOnlyDictionary<string, string>? metadata)
    {
        var json = new MemoryStream();
        json.WriteByte((byte)'{');
        bool first = true;
        if (metadata is not null)
        {
            WriteString(json, Utf8("__metadata__", ""));
            json.Write(":{"u8);
            var keys = metadata.Keys.Select(k => (Key: k, Bytes: Utf8(k, "metadata key"))).ToList();
            keys.Sort((a, b) => a.Bytes.AsSpan().SequenceCompareTo(b.Bytes));
            for (int i = 0; i < keys.Count; i++)
            {
                if (i > 0) json.WriteByte((byte)',');
                WriteString(json, keys[i].Bytes);
                json.WriteByte((byte)':');
                string value = metadata[keys[i].Key] ?? throw new ArgumentException($"SafeTensors.Save: metadata '{keys[i].Key}' is null.", nameof(metadata));
                WriteString(json, Utf8(value, "metadata value"));
            }
            json.WriteByte((byte)'}');
            first = false;
        }
        long offset = 0;
        foreach (var e in entries)
        {
            if (!first) json.WriteByte((byte)',');
            first = false;
            long size = (long)e.Tensor.NumEl * (e.Tensor.DType == DType.Float64 ? 8 : 4);
            WriteString(json, e.Utf8Name);
            WriteAscii(json, $":{{\"dtype\":\"{SafeTensorsDTypes.Name(e.Tensor.DType)}\",\"shape\":[{string.Join(',', e.Tensor.Shape)}],\"data_offsets\":[{offset},{offset + size}]}}");
            offset += size;
        }
        json.WriteByte((byte)'}');
        while (json.Length % 8 != 0) json.WriteByte((byte)' ');
        return json.ToArray();
    }

    private static byte[] Utf8(string text, string what)
    {
        try { return strictUtf8.GetBytes(text); }
        catch (EncoderFallbackException)
        {
            throw new ArgumentException($"SafeTensors.Save: the {what} '{text}' is not valid Unicode (a lone surrogate), so it cannot be written as UTF-8.");
        }
    }

    private static void WriteAscii(Stream json, string text) => json.Write(Encoding.ASCII.GetBytes(text));

    /// <summary>A JSON string escaped as serde_json escapes it: quote, backslash and control characters only.</summary>
    private static void WriteString(Stream json, byte[] utf8)
    {
        json.WriteByte((byte)'"');
        foreach (byte b in utf8)
        {
            switch (b)
            {
                case (byte)'"': json.Write("\\\""u8); break;
                case (byte)'\\': json.Write("\\\\"u8); break;
                case (byte)'\b': json.Write("\\b"u8); break;
                case (byte)'\f': json.Write("\\f"u8); break;
                case (byte)'\n': json.Write("\\n"u8); break;
                case (byte)'\r': json.Write("\\r"u8); break;
                case (byte)'\t': json.Write("\\t"u8); break;
                case < 0x20: WriteAscii(json, $"\\u{b:x4}"); break;
                default: json.WriteByte(b); break;
            }
        }
        json.WriteByte((byte)'"');
    }

    /// <summary>Writes the values as little-endian bytes: in one block on little-endian machines, else swapped in chunks.</summary>
    private static void WriteValues<T>(Stream stream, ReadOnlySpan<T> values) where T : unmanaged
    {
        if (BitConverter.IsLittleEndian)
        {
            stream.Write(MemoryMarshal.AsBytes(values));
            return;
        }
        var chunk = new T[Math.Min(values.Length, 1 << 14)];
        for (int start = 0; start < values.Length; start += chunk.Length)
        {
            var part = chunk.AsSpan(0, Math.Min(chunk.Length, values.Length - start));
            values.Slice(start, part.Length).CopyTo(part);
            if (typeof(T) == typeof(double)) BinaryPrimitives.ReverseEndianness(MemoryMarshal.Cast<T, ulong>(part), MemoryMarshal.Cast<T, ulong>(part));
            else BinaryPrimitives.ReverseEndianness(MemoryMarshal.Cast<T, uint>(part), MemoryMarshal.Cast<T, uint>(part));
            stream.Write(MemoryMarshal.AsBytes(part));
        }
    }
}
