using System.Globalization;
using System.Security;
using System.Text;

namespace Nabla.Viz;

/// <summary>
/// A minimal SVG document builder: rectangles, circles, lines and text, in pixel coordinates with
/// the origin at the top left. Enough for plots without a plotting package.
/// </summary>
/// <example>
/// <code>
/// var svg = new SvgWriter(200, 100);
/// svg.Rect(0, 0, 200, 100, fill: "#eef");
/// svg.Circle(100, 50, 5, fill: "crimson");
/// File.WriteAllText("dot.svg", svg.ToString());
/// </code>
/// </example>
public sealed class SvgWriter
{
    private readonly StringBuilder body = new();

    /// <summary>Starts a drawing of <paramref name="width"/> × <paramref name="height"/> pixels.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A size is not positive.</exception>
    public SvgWriter(double width, double height)
    {
        if (!(width > 0) || !(height > 0) || !double.IsFinite(width) || !double.IsFinite(height))
            throw new ArgumentOutOfRangeException(nameof(width), $"An SVG needs a positive size, but was given {width} × {height}.");
        Width = width;
        Height = height;
    }

    /// <summary>The width in pixels.</summary>
    public double Width { get; }

    /// <summary>The height in pixels.</summary>
    public double Height { get; }

    /// <summary>A rectangle with its top-left corner at (<paramref name="x"/>, <paramref name="y"/>).</summary>
    public SvgWriter Rect(double x, double y, double width, double height, string fill, string? stroke = null, double strokeWidth = 1)
    {
        body.Append(CultureInfo.InvariantCulture,
            $"  <rect x=\"{N(x)}\" y=\"{N(y)}\" width=\"{N(width)}\" height=\"{N(height)}\" fill=\"{Attr(fill)}\"{Stroke(stroke, strokeWidth)}/>\n");
        return this;
    }

    /// <summary>A circle centred at (<paramref name="cx"/>, <paramref name="cy"/>).</summary>
    public SvgWriter Circle(double cx, double cy, double r, string fill, string? stroke = null, double strokeWidth = 1)
    {
        body.Append(CultureInfo.InvariantCulture,
            $"  <circle cx=\"{N(cx)}\" cy=\"{N(cy)}\" r=\"{N(r)}\" fill=\"{Attr(fill)}\"{Stroke(stroke, strokeWidth)}/>\n");
        return this;
    }

    /// <summary>A straight line from (<paramref name="x1"/>, <paramref name="y1"/>) to (<paramref name="x2"/>, <paramref name="y2"/>).</summary>
    public SvgWriter Line(double x1, double y1, double x2, double y2, string stroke, double strokeWidth = 1)
    {
        body.Append(CultureInfo.InvariantCulture,
            $"  <line x1=\"{N(x1)}\" y1=\"{N(y1)}\" x2=\"{N(x2)}\" y2=\"{N(y2)}\"{Stroke(stroke, strokeWidth)}/>\n");
        return this;
    }

    /// <summary>Text whose baseline starts at (<paramref name="x"/>, <paramref name="y"/>);
    /// <paramref name="anchor"/> is <c>start</c>, <c>middle</c> or <c>end</c>.</summary>
    public SvgWriter Text(double x, double y, string text, double size = 12, string fill = "black", string anchor = "start")
    {
        body.Append(CultureInfo.InvariantCulture,
            $"  <text x=\"{N(x)}\" y=\"{N(y)}\" font-family=\"sans-serif\" font-size=\"{N(size)}\" fill=\"{Attr(fill)}\" text-anchor=\"{Attr(anchor)}\">{SecurityElement.Escape(text)}</text>\n");
        return this;
    }

    /// <summary>The complete SVG document.</summary>
    public override string ToString() =>
        $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{N(Width)}\" height=\"{N(Height)}\" viewBox=\"0 0 {N(Width)} {N(Height)}\">\n{body}</svg>\n";

    /// <summary>Writes the document to <paramref name="path"/>, creating its folder.</summary>
    public void Save(string path)
    {
        string? folder = Path.GetDirectoryName(Path.GetFullPath(path));
        if (folder is not null)
            Directory.CreateDirectory(folder);
        File.WriteAllText(path, ToString());
    }

    // Two decimals are finer than a pixel and keep files small; invariant culture so "1.5" never becomes "1,5".
    private static string N(double x) => Math.Round(x, 2).ToString(CultureInfo.InvariantCulture);

    private static string Attr(string value) => SecurityElement.Escape(value);

    private static string Stroke(string? stroke, double width) =>
        stroke is null ? "" : $" stroke=\"{Attr(stroke)}\" stroke-width=\"{N(width)}\"";
}
