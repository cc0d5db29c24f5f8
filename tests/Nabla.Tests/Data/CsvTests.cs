using System.IO.Compression;
using System.Text;
using Nabla.Data;

namespace Nabla.Tests.Data;

public class CsvTests
{
    private static CsvData ReadText(string text, string target) =>
        Csv.Read(new MemoryStream(Encoding.UTF8.GetBytes(text)), target, sourceName: "table.csv");

    private static CsvData ReadText(string text, int target, bool hasHeader = true, char separator = ',') =>
        Csv.Read(new MemoryStream(Encoding.UTF8.GetBytes(text)), target, hasHeader, separator, "table.csv");

    private static InvalidDataException Bad(string text) =>
        Assert.Throws<InvalidDataException>(() => ReadText(text, -1));

    [Fact]
    public void ReadsFeaturesAndTheNamedTarget()
    {
        var (x, y) = ReadText("a,label,b\n1,0,2.5\n-3,1,4e1\n", "label");
        Assert.Equal([2, 2], x.Shape);
        Assert.Equal([1f, 2.5f, -3f, 40f], x.ToArray());
        Assert.Equal([2], y.Shape);
        Assert.Equal([0f, 1f], y.ToArray());

        var data = ReadText("a,label,b\n1,0,2.5\n", "label");
        Assert.Equal(["a", "b"], data.FeatureNames);
        Assert.Equal("label", data.TargetName);
        Assert.Equal(1, data.ToDataset().Count);
    }

    [Fact]
    public void TargetByPositionWithOrWithoutHeader()
    {
        var last = ReadText("x,y,t\n1,2,3\n4,5,6\n", -1);
        Assert.Equal([3f, 6f], last.Targets.ToArray());
        Assert.Equal("t", last.TargetName);

        var noHeader = ReadText("1;2;3\n4;5;6\n", 0, hasHeader: false, separator: ';');
        Assert.Equal([1f, 4f], noHeader.Targets.ToArray());
        Assert.Equal([2f, 3f, 5f, 6f], noHeader.Features.ToArray());
        Assert.Equal(["column 2", "column 3"], noHeader.FeatureNames);
    }

    [Fact]
    public void HandlesQuotesBlankLinesWhitespaceAndCrLf()
    {
        var data = ReadText("\"width, cm\",\"say \"\"hi\"\"\",y\r\n\r\n \"1.5\" , 2 ,0\r\n3,4,1\r\n\r\n", "y");
        Assert.Equal(["width, cm", "say \"hi\""], data.FeatureNames);
        Assert.Equal([1.5f, 2f, 3f, 4f], data.Features.ToArray());
    }

    [Fact]
    public void ReadsGzippedFilesByTheirMagicBytes()
    {
        using var folder = new TempFolder();
        var compressed = new MemoryStream();
        using (var gzip = new GZipStream(compressed, CompressionLevel.Fastest, leaveOpen: true))
            gzip.Write(Encoding.UTF8.GetBytes("f,g\n1,2\n3,4\n"));
        string path = folder.Write("data.csv", compressed.ToArray()); // no .gz in the name on purpose
        var (x, y) = Csv.Read(path, "g");
        Assert.Equal([1f, 3f], x.ToArray());
        Assert.Equal([2f, 4f], y.ToArray());
    }

    [Fact]
    public void MissingValueNamesLineAndColumn()
    {
        var e = Bad("a,b,c\n1,2,3\n4,,6\n");
        Assert.Equal("table.csv, line 3, column 2 ('b'): the value is missing (an empty field).", e.Message);
    }

    [Fact]
    public void NonNumericValueNamesLineAndColumn()
    {
        var e = Bad("a,b,c\n1,2,3\n\n4,5,setosa\n");
        Assert.Equal("table.csv, line 4, column 3 ('c'): 'setosa' is not a number.", e.Message);
        e = Bad("a,b\n1,NaN\n");
        Assert.Contains("line 2, column 2 ('b'): the value is missing ('NaN')", e.Message);
        e = Bad("a,b\n1,1e99\n");
        Assert.Contains("line 2, column 2 ('b'): '1e99' is not a finite float32 number", e.Message);
        e = Assert.Throws<InvalidDataException>(() => ReadText("1,2\n3,x\n", 0, hasHeader: false));
        Assert.Equal("table.csv, line 2, column 2: 'x' is not a number.", e.Message);
    }

    [Fact]
    public void WrongFieldCountNamesTheLine()
    {
        var e = Bad("a,b,c\n1,2,3\n4,5\n");
        Assert.Equal("table.csv, line 3: 2 fields, but the header (line 1) has 3.", e.Message);
        e = Assert.Throws<InvalidDataException>(() => ReadText("\n1,2\n3,4,5\n", 0, hasHeader: false));
        Assert.Equal("table.csv, line 3: 3 fields, but the first data line (line 2) has 2.", e.Message);
    }

    [Fact]
    public void UnknownTargetColumnListsTheColumns()
    {
        var e = Assert.Throws<ArgumentException>(() => ReadText("sepal,petal,species\n1,2,0\n", "label"));
        Assert.Contains("no column named 'label'", e.Message);
        Assert.Contains("0: 'sepal', 1: 'petal', 2: 'species'", e.Message);
        e = Assert.Throws<ArgumentException>(() => ReadText("a,b\n1,2\n", 2));
        Assert.Contains("target column 2 is out of range for 2 columns", e.Message);
        Assert.Contains("0: 'a', 1: 'b'", e.Message);
    }

    [Fact]
    public void OtherMalformedInputIsReported()
    {
        Assert.Contains("line 2, column 2: the quote opened at character 3 is not closed", Bad("a,b\n1,\"2\n").Message);
        Assert.Contains("no data lines after the header (line 1)", Bad("a,b\n\n").Message);
        Assert.Contains("the data is empty", Bad("").Message);
    }

    [Fact]
    public void ErrorsFromAFileNameThePath()
    {
        using var folder = new TempFolder();
        var (x, y) = Csv.Read(folder.WriteText("good.csv", "a,b\n1,2\n3,4\n"), 0);
        Assert.Equal([2f, 4f], x.ToArray());
        Assert.Equal([1f, 3f], y.ToArray());

        string bad = folder.WriteText("bad.csv", "a,b\n1,2\n3,z\n");
        var e = Assert.Throws<InvalidDataException>(() => Csv.Read(bad, "a"));
        Assert.StartsWith($"{bad}, line 3, column 2 ('b'):", e.Message);
    }
}
