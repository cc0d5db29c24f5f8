namespace Nabla.IO;

/// <summary>The element types of the safetensors format: their names, sizes, and which of them Nabla reads and writes.</summary>
internal static class SafeTensorsDTypes
{
    // Every dtype of the format with its element size, so that a valid file holding one Nabla cannot load
    // (an int64 step counter, say) gets a precise message instead of "unknown dtype".
    private static readonly Dictionary<string, int> sizes = new(StringComparer.Ordinal)
    {
        ["BOOL"] = 1, ["U8"] = 1, ["I8"] = 1, ["F8_E5M2"] = 1, ["F8_E4M3"] = 1,
        ["I16"] = 2, ["U16"] = 2, ["F16"] = 2, ["BF16"] = 2,
        ["I32"] = 4, ["U32"] = 4, ["F32"] = 4,
        ["I64"] = 8, ["U64"] = 8, ["F64"] = 8,
    };

    /// <summary>The dtypes Nabla loads: F32 and F64 as they are, F16 and BF16 widened to float32.</summary>
    public const string Readable = "F32, F64, F16 and BF16";

    /// <summary>The size in bytes of one element, or 0 for a name the format does not define.</summary>
    public static int Size(string dtype) => sizes.GetValueOrDefault(dtype);

    public static bool IsReadable(string dtype) => dtype is "F32" or "F64" or "F16" or "BF16";

    /// <summary>The Nabla dtype a stored dtype loads as.</summary>
    public static DType LoadsAs(string dtype) => dtype == "F64" ? DType.Float64 : DType.Float32;

    /// <summary>The stored name of a Nabla dtype.</summary>
    public static string Name(DType dtype) => dtype == DType.Float64 ? "F64" : "F32";

    /// <summary>
    /// The rank of a dtype in the reference implementation's order (its Rust enum order, which grows with
    /// alignment). Writers put higher ranks first so every tensor's data is aligned to its element size.
    /// </summary>
    public static int AlignmentRank(DType dtype) => dtype == DType.Float64 ? 1 : 0;
}
