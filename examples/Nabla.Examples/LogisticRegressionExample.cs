using System.Globalization;
using Nabla.Data;
using Nabla.NN;
using Nabla.Optim;

namespace Nabla.Examples;

/// <summary>
/// The course notes' "hello world": logistic regression on the Wisconsin breast cancer data. One Linear(30, 1)
/// layer gives a logit; sigmoid(logit) is the probability of "benign". The sigmoid is folded into
/// <see cref="BCEWithLogitsLoss"/>, which is more stable than Sigmoid followed by BCELoss.
/// </summary>
public sealed class LogisticRegressionExample : IExample
{
    private const int Epochs = 100;

    /// <inheritdoc/>
    public string Name => "logistic-regression";

    /// <inheritdoc/>
    public string Description => "Hello world: Linear(30, 1) + sigmoid on breast cancer, test accuracy on a held-out split.";

    /// <inheritdoc/>
    public int Run(ExampleContext context)
    {
        Train(context);
        return 0;
    }

    /// <summary>Trains, reports, and returns the accuracy on the held-out test split.</summary>
    public double Train(ExampleContext context, int epochs = Epochs)
    {
        var output = context.Out;
        var data = BuiltinDatasets.BreastCancer(); // 569 samples, 30 features, classes malignant (0) / benign (1)
        var (train, test) = data.TrainTestSplit(0.2); // stratified 80/20, the same split on every machine
        output.WriteLine($"{data.Name}: {train.Count} training and {test.Count} test samples, {data.Inputs.Shape[1]} features");

        // Features range from 0.001 to 4000: scale each to mean 0, std 1. The mean and std come from the
        // training sample only, so that nothing about the test sample leaks into the model.
        var scaler = Standardizer.Fit(train);
        var xTrain = scaler.Transform(train.Inputs);          // (455, 30)
        var yTrain = train.Targets.Reshape(-1, 1);            // (455, 1)
        var xTest = scaler.Transform(test.Inputs);            // (114, 30)
        var yTest = test.Targets.Reshape(-1, 1);              // (114, 1)

        var model = new Linear(30, 1, generator: new Generator(context.Seed));
        var lossFunction = new BCEWithLogitsLoss();
        var optimizer = new SGD(model.Parameters(), lr: 0.1);
        var loader = new DataLoader(new TensorDataset(xTrain, yTrain), batchSize: 32, shuffle: true, generator: new Generator(context.Seed));

        for (int epoch = 1; epoch <= epochs; epoch++)
        {
            double lossSum = 0;
            foreach (var (x, y) in loader)
            {
                var loss = lossFunction.Forward(model.Forward(x), y);
                optimizer.ZeroGrad();
                loss.Backward();
                optimizer.Step();
                lossSum += loss.ItemAsDouble() * x.Shape[0];
            }
            if (epoch == 1 || epoch % 20 == 0)
                output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"epoch {epoch,3}  loss {lossSum / xTrain.Shape[0]:F4}  train accuracy {Accuracy(model, xTrain, yTrain) * 100:F1}%"));
        }

        double testAccuracy = Accuracy(model, xTest, yTest);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"test accuracy {testAccuracy * 100:F1}% ({test.Count} held-out samples)"));
        return testAccuracy;
    }

    /// <summary>The share of samples whose logit has the sign of the label: logit &gt; 0 means sigmoid &gt; 0.5.</summary>
    private static double Accuracy(Module model, Tensor x, Tensor y)
    {
        using var _ = Tensor.NoGrad();
        var logits = model.Forward(x).ToArray();
        var labels = y.ToArray();
        return logits.Zip(labels, (z, t) => (z > 0 ? 1f : 0f) == t ? 1.0 : 0.0).Average();
    }
}
