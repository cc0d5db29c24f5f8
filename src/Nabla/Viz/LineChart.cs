using System.Globalization;

namespace Nabla.Viz;

/// <summary>One named line of a <see cref="LineChart"/>.</summary>
/// <param name="Name">The legend text.</param>
/// <param name="Points">The (x, y) points; NaN y values are left out.</param>
/// <param name="Color">An SVG colour.</param>
/// <param name="Dashed">Draw dashed (used for validation curves).</param>
public sealed record ChartSeries(string Name, IReadOnlyList<(double X, double Y)> Points, string Color, bool Dashed = false);

/// <summary>
/// A line chart drawn into a region of an <see cref="SvgWriter"/>: axes with round-number ticks, the series,
/// optional vertical markers, a title and a legend. Plots without a plotting package.
/// </summary>
public static class LineChart
{
    /// <summary>Draws the chart in the rectangle (<paramref name="left"/>, <paramref name="top"/>, <paramref name="width"/>, <paramref name="height"/>).</summary>
    /// <param name="svg">The drawing.</param>
    /// <param name="left">Left edge of the region.</param>
    /// <param name="top">Top edge of the region.</param>
    /// <param name="width">Region width.</param>
    /// <param name="height">Region height.</param>
    /// <param name="title">Title above the plot.</param>
    /// <param name="xLabel">Label of the horizontal axis.</param>
    /// <param name="series">The lines.</param>
    /// <param name="markers">Vertical lines at given x positions with a colour and a short label.</param>
    public static void Draw(SvgWriter svg, double left, double top, double width, double height, string title, string xLabel,
                            IReadOnlyList<ChartSeries> series, IReadOnlyList<(double X, string Color, string Label)>? markers = null)
    {
        const double padLeft = 56, padRight = 12, padTop = 30, padBottom = 40;
        double x0 = left + padLeft, x1 = left + width - padRight, y0 = top + padTop, y1 = top + height - padBottom;

        var finite = series.SelectMany(s => s.Points).Where(p => double.IsFinite(p.X) && double.IsFinite(p.Y)).ToList();
        double xmin = finite.Count > 0 ? finite.Min(p => p.X) : 0, xmax = finite.Count > 0 ? finite.Max(p => p.X) : 1;
        double ymin = finite.Count > 0 ? finite.Min(p => p.Y) : 0, ymax = finite.Count > 0 ? finite.Max(p => p.Y) : 1;
        if (xmax <= xmin) xmax = xmin + 1;
        if (ymax <= ymin) { ymax += 0.5; ymin -= 0.5; }
        var yTicks = Ticks(ymin, ymax, 5);
        ymin = Math.Min(ymin, yTicks[0]);
        ymax = Math.Max(ymax, yTicks[^1]);
        double Px(double x) => x0 + (x - xmin) / (xmax - xmin) * (x1 - x0);
        double Py(double y) => y1 - (y - ymin) / (ymax - ymin) * (y1 - y0);

        svg.Rect(x0, y0, x1 - x0, y1 - y0, fill: "white", stroke: "#999");
        svg.Text((x0 + x1) / 2, top + 18, title, size: 14, anchor: "middle");
        foreach (double t in yTicks)
        {
            svg.Line(x0, Py(t), x1, Py(t), stroke: "#eee");
            svg.Text(x0 - 6, Py(t) + 4, Format(t), size: 10, fill: "#444", anchor: "end");
        }
        foreach (double t in Ticks(xmin, xmax, 8).Where(t => t >= xmin && t <= xmax))
        {
            svg.Line(Px(t), y1, Px(t), y1 + 4, stroke: "#999");
            svg.Text(Px(t), y1 + 16, Format(t), size: 10, fill: "#444", anchor: "middle");
        }
        svg.Text((x0 + x1) / 2, y1 + 32, xLabel, size: 11, fill: "#444", anchor: "middle");

        foreach (var (x, color, label) in markers ?? [])
        {
            svg.Line(Px(x), y0, Px(x), y1, stroke: color, strokeWidth: 1);
            if (label.Length > 0) svg.Text(Px(x) + 3, y1 - 6, label, size: 10, fill: color); // at the bottom, clear of the legend
        }
        double legendY = y0 + 14;
        foreach (var s in series)
        {
            var pts = s.Points.Where(p => double.IsFinite(p.X) && double.IsFinite(p.Y)).Select(p => (Px(p.X), Py(p.Y))).ToList();
            if (pts.Count == 0) continue;
            svg.Polyline(pts, s.Color, 2, s.Dashed ? "6 4" : null);
            if (pts.Count == 1) svg.Circle(pts[0].Item1, pts[0].Item2, 3, s.Color);
            svg.Line(x1 - 120, legendY - 4, x1 - 100, legendY - 4, stroke: s.Color, strokeWidth: 2);
            svg.Text(x1 - 96, legendY, s.Name, size: 11);
            legendY += 15;
        }
    }

    /// <summary>About <paramref name="count"/> round tick values (1, 2 or 5 times a power of ten apart) covering [lo, hi].</summary>
    internal static double[] Ticks(double lo, double hi, int count)
    {
        double raw = (hi - lo) / Math.Max(count, 1);
        double magnitude = Math.Pow(10, Math.Floor(Math.Log10(raw)));
        double step = new[] { 1.0, 2, 5, 10 }.Select(m => m * magnitude).First(s => s >= raw);
        double start = Math.Floor(lo / step) * step, end = Math.Ceiling(hi / step) * step;
        var ticks = new List<double>();
        for (double t = start; t <= end + step / 2; t += step) ticks.Add(Math.Round(t, 10));
        return ticks.ToArray();
    }

    private static string Format(double v) => Math.Abs(v) >= 1e4 || (Math.Abs(v) < 1e-3 && v != 0)
        ? v.ToString("0.#e0", CultureInfo.InvariantCulture)
        : v.ToString("0.####", CultureInfo.InvariantCulture);
}
