using System.Globalization;

namespace Nabla.IO;

/// <summary>
/// The layout of a checkpoint inside one safetensors file: tensor name prefixes for each part, and the
/// metadata keys (all values are strings, as the format requires).
/// </summary>
/// <remarks>
/// Version 1:
/// <list type="bullet">
/// <item>tensors <c>model.*</c> (the model's state dict), <c>optimizer.*</c>, <c>scheduler.*</c>;</item>
/// <item><c>format</c> = <c>nabla.checkpoint</c>, <c>format_version</c> = <c>1</c>, <c>epoch</c>, <c>global_step</c>;</item>
/// <item><c>model</c>, <c>optimizer</c>, <c>scheduler</c>: the class names (the last two only when saved);</item>
/// <item><c>rng.default</c> and <c>rng.0</c> ... <c>rng.{generators-1}</c>: generator states as six
/// 16-digit hex words (see <see cref="Generator.GetState"/>), with <c>generators</c> their count;</item>
/// <item><c>user.{key}</c>: the caller's own metadata.</item>
/// </list>
/// </remarks>
internal static class CheckpointFormat
{
    public const string FormatName = "nabla.checkpoint";
    public const int Version = 1;

    public const string Format = "format", FormatVersion = "format_version", Epoch = "epoch", GlobalStep = "global_step";
    public const string Model = "model", Optimizer = "optimizer", Scheduler = "scheduler";
    public const string DefaultRng = "rng.default", Generators = "generators", UserPrefix = "user.";

    /// <summary>The tensor-name prefix of a part (<c>model.</c>, <c>optimizer.</c>, <c>scheduler.</c>).</summary>
    public static string Prefix(string part) => part + ".";

    public static string Rng(int index) => $"rng.{index}";

    public static string Encode(long value) => value.ToString(CultureInfo.InvariantCulture);

    public static string Encode(ulong[] state) => string.Join(' ', state.Select(w => w.ToString("x16", CultureInfo.InvariantCulture)));

    /// <summary>Parses a generator state written by <see cref="Encode(ulong[])"/> and checks it, or returns null.</summary>
    public static ulong[]? ParseState(string text)
    {
        var words = text.Split(' ');
        if (words.Length != Generator.StateLength) return null;
        var state = new ulong[words.Length];
        for (int i = 0; i < words.Length; i++)
            if (words[i].Length != 16 || !ulong.TryParse(words[i], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out state[i]))
                return null;
        try { new Generator().SetState(state); } // the same checks as the real restore, before anything changes
        catch (ArgumentException) { return null; }
        return state;
    }

    public static bool TryParse(string text, out long value) =>
        long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value);
}
