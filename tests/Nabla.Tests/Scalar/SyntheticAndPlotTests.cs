using Nabla.Data;
using Nabla.Viz;

namespace Nabla.Tests.Scalar;

public class SyntheticAndPlotTests
{
    [Fact]
    public void Moons_HasHalfThePointsInEachClass_AndIsReproducible()
    {
        var (X, y) = Synthetic.Moons(101, 0.1, seed: 3);

        Assert.Equal(101, X.Length);
        Assert.Equal(101, y.Length);
        Assert.Equal(50, y.Count(label => label == 0));
        Assert.Equal(51, y.Count(label => label == 1));
        Assert.All(X, p => Assert.Equal(2, p.Length));

        var (X2, y2) = Synthetic.Moons(101, 0.1, seed: 3);
        Assert.Equal(y, y2);
        Assert.Equal(X.SelectMany(p => p), X2.SelectMany(p => p));

        var (X3, _) = Synthetic.Moons(101, 0.1, seed: 4);
        Assert.NotEqual(X.SelectMany(p => p), X3.SelectMany(p => p));
    }

    [Fact]
    public void Moons_WithoutNoise_LieOnTheTwoHalfCircles()
    {
        var (X, y) = Synthetic.Moons(40, 0, seed: 1);
        for (int i = 0; i < X.Length; i++)
        {
            double x0 = X[i][0], x1 = X[i][1];
            if (y[i] == 0)
            {
                Assert.Equal(1.0, x0 * x0 + x1 * x1, 1e-12);   // upper: (cos t, sin t)
                Assert.True(x1 >= -1e-12);
            }
            else
            {
                Assert.Equal(1.0, (x0 - 1) * (x0 - 1) + (x1 - 0.5) * (x1 - 0.5), 1e-12); // lower: (1 - cos t, 0.5 - sin t)
                Assert.True(x1 <= 0.5 + 1e-12);
            }
        }
        // Not in two blocks: shuffled.
        Assert.NotEqual(y.Order(), y);
    }

    [Fact]
    public void Moons_RejectsBadArguments()
    {
        Assert.Contains("at least 2", Assert.Throws<ArgumentOutOfRangeException>(() => Synthetic.Moons(1, 0.1, 0)).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => Synthetic.Moons(10, -0.1, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => Synthetic.Moons(10, double.NaN, 0));
    }

    [Fact]
    public void DecisionBoundaryText_HasTheGridAndThePoints()
    {
        double[][] points = [[-1, 0], [1, 0]];
        int[] labels = [0, 1];

        // Positive on the right half.
        string text = DecisionBoundary.ToText((x, _) => x, points, labels, width: 20, height: 5);
        string[] lines = text.TrimEnd('\n').Split('\n');

        Assert.Equal(5, lines.Length);
        Assert.All(lines, line => Assert.Equal(20, line.Length));
        Assert.StartsWith("..........##", lines[0]);
        Assert.Contains("o", lines[2]);
        Assert.Contains("x", lines[2]);
        Assert.True(lines[2].IndexOf('o') < lines[2].IndexOf('x'));
    }

    [Fact]
    public void DecisionBoundarySvg_FillsTheGrid_AndDrawsEveryPoint()
    {
        double[][] points = [[-1, 0], [1, 0], [0, 1]];
        int[] labels = [-1, 1, 1];

        string svg = DecisionBoundary.ToSvg((x, _) => x, points, labels, resolution: 10, size: 100, title: "a < b").ToString();

        Assert.Equal(100, svg.Split("<rect").Length - 1);
        Assert.Equal(3, svg.Split("<circle").Length - 1);
        Assert.Contains("a &lt; b", svg);
        Assert.Throws<ArgumentException>(() => DecisionBoundary.ToSvg((x, _) => x, points, [0, 1]));
    }

    [Fact]
    public void SvgWriter_WritesInvariantNumbers_AndEscapesText()
    {
        string svg = new SvgWriter(10.5, 20)
            .Rect(1.25, 2, 3, 4, "#fff", stroke: "black")
            .Circle(5, 5, 1.5, "red")
            .Line(0, 0, 10, 10, "blue")
            .Text(1, 2, "x < y & z")
            .ToString();

        Assert.StartsWith("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10.5\" height=\"20\"", svg);
        Assert.Contains("<rect x=\"1.25\" y=\"2\" width=\"3\" height=\"4\" fill=\"#fff\" stroke=\"black\" stroke-width=\"1\"/>", svg);
        Assert.Contains("<circle cx=\"5\" cy=\"5\" r=\"1.5\" fill=\"red\"/>", svg);
        Assert.Contains("x &lt; y &amp; z", svg);
        Assert.EndsWith("</svg>\n", svg);
        Assert.Throws<ArgumentOutOfRangeException>(() => new SvgWriter(0, 10));
    }
}
