using System.Globalization;
using Nabla.NN;
using Nabla.Optim;
using Nabla.Scalar;

namespace Nabla.Examples;

/// <summary>
/// The <c>neuron-mlp</c> example again, with tensors: the same 3-4-4-1 tanh MLP, started from the very same
/// weights (copied from the scalar <see cref="MLP"/> built with the same seed), the same four points, 20 steps of
/// gradient descent on the sum of squared errors with learning rate 0.1. It prints the same losses, because
/// it computes the same thing: a Linear layer is a row of scalar neurons, one weight row per neuron.
/// </summary>
public sealed class MlpTensorExample : IExample
{
    /// <inheritdoc/>
    public string Name => "mlp-tensor";

    /// <inheritdoc/>
    public string Description => "neuron-mlp with tensors: the same 3-4-4-1 tanh MLP and weights, the same 20 losses.";

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
        var model = FromScalar(new MLP(3, [4, 4, 1], Activation.Tanh, seed: context.Seed));
        output.WriteLine($"{model.ParameterCount()} parameters:");
        output.WriteLine(model);

        // The four inputs as one batch (4, 3) and their targets (4, 1); float64 like the scalar engine.
        var xs = Tensor.FromArray([2.0, 3.0, -1.0, 3.0, -1.0, 0.5, 0.5, 1.0, 1.0, 1.0, 1.0, -1.0], 4, 3);
        var ys = Tensor.FromArray([1.0, -1.0, -1.0, 1.0], 4, 1);
        var optimizer = new SGD(model.Parameters(), lr: learningRate); // p -= lr * p.grad, as the scalar loop does

        var losses = new double[steps];
        Tensor predictions = xs;
        for (int k = 0; k < steps; k++)
        {
            // Forward: all four predictions in one pass (4, 1), then the sum of squared errors.
            predictions = model.Forward(xs);
            var diff = predictions - ys;
            var loss = (diff * diff).Sum();

            // Backward and update.
            optimizer.ZeroGrad();
            loss.Backward();
            optimizer.Step();

            losses[k] = loss.ItemAsDouble();
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"step {k,2}  loss {losses[k]:F6}"));
        }

        output.WriteLine("predictions (target):");
        var p = predictions.ToDoubleArray();
        var t = ys.ToDoubleArray();
        for (int i = 0; i < p.Length; i++)
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {p[i],9:F6}  ({t[i]:+0;-0})"));
        return losses;
    }

    /// <summary>
    /// A float64 <see cref="Sequential"/> of Linear and Tanh layers holding the scalar MLP's weights:
    /// neuron j of a scalar layer is row j of the Linear layer's weight (out, in) and entry j of its bias.
    /// </summary>
    public static Sequential FromScalar(MLP scalar)
    {
        var model = new Sequential();
        var state = new List<KeyValuePair<string, Tensor>>();
        foreach (var layer in scalar.Layers)
        {
            int index = model.Count;
            model.Add(new Linear(layer.InputCount, layer.OutputCount));
            model.Add(new Tanh()); // the course notes' MLP has tanh on every layer, the last included
            var neurons = layer.Neurons;
            var weight = neurons.SelectMany(n => n.Weights.Select(w => w.Data)).ToArray();
            var bias = neurons.Select(n => n.Bias.Data).ToArray();
            state.Add(new($"{index}.weight", Tensor.FromArray(weight, layer.OutputCount, layer.InputCount)));
            state.Add(new($"{index}.bias", Tensor.FromArray(bias, layer.OutputCount)));
        }
        model.Double();
        model.LoadStateDict(state);
        return model;
    }
}
