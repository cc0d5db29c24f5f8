using System.Text;

namespace Nabla;

/// <summary>Shape arithmetic shared by every op: sizes, strides, dims, broadcasting, and the messages for bad input.</summary>
internal static class Shapes
{
    /// <summary>The product of the sizes, checked for overflow (a tensor holds at most int.MaxValue elements).</summary>
    public static int NumEl(ReadOnlySpan<int> shape)
    {
        long n = 1;
        foreach (int s in shape)
        {
            if (s < 0) throw new ArgumentException($"Negative size in shape {Format(shape)}.");
            n *= s;
            if (n > int.MaxValue) throw new ArgumentException($"Shape {Format(shape)} has more than {int.MaxValue} elements.");
        }
        return (int)n;
    }

    /// <summary>Row-major strides: the last dim has stride 1.</summary>
    public static int[] ContiguousStrides(ReadOnlySpan<int> shape)
    {
        var strides = new int[shape.Length];
        int s = 1;
        for (int d = shape.Length - 1; d >= 0; d--)
        {
            strides[d] = s;
            s *= Math.Max(shape[d], 1);
        }
        return strides;
    }

    /// <summary>True when the strides are the row-major ones (ignoring dims of size 1, whose stride never matters).</summary>
    public static bool IsContiguous(ReadOnlySpan<int> shape, ReadOnlySpan<int> strides)
    {
        int expected = 1;
        for (int d = shape.Length - 1; d >= 0; d--)
        {
            if (shape[d] == 0) return true;
            if (shape[d] != 1 && strides[d] != expected) return false;
            expected *= shape[d];
        }
        return true;
    }

    /// <summary>Maps a possibly negative dim into [0, rank), or throws naming the op.</summary>
    public static int NormalizeDim(int dim, int rank, string op)
    {
        int d = dim < 0 ? dim + rank : dim;
        if (d < 0 || d >= rank)
            throw new ArgumentOutOfRangeException(nameof(dim),
                $"{op}: dim {dim} is out of range for a tensor with {rank} dimension{(rank == 1 ? "" : "s")} (expected {-rank} to {rank - 1}).");
        return d;
    }

    /// <summary>The broadcast shape of <paramref name="a"/> and <paramref name="b"/> (NumPy rules), or a clear error.</summary>
    public static int[] Broadcast(string op, ReadOnlySpan<int> a, ReadOnlySpan<int> b)
    {
        int rank = Math.Max(a.Length, b.Length);
        var result = new int[rank];
        for (int i = 1; i <= rank; i++)
        {
            int sa = i <= a.Length ? a[^i] : 1;
            int sb = i <= b.Length ? b[^i] : 1;
            if (sa != sb && sa != 1 && sb != 1)
                throw new ArgumentException(
                    $"{op}: shapes {Format(a)} and {Format(b)} cannot be broadcast together: dim {-i} has size {sa} against {sb}.");
            result[^i] = sa == 1 ? sb : sa;
        }
        return result;
    }

    /// <summary>
    /// Strides that read a tensor of shape <paramref name="shape"/>/<paramref name="strides"/> as if it had
    /// the (broadcast) shape <paramref name="target"/>: broadcast dims get stride 0.
    /// </summary>
    public static int[] BroadcastStrides(ReadOnlySpan<int> shape, ReadOnlySpan<int> strides, ReadOnlySpan<int> target)
    {
        var result = new int[target.Length];
        int lead = target.Length - shape.Length;
        for (int d = 0; d < shape.Length; d++)
            result[lead + d] = shape[d] == 1 ? 0 : strides[d];
        return result;
    }

    /// <summary>Formats a shape as PyTorch prints a tuple: <c>(2, 3)</c>, <c>(5,)</c>, <c>()</c>.</summary>
    public static string Format(ReadOnlySpan<int> shape)
    {
        if (shape.Length == 1) return $"({shape[0]},)";
        var sb = new StringBuilder("(");
        for (int i = 0; i < shape.Length; i++)
        {
            if (i > 0) sb.Append(", ");
            sb.Append(shape[i]);
        }
        return sb.Append(')').ToString();
    }

    public static bool Equal(ReadOnlySpan<int> a, ReadOnlySpan<int> b) => a.SequenceEqual(b);
}
