using System.Globalization;
using Nabla.Scalar;

namespace Nabla.Examples;

/// <summary>
/// The tiny MLP of Karpathy's course notes: four inputs of three numbers, four targets of ±1,
/// a tanh MLP of sizes 3-4-4-1 trained by hand-written gradient descent on the squared error.
/// </summary>
public sealed class NeuronMlpExample : IExample
{
    /// <inheritdoc/>
    public string Name => "neuron-mlp";

    /// <inheritdoc/>
    public string Description => "Course notes: a 3-4-4-1 tanh MLP fits four points in 20 steps of gradient descent.";

    /// <inheritdoc/>
    public int Run(ExampleContext context)
    {
        Train(context);
        return 0;
    }

    /// <summary>Trains and reports; returns the loss of every step (before its update).</summary>
    public double[] Train(ExampleContext context, int steps = 20, double learningRate = 0.1)
    {
        var output = context.Out;
        var model = new MLP(3, [4, 4, 1], Activation.Tanh, seed: context.Seed);
        output.WriteLine($"{model.Parameters().Count} parameters: {model}");

        double[][] xs = [[2.0, 3.0, -1.0], [3.0, -1.0, 0.5], [0.5, 1.0, 1.0], [1.0, 1.0, -1.0]];
        double[] ys = [1.0, -1.0, -1.0, 1.0]; // desired targets

        var losses = new double[steps];
        Value[] predictions = [];
        for (int k = 0; k < steps; k++)
        {
            // Forward: one prediction per input, then the sum of squared errors.
            predictions = xs.Select(x => model.Forward(x)[0]).ToArray();
            Value loss = Value.Sum(predictions.Zip(ys, (yPred, yTrue) => (yPred - yTrue).Pow(2)));

            // Backward: gradients accumulate in the parameters, so clear them first.
            model.ZeroGrad();
            loss.Backward();

            // Update: a small step against the gradient.
            foreach (var p in model.Parameters())
                p.Data -= learningRate * p.Grad;

            losses[k] = loss.Data;
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"step {k,2}  loss {loss.Data:F6}"));
        }

        output.WriteLine("predictions (target):");
        for (int i = 0; i < xs.Length; i++)
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {predictions[i].Data,9:F6}  ({ys[i]:+0;-0})"));
        return losses;
    }
}
