using System.Buffers.Binary;
using System.Text;
using Nabla.IO;

namespace Nabla.Tests.IO;

/// <summary>SafeTensors.Save then Load gives back every tensor exactly: dtypes, shapes, layouts, names and metadata.</summary>
public class SafeTensorsRoundTripTests
{
    private static KeyValuePair<string, Tensor> Named(string name, Tensor t) => new(name, t);

    private static SafeTensorsFile RoundTrip(IEnumerable<KeyValuePair<string, Tensor>> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        var stream = new MemoryStream();
        SafeTensors.Save(stream, tensors, metadata);
        stream.Position = 0;
        return SafeTensors.Load(stream);
    }

    private static void AssertSame(Tensor expected, Tensor actual)
    {
        Assert.Equal(expected.DType, actual.DType);
        Assert.Equal(expected.Shape, actual.Shape);
        Assert.True(actual.IsContiguous);
        Assert.Equal(expected.ToDoubleArray(), actual.ToDoubleArray()); // exact: no conversion on the way
    }

    [Fact]
    public void Float32AndFloat64KeepTheirTypeAndEveryBit()
    {
        var f32 = Tensor.Randn([3, 5], new Generator(1));
        var f64 = Tensor.Randn([4, 2, 3], new Generator(2)).Double() / Tensor.Scalar(3.0); // full double precision: no float32 value
        var special = Tensor.FromArray([float.NaN, float.PositiveInfinity, float.NegativeInfinity, -0f, float.Epsilon, float.MaxValue]);
        var file = RoundTrip([Named("w", f32), Named("d", f64), Named("special", special)]);
        AssertSame(f32, file["w"]);
        AssertSame(f64, file["d"]);
        Assert.Equal(BitConverter.SingleToInt32Bits(-0f), BitConverter.SingleToInt32Bits(file["special"].ToArray()[3]));
        Assert.True(float.IsNaN(file["special"].ToArray()[0]));
        Assert.Equal(special.ToArray()[1..], file["special"].ToArray()[1..]);
    }

    [Fact]
    public void ScalarsAndEmptyTensors()
    {
        var scalar = Tensor.Scalar(2.5);
        var empty = Tensor.Zeros(0);
        var emptyInside = Tensor.Zeros(DType.Float64, 2, 0, 3);
        var file = RoundTrip([Named("s", scalar), Named("e", empty), Named("e3", emptyInside), Named("one", Tensor.Ones(1))]);
        Assert.Empty(file["s"].Shape);
        Assert.Equal(2.5, file["s"].ItemAsDouble());
        AssertSame(empty, file["e"]);
        AssertSame(emptyInside, file["e3"]);
        Assert.Equal([1f], file["one"].ToArray());
        Assert.Equal(4, file.Count);
    }

    [Fact]
    public void NonContiguousViewsAreSavedByValue()
    {
        var x = Tensor.Arange(24).Reshape(2, 3, 4);
        var transposed = x.Permute(2, 0, 1);              // (4, 2, 3), strided
        var stepped = x.Slice(2, 1, 4, 2);                 // (2, 3, 2), every other column
        var row = x[1];                                    // (3, 4), contiguous but offset into the storage
        var expanded = Tensor.FromArray([1f, 2f]).Expand(3, 2); // stride 0
        Assert.False(transposed.IsContiguous);
        Assert.False(stepped.IsContiguous);
        var file = RoundTrip([Named("t", transposed), Named("s", stepped), Named("r", row), Named("e", expanded)]);
        AssertSame(transposed.Contiguous(), file["t"]);
        AssertSame(stepped.Contiguous(), file["s"]);
        AssertSame(row.Contiguous(), file["r"]);
        Assert.Equal([1f, 2, 1, 2, 1, 2], file["e"].ToArray());
        Assert.Equal(24, x.NumEl); // the source is untouched
    }

    [Fact]
    public void ParametersThatRequireGradSaveWithoutRecordingAGraph()
    {
        var p = new Nabla.NN.Parameter(Tensor.Arange(6).Reshape(2, 3));
        var file = RoundTrip([Named("p", p.T)]);
        Assert.False(file["p"].RequiresGrad);
        Assert.Equal([0f, 3, 1, 4, 2, 5], file["p"].ToArray());
    }

