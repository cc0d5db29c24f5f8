using Nabla.NN;

namespace Nabla.Optim;

/// <summary>
/// Adam (<c>torch.optim.Adam</c>, PyTorch 1.13's update), with optional L2 weight decay and AMSGrad.
/// For each parameter p with gradient g, at step t (counted per parameter from 1):
/// <code>
/// g = (maximize ? -g : g) + weight_decay * p
/// m = beta1 * m + (1 - beta1) * g
/// v = beta2 * v + (1 - beta2) * g * g
/// vMax = max(vMax, v);  v̂ = amsgrad ? vMax : v
/// p = p - lr / (1 - beta1^t) * m / (sqrt(v̂) / sqrt(1 - beta2^t) + eps)
/// </code>
/// Options: <c>lr</c>, <c>beta1</c>, <c>beta2</c>, <c>eps</c>, <c>weight_decay</c>, <c>amsgrad</c>, <c>maximize</c>;
/// state: <c>step</c>, <c>exp_avg</c> (m), <c>exp_avg_sq</c> (v), <c>max_exp_avg_sq</c> (AMSGrad).
/// For weight decay decoupled from the gradient, use <see cref="AdamW"/>.
/// </summary>
public sealed class Adam : Optimizer
{
    /// <summary>Adam over <paramref name="parameters"/> (one group).</summary>
    /// <param name="parameters">The parameters to update.</param>
    /// <param name="lr">The learning rate (&gt;= 0).</param>
    /// <param name="betas">The decay rates of the first and second moment averages, each in [0, 1); default (0.9, 0.999).</param>
    /// <param name="eps">Added to the denominator for numerical stability (&gt;= 0).</param>
    /// <param name="weightDecay">L2 penalty added to the gradient as weightDecay * p (&gt;= 0).</param>
    /// <param name="amsgrad">Use the maximum of past second moments (AMSGrad, "On the Convergence of Adam and Beyond").</param>
    /// <param name="maximize">Maximize the objective instead of minimizing it.</param>
    /// <exception cref="ArgumentException">A value is out of range; the message names it.</exception>
    public Adam(IEnumerable<Parameter> parameters, double lr = 1e-3, (double Beta1, double Beta2)? betas = null, double eps = 1e-8,
        double weightDecay = 0, bool amsgrad = false, bool maximize = false)
        : this([new ParamGroup(parameters)], lr, betas, eps, weightDecay, amsgrad, maximize) { }

    /// <summary>Adam over several parameter groups; each group's own options override these defaults.</summary>
    /// <param name="groups">The parameter groups.</param>
    /// <param name="lr">The default learning rate.</param>
    /// <param name="betas">The default moment decay rates; default (0.9, 0.999).</param>
    /// <param name="eps">The default eps.</param>
    /// <param name="weightDecay">The default L2 penalty.</param>
    /// <param name="amsgrad">AMSGrad by default.</param>
    /// <param name="maximize">Maximize by default.</param>
    public Adam(IEnumerable<ParamGroup> groups, double lr = 1e-3, (double Beta1, double Beta2)? betas = null, double eps = 1e-8,
        double weightDecay = 0, bool amsgrad = false, bool maximize = false)
        : base(groups, AdamRule.Options(lr, betas ?? (0.9, 0.999), eps, weightDecay, amsgrad, maximize)) { }

    /// <inheritdoc/>
    protected override IReadOnlyList<string> StateBufferNames => AdamRule.BufferNames;

    /// <inheritdoc/>
    protected override bool HasStateBuffer(string name, Func<string, double> option) => AdamRule.HasBuffer(name, option);

    /// <inheritdoc/>
    protected override void StepGroup(ParamGroup group)
    {
        foreach (var p in group.ParameterArray)
        {
            var grad = GradientOf(p);
            if (grad is not null) AdamRule.Update(group, p, grad, StateOf(p), decoupled: false);
        }
    }
}
