using System.Text;

namespace Nabla.Viz;

/// <summary>
/// Pictures of a 2-D binary classifier: the sign of its score over a grid, with the data points on
/// top. <see cref="ToSvg"/> for a file, <see cref="ToText"/> for the terminal.
/// </summary>
/// <remarks>
/// The classifier is a function <c>score(x, y)</c>; a positive score means the positive class.
/// A label is positive when it is greater than 0, so labels 0/1 and -1/+1 both work.
/// The plotted area is the data's bounding box with a margin of <see cref="Margin"/> on each side.
/// </remarks>
public static class DecisionBoundary
{
    /// <summary>The space added around the data on each side, in data units.</summary>
    public const double Margin = 0.5;

    private const string NegativeRegion = "#f7c6c7", PositiveRegion = "#c6dbef";
    private const string NegativePoint = "#d62728", PositivePoint = "#1f77b4";

    /// <summary>An SVG of the score's sign on a <paramref name="resolution"/> × <paramref name="resolution"/>
    /// grid (a filled square per cell) with the points drawn as circles coloured by class.</summary>
    /// <param name="score">The classifier; called once per grid cell.</param>
    /// <param name="points">The data, one (x, y) row per point.</param>
    /// <param name="labels">One label per point; positive class when greater than 0.</param>
    /// <param name="resolution">Cells per side.</param>
    /// <param name="size">Width and height of the plot in pixels.</param>
    /// <param name="title">An optional title drawn at the top.</param>
    public static SvgWriter ToSvg(
        Func<double, double, double> score, double[][] points, int[] labels,
        int resolution = 80, double size = 480, string? title = null)
    {
        var box = Bounds(score, points, labels, resolution, resolution);
        var svg = new SvgWriter(size, size);
        double cell = size / resolution;
        // Grid row 0 is the top of the picture (largest y), as on screen.
        for (int row = 0; row < resolution; row++)
        {
            for (int col = 0; col < resolution; col++)
            {
                var (x, y) = box.CellCentre(col, row, resolution, resolution);
                string fill = score(x, y) > 0 ? PositiveRegion : NegativeRegion;
                // Overlap neighbours by a hair so anti-aliasing leaves no seams between cells.
                svg.Rect(col * cell, row * cell, cell + 0.5, cell + 0.5, fill);
            }
        }
        for (int i = 0; i < points.Length; i++)
        {
            double px = (points[i][0] - box.XMin) / (box.XMax - box.XMin) * size;
            double py = (box.YMax - points[i][1]) / (box.YMax - box.YMin) * size;
            svg.Circle(px, py, 4, labels[i] > 0 ? PositivePoint : NegativePoint, stroke: "black", strokeWidth: 0.6);
        }
        if (title is not null)
            svg.Text(size / 2, 18, title, size: 14, anchor: "middle");
        return svg;
    }

    /// <summary>A character picture: <c>.</c> where the score is ≤ 0, <c>#</c> where it is positive,
    /// and the points as <c>o</c> (negative class) and <c>x</c> (positive class), one line per row.</summary>
    /// <param name="score">The classifier; called once per character.</param>
    /// <param name="points">The data, one (x, y) row per point.</param>
    /// <param name="labels">One label per point; positive class when greater than 0.</param>
    /// <param name="width">Characters per line.</param>
    /// <param name="height">Lines.</param>
    public static string ToText(
        Func<double, double, double> score, double[][] points, int[] labels, int width = 60, int height = 25)
    {
        var box = Bounds(score, points, labels, width, height);
        var grid = new char[height, width];
        for (int row = 0; row < height; row++)
        {
            for (int col = 0; col < width; col++)
            {
                var (x, y) = box.CellCentre(col, row, width, height);
                grid[row, col] = score(x, y) > 0 ? '#' : '.';
            }
        }
        for (int i = 0; i < points.Length; i++)
        {
            int col = (int)((points[i][0] - box.XMin) / (box.XMax - box.XMin) * width);
            int row = (int)((box.YMax - points[i][1]) / (box.YMax - box.YMin) * height);
            grid[Math.Clamp(row, 0, height - 1), Math.Clamp(col, 0, width - 1)] = labels[i] > 0 ? 'x' : 'o';
        }

        var text = new StringBuilder((width + 1) * height);
        for (int row = 0; row < height; row++)
        {
            for (int col = 0; col < width; col++)
                text.Append(grid[row, col]);
            text.Append('\n');
        }
        return text.ToString();
    }

    private readonly record struct Box(double XMin, double XMax, double YMin, double YMax)
    {
        public (double X, double Y) CellCentre(int col, int row, int cols, int rows) =>
            (XMin + (col + 0.5) * (XMax - XMin) / cols, YMax - (row + 0.5) * (YMax - YMin) / rows);
    }

    private static Box Bounds(Func<double, double, double> score, double[][] points, int[] labels, int cols, int rows)
    {
        ArgumentNullException.ThrowIfNull(score);
        ArgumentNullException.ThrowIfNull(points);
        ArgumentNullException.ThrowIfNull(labels);
        if (points.Length == 0)
            throw new ArgumentException("There are no points to draw.", nameof(points));
        if (labels.Length != points.Length)
            throw new ArgumentException($"There are {points.Length} points but {labels.Length} labels.", nameof(labels));
        if (cols <= 0 || rows <= 0)
            throw new ArgumentOutOfRangeException(nameof(cols), $"The grid needs a positive size, but was given {cols} × {rows}.");

        double xMin = double.PositiveInfinity, xMax = double.NegativeInfinity;
        double yMin = double.PositiveInfinity, yMax = double.NegativeInfinity;
        for (int i = 0; i < points.Length; i++)
        {
            if (points[i] is not { Length: 2 } p)
                throw new ArgumentException($"Point {i} must have 2 coordinates, but has {points[i]?.Length ?? 0}.", nameof(points));
            xMin = Math.Min(xMin, p[0]); xMax = Math.Max(xMax, p[0]);
            yMin = Math.Min(yMin, p[1]); yMax = Math.Max(yMax, p[1]);
        }
        return new Box(xMin - Margin, xMax + Margin, yMin - Margin, yMax + Margin);
    }
}