    [Fact]
    public void NamesAndMetadataWithAnyCharacters()
    {
        string[] names = ["plain", "with space", "quote\"back\\slash", "tab\tnew\nline", "ctrl\u0001", "é日本", "emoji\U0001F600", ""];
        var metadata = new Dictionary<string, string> { ["format"] = "pt", ["note"] = "line1\nline2 \"quoted\" é", ["empty"] = "" };
        var tensors = names.Select((n, i) => Named(n, Tensor.Full(i, 2))).ToArray();
        var file = RoundTrip(tensors, metadata);
        foreach (var (name, i) in names.Select((n, i) => (n, i)))
            Assert.Equal([(float)i, i], file[name].ToArray());
        Assert.Equal(metadata.OrderBy(kv => kv.Key), file.Metadata.OrderBy(kv => kv.Key));
    }

    [Fact]
    public void FileOrderIsTheReferenceOrderF64FirstThenByName()
    {
        var file = RoundTrip([Named("b", Tensor.Zeros(1)), Named("a", Tensor.Zeros(3)), Named("z", Tensor.Zeros(DType.Float64, 1)),
            Named("10.weight", Tensor.Zeros(1)), Named("2.weight", Tensor.Zeros(1)), Named("c", Tensor.Zeros(DType.Float64, 1))]);
        Assert.Equal(["c", "z", "10.weight", "2.weight", "a", "b"], file.Keys);
    }

    [Fact]
    public void HeaderIsPaddedWithSpacesAndEveryTensorIsAligned()
    {
        for (int nameLength = 1; nameLength <= 9; nameLength++)
        {
            var stream = new MemoryStream();
            SafeTensors.Save(stream, [Named(new string('n', nameLength), Tensor.Zeros(DType.Float64, 3)), Named("f", Tensor.Ones(1))]);
            var bytes = stream.ToArray();
            long n = BinaryPrimitives.ReadInt64LittleEndian(bytes);
            Assert.Equal(0, n % 8);
            string header = Encoding.UTF8.GetString(bytes, 8, (int)n);
            Assert.Equal(header.TrimEnd(' ').Length, header.LastIndexOf('}') + 1);
            Assert.Equal(8 + n + 3 * 8 + 4, bytes.Length);
        }
    }

    // The reference implementation's own test vectors (huggingface/safetensors, tensor.rs): the same bytes.
    [Fact]
    public void BytesMatchTheReferenceImplementation()
    {
        var stream = new MemoryStream();
        SafeTensors.Save(stream, [Named("attn.0", Tensor.Arange(6).Reshape(1, 2, 3))]);
        var expected = new MemoryStream();
        expected.Write([64, 0, 0, 0, 0, 0, 0, 0]);
        expected.Write("{\"attn.0\":{\"dtype\":\"F32\",\"shape\":[1,2,3],\"data_offsets\":[0,24]}}"u8);
        foreach (float v in new[] { 0f, 1, 2, 3, 4, 5 }) expected.Write(BitConverter.GetBytes(v));
        Assert.Equal(expected.ToArray(), stream.ToArray());

        stream = new MemoryStream();
        SafeTensors.Save(stream, [Named("attn0", Tensor.Arange(6).Reshape(1, 1, 2, 3))]);
        Assert.Equal(72, BinaryPrimitives.ReadInt64LittleEndian(stream.ToArray()));
        Assert.EndsWith("]}}       ", Encoding.ASCII.GetString(stream.ToArray(), 8, 72)); // 7 spaces of padding

        stream = new MemoryStream();
        SafeTensors.Save(stream, []);
        Assert.Equal([8, 0, 0, 0, 0, 0, 0, 0, .. "{}      "u8], stream.ToArray());

        stream = new MemoryStream();
        SafeTensors.Save(stream, [], new Dictionary<string, string> { ["framework"] = "pt" });
        Assert.Equal([40, 0, 0, 0, 0, 0, 0, 0, .. "{\"__metadata__\":{\"framework\":\"pt\"}}     "u8], stream.ToArray());
    }

