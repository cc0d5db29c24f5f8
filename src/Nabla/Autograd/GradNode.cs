namespace Nabla;

/// <summary>
/// One recorded operation in the graph: it remembers its inputs (and whatever it saved from the forward
/// pass) and, given the gradient of the loss with respect to its output, adds the gradient with respect
/// to each input. Every op defines its node next to its forward, in one file under <c>Ops/</c>.
/// </summary>
public abstract class GradNode
{
    private readonly Tensor[] inputs;

    /// <summary>Creates a node over the tensors the op read.</summary>
    protected GradNode(params Tensor[] inputs) => this.inputs = inputs;

    /// <summary>The op's name as shown in graphs and errors, PyTorch style (e.g. <c>MulBackward</c>).</summary>
    public abstract string Name { get; }

    /// <summary>The tensors this op read.</summary>
    public IReadOnlyList<Tensor> Inputs => inputs;

    /// <summary>The gradient flowing into this node's output, summed over its consumers while backward runs.</summary>
    internal Tensor? PendingGrad { get; set; }

    /// <summary>Whether input <paramref name="index"/> needs a gradient (so the backward can skip the work).</summary>
    protected bool NeedsGrad(int index) => inputs[index].RequiresGrad;

    /// <summary>
    /// Computes the input gradients from <paramref name="gradOutput"/> (same shape as the output) and
    /// passes each to <see cref="AccumulateGrad"/>. Runs with gradient recording off.
    /// </summary>
    protected internal abstract void Backward(Tensor gradOutput);

    /// <summary>
    /// Adds <paramref name="grad"/> to input <paramref name="index"/>'s gradient, first summing away the
    /// dims that broadcasting added (so ops may return the gradient in the output's broadcast shape).
    /// </summary>
    protected void AccumulateGrad(int index, Tensor grad)
    {
        var input = inputs[index];
        if (!input.RequiresGrad) return;
        grad = grad.SumToShape(input.shape);
        AutogradEngine.Accumulate(input, grad);
    }
}
