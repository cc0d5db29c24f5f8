namespace Nabla.Examples.TwoLayerNet;

/// <summary>
/// The two-layer network with its backward pass derived by hand, as the course notes do in NumPy:
/// x -> h = x w1 -> h_relu = max(h, 0) -> y_pred = h_relu w2, cost = sum((y_pred - y)^2).
/// </summary>
public static class TwoLayerNetByHand
{
    /// <summary>Runs <paramref name="steps"/> steps of gradient descent, updating <paramref name="w1"/> and <paramref name="w2"/> in place; returns the cost at each step.</summary>
    public static float[] Train(Tensor x, Tensor y, Tensor w1, Tensor w2, int steps, float learningRate)
    {
        var costs = new float[steps];
        for (int t = 0; t < steps; t++)
        {
            var (cost, gradW1, gradW2) = CostAndGradients(x, y, w1, w2);
            costs[t] = cost;

            // Update the weights in place.
            w1.SubInPlace(learningRate * gradW1);
            w2.SubInPlace(learningRate * gradW2);
        }
        return costs;
    }

    /// <summary>The forward pass, the cost, and the gradients of the cost with respect to the weights, by the chain rule.</summary>
    /// <param name="x">Inputs (N, D_in).</param>
    /// <param name="y">Targets (N, D_out).</param>
    /// <param name="w1">First layer (D_in, H).</param>
    /// <param name="w2">Second layer (H, D_out).</param>
    /// <param name="notesReluBackward">Use the course notes' ReLU backward (wrong; kept to show that GradCheck catches it).</param>
    public static (float Cost, Tensor GradW1, Tensor GradW2) CostAndGradients(Tensor x, Tensor y, Tensor w1, Tensor w2,
                                                                             bool notesReluBackward = false)
    {
        // Forward pass: compute predicted y.
        var h = x.MatMul(w1);                 // (N, H)
        var hRelu = h.Relu();                 // (N, H)
        var yPred = hRelu.MatMul(w2);         // (N, D_out)

        // Cost: sum of squares.
        var diff = yPred - y;
        float cost = (diff * diff).Sum().Item();

        // Backward pass: the chain rule, one line per forward line, in reverse.
        var gradYPred = 2f * diff;                        // d cost / d y_pred   (N, D_out)
        var gradW2 = hRelu.T.MatMul(gradYPred);           // (H, D_out)
        var gradHRelu = gradYPred.MatMul(w2.T);           // (N, H)
        // ReLU passes the gradient where its input was positive and blocks it elsewhere: a MASK on h.
        // The notes write grad_h = np.maximum(grad_h_relu, 0), which clamps the gradient's own sign
        // instead: wrong wherever h <= 0 (the gradient leaks through) or the gradient is negative (it is lost).
        var gradH = notesReluBackward
            ? gradHRelu.Clamp(0f, null)                   // the notes' line, for comparison only
            : gradHRelu * h.Gt(0f);                       // (N, H)
        var gradW1 = x.T.MatMul(gradH);                   // (D_in, H)
        return (cost, gradW1, gradW2);
    }
}
