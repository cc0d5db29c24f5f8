using System.Buffers.Binary;
using System.Text;
using Nabla.IO;

namespace Nabla.Tests.IO;

/// <summary>
/// Every way a safetensors file can be corrupt is refused with an <see cref="InvalidDataException"/> whose message
/// names the file, the tensor at fault and the byte offset, before any tensor is handed out.
/// </summary>
public class SafeTensorsCorruptionTests
{
    /// <summary>A file from a header (padded to 8 bytes with spaces unless told not to) and a data buffer.</summary>
    public static byte[] Build(string header, byte[] data, bool pad = true)
    {
        var json = Encoding.UTF8.GetBytes(header);
        if (pad) json = [.. json, .. Enumerable.Repeat((byte)' ', (8 - json.Length % 8) % 8)];
        var bytes = new byte[8 + json.Length + data.Length];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, (ulong)json.Length);
        json.CopyTo(bytes, 8);
        data.CopyTo(bytes, 8 + json.Length);
        return bytes;
    }

    private static string Entry(string name, string dtype, string shape, long begin, long end) =>
        $"\"{name}\":{{\"dtype\":\"{dtype}\",\"shape\":{shape},\"data_offsets\":[{begin},{end}]}}";

    /// <summary>A valid file: a (2, 2) F32 tensor "a" then a (2,) F32 tensor "b"; 24 bytes of data.</summary>
    private static readonly string validHeader = "{" + Entry("a", "F32", "[2,2]", 0, 16) + "," + Entry("b", "F32", "[2]", 16, 24) + "}";

    private static byte[] ValidFile() => Build(validHeader, new byte[24]);

    private static int HeaderLength(byte[] file) => (int)BinaryPrimitives.ReadUInt64LittleEndian(file);

    /// <summary>Loads <paramref name="bytes"/> from a file on disk, a seekable stream and a forward-only stream; all must refuse it.</summary>
    private static string[] Refuse(byte[] bytes)
    {
        using var folder = new TempFolder();
        string path = folder.File("bad.safetensors");
        File.WriteAllBytes(path, bytes);
        var fromFile = Assert.Throws<InvalidDataException>(() => SafeTensors.Load(path)).Message;
        Assert.StartsWith(path + ": ", fromFile);
        var fromStream = Assert.Throws<InvalidDataException>(() => SafeTensors.Load(new MemoryStream(bytes), "mem")).Message;
        Assert.StartsWith("mem: ", fromStream);
        var forwardOnly = Assert.Throws<InvalidDataException>(() => SafeTensors.Load(new ForwardOnlyStream(bytes), "pipe")).Message;
        Assert.StartsWith("pipe: ", forwardOnly);
        return [fromFile, fromStream, forwardOnly];
    }

    [Fact]
    public void TheValidFileLoads()
    {
        var file = SafeTensors.Load(new MemoryStream(ValidFile()));
        Assert.Equal(["a", "b"], file.Keys);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(5)]
    public void TooShortForTheLengthField(int length)
    {
        foreach (var m in Refuse(ValidFile()[..length]))
            Assert.Contains($"only {length} byte(s)", m);
    }

    [Fact]
    public void TruncatedInsideTheHeader()
    {
        var file = ValidFile();
        var cut = file[..(8 + 20)];
        var messages = Refuse(cut);
        int n = HeaderLength(file);
        // Knowing the size, the reader refuses from the length field alone; a pipe finds out when the bytes run out.
        Assert.Contains($"byte 0: the header length is {n} bytes, but only 20 follow", messages[0]);
        Assert.Contains($"byte 0: the header length is {n} bytes, but only 20 follow", messages[1]);
        Assert.Contains($"byte 28: the file ends inside the {n}-byte header (truncated)", messages[2]);
    }

    [Fact]
    public void HeaderLengthBeyondTheFile()
    {
        var file = ValidFile();
        BinaryPrimitives.WriteUInt64LittleEndian(file, 1UL << 40);
        var messages = Refuse(file);
        Assert.Contains($"byte 0: the header length is {1UL << 40} bytes, but only {file.Length - 8} follow", messages[0]);
        // Unknown size: the format's 100 MB limit stops it before a terabyte is allocated.
        Assert.Contains("more than the format's limit of 100000000", messages[2]);

        BinaryPrimitives.WriteUInt64LittleEndian(file, ulong.MaxValue);
        Assert.Contains("the header length is 18446744073709551615 bytes", Refuse(file)[0]);
    }

    [Theory]
    [InlineData("[1,2,3]", "byte 8: the header must be a JSON object starting with '{', but it starts with byte 0x5b")]
    [InlineData("   {}", "byte 8: the header must be a JSON object starting with '{', but it starts with byte 0x20")]
    public void HeaderThatIsNotAnObject(string header, string expected)
    {
        foreach (var m in Refuse(Build(header, [])))
            Assert.Contains(expected, m);
    }

    [Fact]
    public void EmptyHeader()
    {
        foreach (var m in Refuse(Build("", [])))
            Assert.Contains("byte 8: the header must be a JSON object starting with '{', but it is empty", m);
    }

    [Fact]
    public void InvalidJson()
    {
        // The stray comma is at header position 28, so file byte 36.
        string header = "{\"a\":{\"dtype\":\"F32\",\"shape\":,\"data_offsets\":[0,0]}}";
        Assert.Equal(28, header.IndexOf(":,", StringComparison.Ordinal) + 1);
        foreach (var m in Refuse(Build(header, [])))
            Assert.Contains("byte 36: the header is not valid JSON", m);
        foreach (var m in Refuse(Build("{\"a\":{\"dtype\":\"F32\"", [])))
            Assert.Contains("the header is not valid JSON", m);
        foreach (var m in Refuse(Build(validHeader + "x", new byte[24])))
            Assert.Contains("not valid JSON", m);
        // Padding with anything but spaces (here zero bytes) is not JSON either.
        foreach (var m in Refuse(Build(validHeader + "\0\0\0", new byte[24], pad: false)))
            Assert.Contains("not valid JSON", m);
    }

    [Fact]
    public void InvalidUtf8InTheHeader()
    {
        var file = Build("{\"a\u00ff\":{}}", []);
        file[8 + 3] = 0xFF; // Encoding.UTF8 wrote U+00FF as two bytes; a lone 0xFF is never UTF-8
        foreach (var m in Refuse(file))
            Assert.Contains("byte 11: the header is not valid UTF-8", m);
    }

    [Fact]
    public void OffsetsBeyondTheData()
    {
        string header = "{" + Entry("a", "F32", "[2,2]", 0, 16) + "," + Entry("b", "F32", "[4]", 16, 32) + "}";
        var file = Build(header, new byte[24]);
        var messages = Refuse(file);
        int start = 8 + HeaderLength(file);
        foreach (var m in messages[..2])
            Assert.Contains($"tensor 'b': data_offsets [16, 32] go past the end of the file: the data buffer is 24 bytes (file bytes {start} to {start + 24})", m);
        Assert.Contains($"byte {start + 24}: the file ends inside tensor 'b' (file bytes {start + 16} to {start + 32}): truncated", messages[2]);
    }

    [Fact]
    public void TruncatedData()
    {
        var file = ValidFile()[..^3];
        var messages = Refuse(file);
        Assert.Contains("tensor 'b': data_offsets [16, 24] go past the end of the file: the data buffer is 21 bytes", messages[0]);
        Assert.Contains("the file ends inside tensor 'b'", messages[2]);
    }

    [Fact]
    public void SizeNotMatchingShapeAndDtype()
    {
        string header = "{" + Entry("a", "F32", "[2,2]", 0, 12) + "}";
        int at = 8 + 1; // the name's position in the file
        foreach (var m in Refuse(Build(header, new byte[12])))
            Assert.Contains($"byte {at}: tensor 'a': data_offsets [0, 12] hold 12 bytes, but F32 (2, 2) needs 16", m);
        foreach (var m in Refuse(Build("{" + Entry("a", "F64", "[3]", 0, 12) + "}", new byte[12])))
            Assert.Contains("tensor 'a': data_offsets [0, 12] hold 12 bytes, but F64 (3,) needs 24", m);
        foreach (var m in Refuse(Build("{" + Entry("a", "F32", "[2]", 8, 0) + "}", new byte[8])))
            Assert.Contains("tensor 'a': data_offsets [8, 0] end before they begin", m);
    }

    [Fact]
    public void OverlappingTensors()
    {
        string header = "{" + Entry("a", "F32", "[2]", 0, 8) + "," + Entry("b", "F32", "[2]", 4, 12) + "}";
        var file = Build(header, new byte[12]);
        int start = 8 + HeaderLength(file);
        foreach (var m in Refuse(file))
            Assert.Contains($"tensor 'b': data_offsets [4, 12] overlap tensor 'a', which ends at 8 (file byte {start + 8})", m);
        // Two tensors on the same bytes are an overlap too.
        header = "{" + Entry("a", "F32", "[2]", 0, 8) + "," + Entry("b", "F32", "[2]", 0, 8) + "}";
        foreach (var m in Refuse(Build(header, new byte[8])))
            Assert.Contains("overlap tensor", m);
    }

    [Fact]
    public void GapsBetweenOrBeforeTensors()
    {
        string header = "{" + Entry("a", "F32", "[2]", 0, 8) + "," + Entry("b", "F32", "[2]", 12, 20) + "}";
        var file = Build(header, new byte[20]);
        int start = 8 + HeaderLength(file);
        foreach (var m in Refuse(file))
            Assert.Contains($"tensor 'b' starts at data offset 12, but the previous tensor 'a' ends at 8: file bytes {start + 8} to {start + 12} belong to no tensor", m);
        foreach (var m in Refuse(Build("{" + Entry("a", "F32", "[2]", 4, 12) + "}", new byte[12])))
            Assert.Contains("tensor 'a' starts at data offset 4, but the previous tensors end at 0", m);
    }

    [Fact]
    public void TrailingBytesAfterTheLastTensor()
    {
        var file = Build(validHeader, new byte[28]);
        int end = 8 + HeaderLength(file) + 24;
        var messages = Refuse(file);
        Assert.Contains($"byte {end}: 4 byte(s) follow the last tensor's data; the tensors must cover the data buffer exactly", messages[0]);
        Assert.Contains($"byte {end}: data follows the last tensor", messages[2]);
        // A header with no tensors must be followed by nothing.
        Assert.Contains("1 byte(s) follow", Refuse(Build("{}", [7]))[0]);
    }

    [Theory]
    [InlineData("Q4", "tensor 'a' has the unknown dtype 'Q4' (Nabla reads F32, F64, F16 and BF16)")]
    [InlineData("f32", "tensor 'a' has the unknown dtype 'f32'")]
    [InlineData("I64", "tensor 'a' has dtype I64, which Nabla cannot load (it reads F32, F64, F16 and BF16)")]
    [InlineData("BOOL", "tensor 'a' has dtype BOOL, which Nabla cannot load")]
    public void UnknownOrUnsupportedDtype(string dtype, string expected)
    {
        string header = "{" + Entry("w", "F32", "[1]", 0, 4) + "," + Entry("a", dtype, "[1]", 4, 12) + "}";
        int at = 8 + header.IndexOf("\"a\"", StringComparison.Ordinal);
        foreach (var m in Refuse(Build(header, new byte[12])))
            Assert.Contains($"byte {at}: {expected}", m);
    }

    [Fact]
    public void DuplicateNames()
    {
        string header = "{" + Entry("a", "F32", "[1]", 0, 4) + "," + Entry("a", "F32", "[1]", 4, 8) + "}";
        int second = 8 + header.LastIndexOf("\"a\"", StringComparison.Ordinal);
        foreach (var m in Refuse(Build(header, new byte[8])))
            Assert.Contains($"byte {second}: the name 'a' appears twice in the header (first at byte 9)", m);
        // The same name escaped differently is still the same name.
        header = "{" + Entry("a", "F32", "[1]", 0, 4) + "," + Entry("\\u0061", "F32", "[1]", 4, 8) + "}";
        foreach (var m in Refuse(Build(header, new byte[8])))
            Assert.Contains("the name 'a' appears twice", m);
        foreach (var m in Refuse(Build("{\"__metadata__\":{},\"__metadata__\":{}}", [])))
            Assert.Contains("the name '__metadata__' appears twice", m);
        foreach (var m in Refuse(Build("{\"__metadata__\":{\"k\":\"1\",\"k\":\"2\"}}", [])))
            Assert.Contains("metadata key 'k' appears twice", m);
        foreach (var m in Refuse(Build("{\"a\":{\"dtype\":\"F32\",\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", new byte[4])))
            Assert.Contains("tensor 'a': 'dtype' appears twice", m);
    }

    [Theory]
    [InlineData("{\"a\":[]}", "tensor 'a': expected an object with dtype, shape and data_offsets, but found an array")]
    [InlineData("{\"a\":{\"dtype\":\"F32\",\"data_offsets\":[0,4]}}", "byte 9: tensor 'a' has no 'shape'")]
    [InlineData("{\"a\":{\"shape\":[1],\"data_offsets\":[0,4]}}", "tensor 'a' has no 'dtype'")]
    [InlineData("{\"a\":{\"dtype\":\"F32\",\"shape\":[1]}}", "tensor 'a' has no 'data_offsets'")]
    [InlineData("{\"a\":{\"dtype\":32,\"shape\":[1],\"data_offsets\":[0,4]}}", "tensor 'a': dtype must be a string, but is a number")]
    [InlineData("{\"a\":{\"dtype\":\"F32\",\"shape\":[-1],\"data_offsets\":[0,4]}}", "tensor 'a': shape holds '-1', not an integer in [0, 2147483647]")]
    [InlineData("{\"a\":{\"dtype\":\"F32\",\"shape\":[1.5],\"data_offsets\":[0,4]}}", "tensor 'a': shape holds '1.5'")]
    [InlineData("{\"a\":{\"dtype\":\"F32\",\"shape\":[\"2\"],\"data_offsets\":[0,4]}}", "tensor 'a': shape holds '2', not an integer")]
    [InlineData("{\"a\":{\"dtype\":\"F32\",\"shape\":[3000000000],\"data_offsets\":[0,4]}}", "shape holds '3000000000', not an integer in [0, 2147483647]")]
    [InlineData("{\"a\":{\"dtype\":\"F32\",\"shape\":[65536,65536],\"data_offsets\":[0,4]}}", "tensor 'a' has shape (65536, 65536), more than the 2147483647 elements")]
    [InlineData("{\"a\":{\"dtype\":\"F32\",\"shape\":{},\"data_offsets\":[0,4]}}", "tensor 'a': shape must be an array of integers, but is an object")]
    [InlineData("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4,8]}}", "tensor 'a': data_offsets must be [begin, end], but has 3 value(s)")]
    [InlineData("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,-4]}}", "tensor 'a': data_offsets holds '-4'")]
    [InlineData("{\"__metadata__\":{\"epoch\":3}}", "metadata 'epoch' must be a string, but is a number")]
    [InlineData("{\"__metadata__\":[]}", "'__metadata__' must be an object of string values, but is an array")]
    public void MalformedEntries(string header, string expected)
    {
        foreach (var m in Refuse(Build(header, new byte[4])))
            Assert.Contains(expected, m);
    }

    [Fact]
    public void UnknownFieldsAndNullMetadataAreAcceptedAsTheReferenceDoes()
    {
        var file = SafeTensors.Load(new MemoryStream(Build(
            "{\"__metadata__\":null,\"a\":{\"dtype\":\"F32\",\"extra\":{\"x\":[1,{}]},\"shape\":[1],\"data_offsets\":[0,4]}}", BitConverter.GetBytes(3f))));
        Assert.Equal([3f], file["a"].ToArray());
        Assert.Empty(file.Metadata);
    }

    [Fact]
    public void HeaderEntriesInAnyOrderAndIndentedJsonAreAccepted()
    {
        string header = "{\n  " + Entry("b", "F32", "[1]", 4, 8) + ",\n  " + Entry("a", "F32", "[1]", 0, 4) + "\n}";
        var file = SafeTensors.Load(new MemoryStream(Build(header, [.. BitConverter.GetBytes(1f), .. BitConverter.GetBytes(2f)])));
        Assert.Equal(["a", "b"], file.Keys); // file order is data order
        Assert.Equal([2f], file["b"].ToArray());
        // An error on a later line still gets its file offset.
        string bad = "{\n\"a\": {\n\"dtype\": \"F32\",, }}";
        foreach (var m in Refuse(Build(bad, [])))
            Assert.Contains($"byte {8 + bad.IndexOf(",,", StringComparison.Ordinal) + 1}: the header is not valid JSON", m);
    }
}
