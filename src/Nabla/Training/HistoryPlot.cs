using Nabla.Viz;

namespace Nabla.Training;

/// <summary>
/// Draws a <see cref="History"/> as an SVG: loss on the left and accuracy on the right, training (solid)
/// against validation (dashed), with the best epoch and any overtraining warnings marked. The gap between
/// the two curves is what overtraining looks like.
/// </summary>
public static class HistoryPlot
{
    /// <summary>The SVG document for <paramref name="history"/>.</summary>
    public static string ToSvg(History history, string title = "Training history")
    {
        var svg = new SvgWriter(960, 422);
        svg.Rect(0, 0, 960, 422, fill: "#fafafa");
        svg.Text(480, 22, title, size: 16, anchor: "middle");
        var e = history.Epochs;
        List<(double, double)> Points(Func<EpochRecord, double> f) => e.Select(r => ((double)r.Epoch, f(r))).ToList();
        var markers = new List<(double, string, string)>();
        if (history.BestEpoch > 0 && e.Count > 1) markers.Add((history.BestEpoch, "#2a7", "best"));
        // Overtraining epochs are thin orange lines without labels (they come in runs); the caption explains them.
        foreach (var r in e.Where(r => r.OvertrainingWarning)) markers.Add((r.Epoch, "#f0a040", ""));
        if (e.Any(r => r.OvertrainingWarning))
            svg.Text(480, 416, "orange lines: epochs where validation loss rose while training loss fell (overtraining)", size: 11, fill: "#c70", anchor: "middle");

        LineChart.Draw(svg, 0, 30, 480, 370, "Loss", "epoch",
        [
            new ChartSeries("training", Points(r => r.TrainLoss), "#1f77b4"),
            new ChartSeries("validation", Points(r => r.ValidationLoss), "#d62728", Dashed: true),
        ], markers);
        LineChart.Draw(svg, 480, 30, 480, 370, "Accuracy", "epoch",
        [
            new ChartSeries("training", Points(r => r.TrainAccuracy), "#1f77b4"),
            new ChartSeries("validation", Points(r => r.ValidationAccuracy), "#d62728", Dashed: true),
        ], markers);
        return svg.ToString();
    }

    /// <summary>Writes the plot to <paramref name="path"/> (written to a temporary file and renamed, so never half written).</summary>
    public static void Save(History history, string path, string title = "Training history")
    {
        string full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        string temp = full + ".tmp";
        File.WriteAllText(temp, ToSvg(history, title));
        File.Move(temp, full, overwrite: true);
    }
}
