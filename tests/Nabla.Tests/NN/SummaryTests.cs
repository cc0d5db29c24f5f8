using Nabla.NN;

namespace Nabla.Tests.NN;

/// <summary>Module.Summary: the rows, output shapes, parameter counts and totals, and that it leaves the model as it was.</summary>
public class SummaryTests
{
    private static Sequential Model() => new(
        new Linear(4, 16),
        new ReLU(),
        new Sequential(new Linear(16, 8), new BatchNorm1d(8)),
        new Linear(8, 1));

    [Fact]
    public void RowsHaveNamesTypesShapesAndOwnParameterCounts()
    {
        var summary = Model().Summary(2, 4);
        var rows = summary.Rows.Select(r => (r.Name, r.Type, r.Depth, Shape: r.OutputShape is null ? "--" : string.Join(",", r.OutputShape), r.ParamCount));
        Assert.Equal(
        [
            ("", "Sequential", 0, "2,1", 0L),
            ("0", "Linear", 1, "2,16", 80L),
            ("1", "ReLU", 1, "2,16", 0L),
            ("2", "Sequential", 1, "2,8", 0L),
            ("2.0", "Linear", 2, "2,8", 136L),
            ("2.1", "BatchNorm1d", 2, "2,8", 16L),
            ("3", "Linear", 1, "2,1", 9L),
        ], rows);
        Assert.Equal(241, summary.TotalParams);
        Assert.Equal(241, summary.TrainableParams);
        Assert.Equal(0, summary.NonTrainableParams);
        Assert.Equal(241 * 4, summary.ParamBytes);
        Assert.Equal(17 * 4, summary.BufferBytes); // running mean and var (8 each) and the batch count
        Assert.Equal([2, 4], summary.InputShape);
        Assert.Equal([2, 1], summary.OutputShape);
    }

    [Fact]
    public void TableShowsEveryLayerAndTheTotals()
    {
        string table = Model().Summary(2, 4).ToString();
        var lines = table.Split('\n');
        Assert.Matches(@"^Layer \(type\) +Output Shape +Param #$", lines[1]);
        Assert.Matches(@"^Sequential +\(2, 1\) +--$", lines[3]);
        Assert.Matches(@"^  0 \(Linear\) +\(2, 16\) +80$", lines[4]);
        Assert.Matches(@"^  1 \(ReLU\) +\(2, 16\) +--$", lines[5]);
        Assert.Matches(@"^    2\.0 \(Linear\) +\(2, 8\) +136$", lines[7]);
        Assert.Matches(@"^    2\.1 \(BatchNorm1d\) +\(2, 8\) +16$", lines[8]);
        Assert.Contains("Total params: 241", table);
        Assert.Contains("Trainable params: 241", table);
        Assert.Contains("Non-trainable params: 0", table);
        Assert.Contains("Params size (MB): 0.00", table);
        // Every line of the table has the same width as the rules (columns line up).
        int width = lines[0].Length;
        Assert.All(lines.Skip(1).Take(10).Where(l => !l.StartsWith("Total")), l => Assert.True(l.Length <= width, l));
    }

    [Fact]
    public void LargeCountsUseThousandsSeparatorsAndMegabytes()
    {
        var model = new Sequential(new Linear(1000, 1000), new ReLU(), new Linear(1000, 10));
        string table = model.Summary(1, 1000).ToString();
        Assert.Contains("1,001,000", table);
        Assert.Contains("Total params: 1,011,010", table);
        Assert.Contains("Params size (MB): 4.04", table);
    }

    [Fact]
    public void FrozenParametersCountAsNonTrainable()
    {
        var model = Model();
        var first = (Linear)model[0];
        first.Weight.RequiresGrad = false;
        var summary = model.Summary(2, 4);
        Assert.Equal(241 - 64, summary.TrainableParams);
        Assert.Equal(64, summary.NonTrainableParams);
    }

    [Fact]
    public void RunsInEvalModeAndRestoresModesAndState()
    {
        var model = Model();
        ((Sequential)model[2]).Eval(); // a mixed state must come back as it was
        var modes = model.Modules().Select(m => m.IsTraining).ToList();
        var before = model.StateDict().Select(kv => kv.Value.ToArray()).ToList();
        // Batch size 1 would be an error for batch norm in training mode: the summary runs in evaluation mode,
        // so neither the running statistics nor the batch count move.
        model.Summary(1, 4);
        Assert.Equal(modes, model.Modules().Select(m => m.IsTraining).ToList());
        Assert.Equal(before, model.StateDict().Select(kv => kv.Value.ToArray()).ToList());
        Assert.All(model.Parameters(), p => Assert.Null(p.Grad));
    }

    [Fact]
    public void ModulesCalledThroughForwardShowNoShape()
    {
        var summary = new TwoLayer().Summary(3, 2);
        Assert.Equal([3, 1], summary.Rows[0].OutputShape);
        Assert.Null(summary.Rows[1].OutputShape);   // fc1.Forward(x): not seen
        Assert.Equal([3, 1], summary.Rows[2].OutputShape); // fc2.Call(x): seen
        Assert.Contains("fc1 (Linear)", summary.ToString());
    }

    [Fact]
    public void Float64ModelsGetFloat64ZerosAndEightBytesAParameter()
    {
        var summary = new Sequential(new Linear(3, 2)).Double().Summary(1, 3);
        Assert.Equal(8 * 8, summary.ParamBytes);
        Assert.Equal(3 * 8, summary.InputBytes);
    }

    [Fact]
    public void AShapeTheModelRejectsGivesTheLayersMessage()
    {
        var error = Assert.Throws<ArgumentException>(() => Model().Summary(2, 5));
        Assert.Contains("Linear: input (2, 5) does not fit weight (16, 4)", error.Message);
        // and the recorder is not left behind
        Assert.Null(SummaryRecorder.Current);
    }

    private sealed class TwoLayer : Module
    {
        private readonly Linear fc1, fc2;

        public TwoLayer()
        {
            fc1 = RegisterModule("fc1", new Linear(2, 4));
            fc2 = RegisterModule("fc2", new Linear(4, 1));
        }

        public override Tensor Forward(Tensor input) => fc2.Call(fc1.Forward(input).Relu());
    }
}