    [Fact]
    public void HalfPrecisionLoadsAsFloat32()
    {
        // F16 1.5, -2, 65504 (max half), 2^-24 (smallest subnormal); BF16 1.5, -3.0, 2^100.
        ushort[] f16 = [0x3E00, 0xC000, 0x7BFF, 0x0001];
        ushort[] bf16 = [0x3FC0, 0xC040, 0x7180];
        var data = f16.Concat(bf16).SelectMany(BitConverter.GetBytes).ToArray();
        var bytes = SafeTensorsCorruptionTests.Build(
            "{\"h\":{\"dtype\":\"F16\",\"shape\":[2,2],\"data_offsets\":[0,8]},\"b\":{\"dtype\":\"BF16\",\"shape\":[3],\"data_offsets\":[8,14]}}", data);
        var file = SafeTensors.Load(new MemoryStream(bytes));
        Assert.Equal(DType.Float32, file["h"].DType);
        Assert.Equal([2, 2], file["h"].Shape);
        Assert.Equal([1.5f, -2f, 65504f, MathF.Pow(2, -24)], file["h"].ToArray());
        Assert.Equal([1.5f, -3f, MathF.Pow(2, 100)], file["b"].ToArray());
    }

    [Fact]
    public void LoadsFromAStreamThatCannotSeek()
    {
        var stream = new MemoryStream();
        SafeTensors.Save(stream, [Named("a", Tensor.Arange(5)), Named("b", Tensor.Scalar(1.0))], new Dictionary<string, string> { ["k"] = "v" });
        var file = SafeTensors.Load(new ForwardOnlyStream(stream.ToArray()), "pipe");
        Assert.Equal([0f, 1, 2, 3, 4], file["a"].ToArray());
        Assert.Equal("v", file.Metadata["k"]);
        Assert.Equal("pipe", file.Source);
    }

    [Fact]
    public void StreamLoadStartsAtTheCurrentPosition()
    {
        var stream = new MemoryStream();
        stream.Write("prefix"u8);
        SafeTensors.Save(stream, [Named("a", Tensor.Ones(2))]);
        stream.Position = 6;
        Assert.Equal([1f, 1], SafeTensors.Load(stream)["a"].ToArray());
    }

    [Fact]
    public void FileRoundTripAndLookupMessages()
    {
        using var folder = new TempFolder();
        string path = folder.File("t.safetensors");
        SafeTensors.Save(path, [Named("x", Tensor.Arange(3))]);
        var file = SafeTensors.Load(path);
        Assert.Equal(path, file.Source);
        Assert.Empty(file.Metadata);
        var e = Assert.Throws<KeyNotFoundException>(() => file["y"]);
        Assert.Contains(path, e.Message);
        Assert.Contains("no tensor named 'y'", e.Message);
        Assert.Contains("x", e.Message);
        Assert.Equal(["t.safetensors"], folder.FileNames());
    }

    [Fact]
    public void BadArgumentsToSaveAreRefused()
    {
        var stream = new MemoryStream();
        Assert.Contains("'a' is given twice", Assert.Throws<ArgumentException>(() =>
            SafeTensors.Save(stream, [Named("a", Tensor.Ones(1)), Named("a", Tensor.Ones(2))])).Message);
        Assert.Contains("'__metadata__' is reserved", Assert.Throws<ArgumentException>(() =>
            SafeTensors.Save(stream, [Named("__metadata__", Tensor.Ones(1))])).Message);
        Assert.Contains("'n' is null", Assert.Throws<ArgumentException>(() =>
            SafeTensors.Save(stream, [Named("n", null!)])).Message);
        Assert.Contains("not valid Unicode", Assert.Throws<ArgumentException>(() =>
            SafeTensors.Save(stream, [Named("bad\uD800", Tensor.Ones(1))])).Message);
        Assert.Equal(0, stream.Length); // refused before writing anything
    }
}

/// <summary>A read-only stream that cannot seek or tell its length, like a pipe or a network stream.</summary>
public sealed class ForwardOnlyStream(byte[] data) : Stream
{
    private readonly MemoryStream inner = new(data);

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, Math.Min(count, 7)); // short reads too
    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
