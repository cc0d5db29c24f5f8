using Nabla.Data;
using Nabla.NN;
using Nabla.Optim;
using Nabla.Training;

namespace Nabla.Tests.Examples;

/// <summary>The README's quick start, as written there, so that it keeps compiling and working.</summary>
[Collection(nameof(Nabla.Tests.NN.DefaultGeneratorCollection))]
public class ReadmeQuickStartTests
{
    [Fact]
    public void QuickStartTrainsDigits()
    {
        Tensor.ManualSeed(1);
        var (train, test) = BuiltinDatasets.Digits().TrainTestSplit(0.2);
        var scaler = Standardizer.Fit(train);                      // fitted on the training sample only
        var model = new Sequential(new Linear(64, 128), new ReLU(), new Linear(128, 10));
        var trainer = new Trainer(model, new Adam(model.Parameters(), lr: 1e-3), new CrossEntropyLoss().Forward);
        trainer.Callbacks.Add(new EarlyStopping(patience: 5));
        var history = trainer.Fit(new DataLoader(scaler.Transform(train), 32, shuffle: true),
                                  new DataLoader(scaler.Transform(test), 256), epochs: 30);
        Assert.True(history.Epochs[history.BestEpoch - 1].ValidationAccuracy > 0.95);
        Assert.Contains("Linear", model.Summary(1, 64).ToString());
    }

    [Fact]
    public void TensorSnippetRuns()
    {
        var x = Tensor.Randn(64, 1000);
        var w = Tensor.Randn(1000, 10);
        w.RequiresGrad = true;
        var loss = (x.MatMul(w).Relu() - 1f).Pow(2).Sum();
        loss.Backward();
        Assert.Equal(new[] { 1000, 10 }, w.Grad!.Shape);
        using (Tensor.NoGrad()) w.SubInPlace(1e-4f * w.Grad!);
        var check = Nabla.Autograd.GradCheck.Check(t => (t[0] * t[1]).Tanh(), [Tensor.Randn(3), Tensor.Randn(3)]);
        Assert.True(check.Passed, check.Message);
    }
}
