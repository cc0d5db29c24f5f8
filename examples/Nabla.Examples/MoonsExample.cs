using System.Globalization;
using Nabla.Data;
using Nabla.Scalar;
using Nabla.Viz;

namespace Nabla.Examples;

/// <summary>
/// micrograd's demo: a 2-16-16-1 ReLU MLP learns to separate two interleaving moons with a
/// max-margin (SVM) loss and L2 regularization, trained full batch for 100 steps.
/// </summary>
public sealed class MoonsExample : IExample
{
    /// <inheritdoc/>
    public string Name => "moons";

    /// <inheritdoc/>
    public string Description => "micrograd's demo: a 2-16-16-1 ReLU MLP separates two moons; draws moons.svg.";

    /// <inheritdoc/>
    public int Run(ExampleContext context)
    {
        Train(context);
        return 0;
    }

    /// <summary>Trains, reports each step, and draws the decision boundary.</summary>
    /// <returns>The loss and training accuracy of the last step.</returns>
    public (double Loss, double Accuracy) Train(ExampleContext context, int steps = 100)
    {
        var output = context.Out;
        var (X, labels) = Synthetic.Moons(100, noise: 0.1, seed: context.Seed);
        double[] y = labels.Select(label => label == 1 ? 1.0 : -1.0).ToArray(); // the SVM loss wants -1/+1

        var model = new MLP(2, [16, 16, 1], Activation.Relu, seed: context.Seed);
        output.WriteLine($"{model.Parameters().Count} parameters: {model}");

        double loss = 0, accuracy = 0;
        for (int k = 0; k < steps; k++)
        {
            // SGD with a learning rate that decays from 1.0 to 0.1.
            double learningRate = 1.0 - 0.9 * k / 100;
            (loss, accuracy) = Step(model, X, y, learningRate);

            // The step's graph is garbage now: freeing it here is cheap, and the next step reuses
            // the same (cache-warm) memory. Not needed for correctness; see CollectDeadGraphs.
            Value.CollectDeadGraphs();
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"step {k,3}  loss {loss:F6}  accuracy {accuracy * 100:F0}%"));
        }

        Draw(model, X, labels, context);
        return (loss, accuracy);
    }

    /// <summary>One training step: forward over the whole data set, backward, update. Returns the loss and accuracy.</summary>
    public static (double Loss, double Accuracy) Step(MLP model, double[][] X, double[] y, double learningRate)
    {
        // Forward.
        var (total, accuracy) = Loss(model, X, y);

        // Backward: gradients accumulate in the parameters, so clear them first.
        model.ZeroGrad();
        total.Backward();

        // Update.
        foreach (var p in model.Parameters())
            p.Data -= learningRate * p.Grad;
        return (total.Data, accuracy);
    }

    /// <summary>
    /// micrograd's demo loss over the whole data set: the SVM max-margin loss
    /// <c>mean(relu(1 - y * score))</c> plus L2 regularization <c>1e-4 * sum(p * p)</c>;
    /// and the accuracy of the scores' signs. <paramref name="y"/> holds -1 or +1.
    /// </summary>
    public static (Value Loss, double Accuracy) Loss(MLP model, double[][] X, double[] y)
    {
        var scores = X.Select(x => model.Forward(x)[0]).ToArray();
        var losses = scores.Zip(y, (score, yi) => (1 + -yi * score).Relu()).ToArray();
        Value dataLoss = Value.Sum(losses) * (1.0 / losses.Length);

        const double alpha = 1e-4;
        Value regLoss = alpha * Value.Sum(model.Parameters().Select(p => p * p));

        double accuracy = scores.Zip(y, (score, yi) => (score.Data > 0) == (yi > 0) ? 1.0 : 0.0).Average();
        return (dataLoss + regLoss, accuracy);
    }

    private static void Draw(MLP model, double[][] X, int[] labels, ExampleContext context)
    {
        double Score(double x0, double x1) => model.Forward([x0, x1])[0].Data;

        context.Out.WriteLine();
        context.Out.Write(DecisionBoundary.ToText(Score, X, labels));
        string path = context.OutputPath("moons.svg");
        DecisionBoundary.ToSvg(Score, X, labels, title: "moons: decision boundary of a 2-16-16-1 MLP").Save(path);
        context.Out.WriteLine($"Wrote {path}");
    }
}
