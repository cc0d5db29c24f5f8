namespace Nabla.Examples.TwoLayerNet;

/// <summary>The same two-layer network, with the backward pass left to autograd.</summary>
public static class TwoLayerNetAutograd
{
    /// <summary>Runs <paramref name="steps"/> steps of gradient descent on <paramref name="w1"/> and <paramref name="w2"/> (which require grad); returns the cost at each step.</summary>
    public static float[] Train(Tensor x, Tensor y, Tensor w1, Tensor w2, int steps, float learningRate)
    {
        var costs = new float[steps];
        for (int t = 0; t < steps; t++)
        {
            // Forward pass: the same three lines; every op records how to differentiate itself.
            var yPred = x.MatMul(w1).Relu().MatMul(w2);
            var diff = yPred - y;
            var cost = (diff * diff).Sum();
            costs[t] = cost.Item();

            // Backward pass: one call fills w1.Grad and w2.Grad.
            cost.Backward();

            // Update outside the graph, then clear the gradients (they accumulate otherwise).
            using (Tensor.NoGrad())
            {
                w1.SubInPlace(learningRate * w1.Grad!);
                w2.SubInPlace(learningRate * w2.Grad!);
            }
            w1.ZeroGrad();
            w2.ZeroGrad();
        }
        return costs;
    }
}
