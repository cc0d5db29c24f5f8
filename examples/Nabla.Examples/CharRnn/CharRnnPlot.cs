using System.Globalization;
using Nabla.Viz;

namespace Nabla.Examples.CharRnn;

/// <summary>The char-rnn learning curve as an SVG: training and validation loss per character against the bigram baseline.</summary>
public static class CharRnnPlot
{
    /// <summary>The SVG document: loss in bits per character by epoch, with the bigram model's validation loss as a flat line.</summary>
    public static string ToSvg(IReadOnlyList<CharRnnEpoch> epochs, double bigramNats, string title)
    {
        ArgumentNullException.ThrowIfNull(epochs);
        var svg = new SvgWriter(640, 420);
        svg.Rect(0, 0, 640, 420, fill: "#fafafa");
        svg.Text(320, 22, title, size: 15, anchor: "middle");
        List<(double, double)> Bits(Func<CharRnnEpoch, double> f) => epochs.Select(e => ((double)e.Epoch, f(e) / Math.Log(2))).ToList();
        double last = epochs.Count > 0 ? epochs[^1].Epoch : 1;
        LineChart.Draw(svg, 0, 30, 640, 380, "Loss per character (bits)", "epoch",
        [
            new ChartSeries("training", Bits(e => e.TrainLoss), "#1f77b4"),
            new ChartSeries("validation", Bits(e => e.ValidationLoss), "#d62728", Dashed: true),
            new ChartSeries(string.Create(CultureInfo.InvariantCulture, $"bigram baseline (validation, {bigramNats / Math.Log(2):F3})"),
                            [(0, bigramNats / Math.Log(2)), (last, bigramNats / Math.Log(2))], "#777", Dashed: true),
        ]);
        return svg.ToString();
    }

    /// <summary>Writes the plot to <paramref name="path"/> (a temporary file renamed into place, so never half written).</summary>
    public static void Save(IReadOnlyList<CharRnnEpoch> epochs, double bigramNats, string path, string title)
    {
        string full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        File.WriteAllText(full + ".tmp", ToSvg(epochs, bigramNats, title));
        File.Move(full + ".tmp", full, overwrite: true);
    }
}
