using System.Globalization;

namespace Nabla.NN;

/// <summary>Formats values as Python's <c>repr</c> does, so that module descriptions read exactly like PyTorch's.</summary>
internal static class PyRepr
{
    /// <summary><c>True</c> / <c>False</c>.</summary>
    public static string Bool(bool value) => value ? "True" : "False";

    /// <summary>
    /// A float as Python prints it: the shortest digits that round-trip, positional for exponents -4 to 15
    /// (<c>0.1</c>, <c>1.0</c>, <c>0.0001</c>), scientific otherwise with at least two exponent digits (<c>1e-05</c>).
    /// </summary>
    public static string Float(double value)
    {
        if (double.IsNaN(value)) return "nan";
        if (double.IsInfinity(value)) return value > 0 ? "inf" : "-inf";
        if (value == 0) return double.IsNegative(value) ? "-0.0" : "0.0";
        // .NET's "R" gives the shortest round-trip digits (as Python's repr) but lays them out its own way:
        // read the digits and the decimal exponent of the first one, then lay them out Python's way.
        string r = Math.Abs(value).ToString("R", CultureInfo.InvariantCulture);
        int e = r.IndexOfAny(['E', 'e']);
        int exponent = e < 0 ? 0 : int.Parse(r[(e + 1)..], CultureInfo.InvariantCulture);
        string mantissa = e < 0 ? r : r[..e];
        int dot = mantissa.IndexOf('.');
        if (dot < 0) dot = mantissa.Length;
        string all = mantissa.Replace(".", "");
        int first = 0;
        while (all[first] == '0') first++;
        exponent += dot - 1 - first;
        string digits = all[first..].TrimEnd('0');
        string sign = value < 0 ? "-" : "";
        if (exponent < -4 || exponent >= 16)
        {
            string m = digits.Length == 1 ? digits : digits[0] + "." + digits[1..];
            return $"{sign}{m}e{(exponent < 0 ? "-" : "+")}{Math.Abs(exponent):00}";
        }
        if (exponent < 0) return sign + "0." + new string('0', -exponent - 1) + digits;
        if (digits.Length <= exponent + 1) return sign + digits + new string('0', exponent + 1 - digits.Length) + ".0";
        return sign + digits[..(exponent + 1)] + "." + digits[(exponent + 1)..];
    }

    /// <summary>A float32 value as Python prints the number it was written as: 0.01f gives <c>0.01</c>, not its double expansion.</summary>
    public static string Float(float value) =>
        Float(double.Parse(value.ToString("R", CultureInfo.InvariantCulture), CultureInfo.InvariantCulture));

    /// <summary>A shape as a Python tuple: <c>(4,)</c>, <c>(2, 3)</c>.</summary>
    public static string Tuple(ReadOnlySpan<int> values) => Shapes.Format(values);
}
