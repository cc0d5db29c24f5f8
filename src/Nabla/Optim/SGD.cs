using Nabla.Kernels;
using Nabla.NN;

namespace Nabla.Optim;

/// <summary>
/// Stochastic gradient descent with optional momentum, dampening, Nesterov momentum and L2 weight decay
/// (<c>torch.optim.SGD</c>, PyTorch 1.13's update). For each parameter p with gradient g:
/// <code>
/// d = (maximize ? -g : g) + weight_decay * p
/// buf = d                                      (first step)
/// buf = momentum * buf + (1 - dampening) * d   (later steps)
/// d = nesterov ? d + momentum * buf : buf      (when momentum != 0)
/// p = p - lr * d
/// </code>
/// Options: <c>lr</c>, <c>momentum</c>, <c>dampening</c>, <c>weight_decay</c>, <c>nesterov</c>, <c>maximize</c>;
/// state: <c>momentum_buffer</c> (only with momentum). No step count is kept.
/// </summary>
public sealed class SGD : Optimizer
{
    private static readonly string[] BufferNames = ["momentum_buffer"];

    /// <summary>SGD over <paramref name="parameters"/> (one group).</summary>
    /// <param name="parameters">The parameters to update, e.g. <c>model.Parameters()</c>.</param>
    /// <param name="lr">The learning rate (&gt;= 0).</param>
    /// <param name="momentum">The momentum factor (&gt;= 0; 0 turns momentum off).</param>
    /// <param name="dampening">Dampening for momentum: the new gradient enters the buffer scaled by 1 - dampening.</param>
    /// <param name="weightDecay">L2 penalty added to the gradient as weightDecay * p (&gt;= 0).</param>
    /// <param name="nesterov">Nesterov momentum (needs momentum &gt; 0 and dampening = 0).</param>
    /// <param name="maximize">Maximize the objective instead of minimizing it.</param>
    /// <exception cref="ArgumentException">A value is out of range; the message names it.</exception>
    public SGD(IEnumerable<Parameter> parameters, double lr, double momentum = 0, double dampening = 0,
        double weightDecay = 0, bool nesterov = false, bool maximize = false)
        : this([new ParamGroup(parameters)], lr, momentum, dampening, weightDecay, nesterov, maximize) { }

    /// <summary>SGD over several parameter groups; each group's own options override these defaults.</summary>
    /// <param name="groups">The parameter groups.</param>
    /// <param name="lr">The default learning rate (&gt;= 0).</param>
    /// <param name="momentum">The default momentum factor (&gt;= 0).</param>
    /// <param name="dampening">The default dampening for momentum.</param>
    /// <param name="weightDecay">The default L2 penalty (&gt;= 0).</param>
    /// <param name="nesterov">Nesterov momentum by default.</param>
    /// <param name="maximize">Maximize by default.</param>
    public SGD(IEnumerable<ParamGroup> groups, double lr, double momentum = 0, double dampening = 0,
        double weightDecay = 0, bool nesterov = false, bool maximize = false)
        : base(groups,
        [
            new("lr", lr, OptionRule.NonNegative, nameof(lr)),
            new("momentum", momentum, OptionRule.NonNegative, nameof(momentum)),
            new("dampening", dampening, OptionRule.Finite, nameof(dampening)),
            new("weight_decay", weightDecay, OptionRule.NonNegative, nameof(weightDecay)),
            OptimizerOption.Flag("nesterov", nesterov, nameof(nesterov)),
            OptimizerOption.Flag("maximize", maximize, nameof(maximize)),
        ])
    { }

    /// <inheritdoc/>
    protected override bool CountsSteps => false;

    /// <inheritdoc/>
    protected override IReadOnlyList<string> StateBufferNames => BufferNames;

    /// <inheritdoc/>
    protected override bool HasStateBuffer(string name, Func<string, double> option) => option("momentum") != 0;

    /// <summary>Nesterov momentum needs momentum &gt; 0 and zero dampening (as PyTorch checks).</summary>
    protected override void CheckOptions(Func<string, double> option)
    {
        if (option("nesterov") != 0 && (option("momentum") <= 0 || option("dampening") != 0))
            throw new ArgumentException(
                $"SGD: nesterov momentum requires momentum > 0 and dampening = 0, got momentum = {Format(option("momentum"))}, dampening = {Format(option("dampening"))}.",
                "nesterov");
    }

    /// <inheritdoc/>
    protected override void StepGroup(ParamGroup group)
    {
        double lr = group["lr"], momentum = group["momentum"], dampening = group["dampening"], weightDecay = group["weight_decay"];
        bool nesterov = group.GetFlag("nesterov"), maximize = group.GetFlag("maximize");
        foreach (var p in group.ParameterArray)
        {
            var grad = GradientOf(p);
            if (grad is null) continue;
            Tensor? buffer = null;
            bool first = false;
            if (momentum != 0) buffer = StateOf(p).GetOrAdd("momentum_buffer", p, 0, out first);
            if (p.DType == DType.Float64)
                SgdUpdate.Run(p.Span<double>(), grad.Span<double>(), buffer is null ? default : buffer.Span<double>(),
                    lr, momentum, dampening, weightDecay, nesterov, maximize, first);
            else
                SgdUpdate.Run(p.Span<float>(), grad.Span<float>(), buffer is null ? default : buffer.Span<float>(),
                    lr, momentum, dampening, weightDecay, nesterov, maximize, first);
        }
    }
}
