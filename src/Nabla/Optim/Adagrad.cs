using Nabla.Kernels;
using Nabla.NN;

namespace Nabla.Optim;

/// <summary>
/// Adagrad (<c>torch.optim.Adagrad</c>, PyTorch 1.13's dense update). For each parameter p with gradient g,
/// at step t (counted per parameter from 1):
/// <code>
/// g = (maximize ? -g : g) + weight_decay * p
/// clr = lr / (1 + (t - 1) * lr_decay)
/// sum = sum + g * g                      (sum starts at initial_accumulator_value)
/// p = p - clr * g / (sqrt(sum) + eps)
/// </code>
/// Options: <c>lr</c>, <c>lr_decay</c>, <c>eps</c>, <c>weight_decay</c>, <c>initial_accumulator_value</c>,
/// <c>maximize</c>; state: <c>step</c>, <c>sum</c>. As in PyTorch, the state of every parameter is made when
/// its group is added (step 0, sum filled with the group's initial_accumulator_value).
/// </summary>
public sealed class Adagrad : Optimizer
{
    private static readonly string[] BufferNames = ["sum"];

    /// <summary>Adagrad over <paramref name="parameters"/> (one group).</summary>
    /// <param name="parameters">The parameters to update.</param>
    /// <param name="lr">The learning rate (&gt;= 0).</param>
    /// <param name="lrDecay">The learning-rate decay per step (&gt;= 0).</param>
    /// <param name="weightDecay">L2 penalty added to the gradient as weightDecay * p (&gt;= 0).</param>
    /// <param name="initialAccumulatorValue">The starting value of the sum of squared gradients (&gt;= 0).</param>
    /// <param name="eps">Added to the denominator for numerical stability (&gt;= 0).</param>
    /// <param name="maximize">Maximize the objective instead of minimizing it.</param>
    /// <exception cref="ArgumentException">A value is out of range; the message names it.</exception>
    public Adagrad(IEnumerable<Parameter> parameters, double lr = 1e-2, double lrDecay = 0, double weightDecay = 0,
        double initialAccumulatorValue = 0, double eps = 1e-10, bool maximize = false)
        : this([new ParamGroup(parameters)], lr, lrDecay, weightDecay, initialAccumulatorValue, eps, maximize) { }

    /// <summary>Adagrad over several parameter groups; each group's own options override these defaults.</summary>
    /// <param name="groups">The parameter groups.</param>
    /// <param name="lr">The default learning rate.</param>
    /// <param name="lrDecay">The default learning-rate decay.</param>
    /// <param name="weightDecay">The default L2 penalty.</param>
    /// <param name="initialAccumulatorValue">The default starting value of the sum.</param>
    /// <param name="eps">The default eps.</param>
    /// <param name="maximize">Maximize by default.</param>
    public Adagrad(IEnumerable<ParamGroup> groups, double lr = 1e-2, double lrDecay = 0, double weightDecay = 0,
        double initialAccumulatorValue = 0, double eps = 1e-10, bool maximize = false)
        : base(groups,
        [
            new("lr", lr, OptionRule.NonNegative, nameof(lr)),
            new("lr_decay", lrDecay, OptionRule.NonNegative, nameof(lrDecay)),
            new("eps", eps, OptionRule.NonNegative, nameof(eps)),
            new("weight_decay", weightDecay, OptionRule.NonNegative, nameof(weightDecay)),
            new("initial_accumulator_value", initialAccumulatorValue, OptionRule.NonNegative, nameof(initialAccumulatorValue)),
            OptimizerOption.Flag("maximize", maximize, nameof(maximize)),
        ])
    {
        foreach (var group in ParamGroups) InitializeState(group);
    }

    /// <inheritdoc/>
    protected override IReadOnlyList<string> StateBufferNames => BufferNames;

    /// <inheritdoc/>
    protected override bool HasStateBuffer(string name, Func<string, double> option) => true;

    /// <summary>Makes the state of the new group's parameters, as the constructor does.</summary>
    protected override void OnParamGroupAdded(ParamGroup group) => InitializeState(group);

    private void InitializeState(ParamGroup group)
    {
        double init = group["initial_accumulator_value"];
        foreach (var p in group.ParameterArray) StateOf(p).GetOrAdd("sum", p, init, out _);
    }

    /// <inheritdoc/>
    protected override void StepGroup(ParamGroup group)
    {
        double lr = group["lr"], lrDecay = group["lr_decay"], eps = group["eps"], weightDecay = group["weight_decay"];
        double init = group["initial_accumulator_value"];
        bool maximize = group.GetFlag("maximize");
        foreach (var p in group.ParameterArray)
        {
            var grad = GradientOf(p);
            if (grad is null) continue;
            var state = StateOf(p);
            var sum = state.GetOrAdd("sum", p, init, out _);
            long step = AdvanceStep(state);
            if (p.DType == DType.Float64)
                AdagradUpdate.Run(p.Span<double>(), grad.Span<double>(), sum.Span<double>(), step, lr, lrDecay, eps, weightDecay, maximize);
            else
                AdagradUpdate.Run(p.Span<float>(), grad.Span<float>(), sum.Span<float>(), step, lr, lrDecay, eps, weightDecay, maximize);
        }
    }
}
