using Nabla.NN;
using Nabla.Optim;
using Nabla.Training;

namespace Nabla.Tests.Training;

public class TrainerTests
{
    /// <summary>A linear classifier written on the tensor ops, so these tests do not depend on the layer library.</summary>
    private sealed class TinyLinear : Module
    {
        private readonly Parameter weight, bias;

        public TinyLinear(int inputs, int outputs, int seed)
        {
            var g = new Generator(seed);
            weight = RegisterParameter("weight", new Parameter(Tensor.Randn([outputs, inputs], g) * 0.1f));
            bias = RegisterParameter("bias", new Parameter(Tensor.Zeros(outputs)));
        }

        public override Tensor Forward(Tensor input) => Tensor.Linear(input, weight, bias);
    }

    private static Tensor CrossEntropy(Tensor logits, Tensor target) =>
        -(logits.LogSoftmax(1) * Tensor.OneHot(target, logits.Size(1))).Sum() / (float)logits.Size(0);

    /// <summary>Two well separated Gaussian blobs, in batches.</summary>
    private static List<(Tensor Input, Tensor Target)> Blobs(int batches, int batchSize, int seed, float shift = 2f)
    {
        var g = new Generator(seed);
        var result = new List<(Tensor, Tensor)>();
        for (int b = 0; b < batches; b++)
        {
            var y = Tensor.RandInt(0, 2, [batchSize], g);
            var x = Tensor.Randn([batchSize, 2], g) + (y.Unsqueeze(1) * 2f - 1f) * shift;
            result.Add((x, y));
        }
        return result;
    }

    [Fact]
    public void FitLearnsAndRecordsHistory()
    {
        var model = new TinyLinear(2, 2, seed: 1);
        var trainer = new Trainer(model, new SGD(model.Parameters(), lr: 0.1), CrossEntropy);
        var history = trainer.Fit(Blobs(20, 16, 2), Blobs(5, 16, 3), epochs: 5);
        Assert.Equal(5, history.Epochs.Count);
        Assert.True(history.Epochs[^1].TrainLoss < history.Epochs[0].TrainLoss);
        Assert.True(history.Epochs[^1].ValidationAccuracy > 0.95, $"validation accuracy {history.Epochs[^1].ValidationAccuracy}");
        Assert.Equal("completed", history.StopReason);
        Assert.Contains("epoch,train_loss", history.ToCsv());
        Assert.Contains(",heap_mb,working_set_mb\n", history.ToCsv());
        Assert.All(history.Epochs, e => Assert.True(e.HeapBytes > 0 && e.WorkingSetBytes > e.HeapBytes / 2, $"heap {e.HeapBytes}, working set {e.WorkingSetBytes}"));
    }

    [Fact]
    public void NonFiniteLossStopsWithEpochAndBatch()
    {
        var model = new TinyLinear(2, 2, seed: 1);
        var data = Blobs(4, 8, 2);
        data[2] = (Tensor.Full(float.NaN, 8, 2), data[2].Target);
        var trainer = new Trainer(model, new SGD(model.Parameters(), lr: 0.1), CrossEntropy);
        var history = trainer.Fit(data, epochs: 3);
        Assert.Empty(history.Epochs);
        Assert.Contains("epoch 1, batch 3", history.StopReason);
    }

    [Fact]
    public void EarlyStoppingRestoresTheBestWeightsAndFlagsOvertraining()
    {
        // Validation labels are the opposite of training labels: as training improves, validation gets worse.
        var train = Blobs(10, 16, 2);
        var validation = Blobs(3, 16, 3).Select(b => (b.Input, 1f - b.Target)).ToList();
        var model = new TinyLinear(2, 2, seed: 1);
        var stopper = new EarlyStopping(patience: 2);
        var trainer = new Trainer(model, new SGD(model.Parameters(), lr: 0.05), CrossEntropy);
        trainer.Callbacks.Add(stopper);
        var initial = model.StateDict().Select(kv => kv.Value.ToArray()).ToList();
        var history = trainer.Fit(train, validation, epochs: 20);

        Assert.True(history.Epochs.Count < 20, "training should stop early");
        Assert.StartsWith("early stopping", history.StopReason);
        Assert.Contains(history.Epochs, e => e.OvertrainingWarning);
        // The best validation loss was after epoch 1; the model must hold that epoch's weights, not the last ones.
        Assert.Equal(1, stopper.BestEpoch);
        var (loss, _) = trainer.Evaluate(validation);
        Assert.Equal(history.Epochs[0].ValidationLoss, loss, 6);
        Assert.NotEqual(initial[0], model.StateDict()[0].Value.ToArray());

        // The plot shows both curves and marks the overtraining epochs and the best one.
        var svg = HistoryPlot.ToSvg(history);
        Assert.Equal(4, System.Text.RegularExpressions.Regex.Matches(svg, "<polyline").Count);
        Assert.Contains("(overtraining)</text>", svg);
        Assert.Contains(">best<", svg);
    }

    [Fact]
    public void ProgressReporterPrintsPlainLinesWhenNotATerminal()
    {
        var writer = new StringWriter();
        var console = Spectre.Console.AnsiConsole.Create(new Spectre.Console.AnsiConsoleSettings
        {
            Out = new Spectre.Console.AnsiConsoleOutput(writer),
            Ansi = Spectre.Console.AnsiSupport.No,
            Interactive = Spectre.Console.InteractionSupport.No,
        });
        var model = new TinyLinear(2, 2, seed: 1);
        var trainer = new Trainer(model, new SGD(model.Parameters(), lr: 0.1), CrossEntropy);
        trainer.Callbacks.Add(new ProgressReporter(console, live: false));
        trainer.Fit(Blobs(4, 8, 2), Blobs(2, 8, 3), epochs: 2);
        var lines = writer.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        Assert.StartsWith("Epoch 1/2  loss ", lines[0]);
        Assert.Contains("val_acc", lines[1]);
    }
}
