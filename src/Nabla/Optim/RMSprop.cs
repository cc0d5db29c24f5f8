using Nabla.Kernels;
using Nabla.NN;

namespace Nabla.Optim;

/// <summary>
/// RMSprop (<c>torch.optim.RMSprop</c>, PyTorch 1.13's update), optionally centered and with momentum.
/// For each parameter p with gradient g:
/// <code>
/// g = (maximize ? -g : g) + weight_decay * p
/// sq = alpha * sq + (1 - alpha) * g * g
/// ga = alpha * ga + (1 - alpha) * g                      (centered)
/// avg = sqrt(sq - ga * ga) + eps   (centered)   or   sqrt(sq) + eps
/// buf = momentum * buf + g / avg;  p = p - lr * buf      (momentum &gt; 0)
/// p = p - lr * g / avg                                    (otherwise)
/// </code>
/// Options: <c>lr</c>, <c>momentum</c>, <c>alpha</c>, <c>eps</c>, <c>centered</c>, <c>weight_decay</c>, <c>maximize</c>;
/// state: <c>step</c>, <c>square_avg</c>, <c>momentum_buffer</c> (momentum &gt; 0), <c>grad_avg</c> (centered).
/// </summary>
public sealed class RMSprop : Optimizer
{
    private static readonly string[] BufferNames = ["square_avg", "momentum_buffer", "grad_avg"];

    /// <summary>RMSprop over <paramref name="parameters"/> (one group).</summary>
    /// <param name="parameters">The parameters to update.</param>
    /// <param name="lr">The learning rate (&gt;= 0).</param>
    /// <param name="alpha">The smoothing constant of the squared-gradient average (&gt;= 0).</param>
    /// <param name="eps">Added to the denominator for numerical stability (&gt;= 0).</param>
    /// <param name="weightDecay">L2 penalty added to the gradient as weightDecay * p (&gt;= 0).</param>
    /// <param name="momentum">The momentum factor (&gt;= 0; 0 turns momentum off).</param>
    /// <param name="centered">Normalize by an estimate of the gradient's variance instead of its second moment.</param>
    /// <param name="maximize">Maximize the objective instead of minimizing it.</param>
    /// <exception cref="ArgumentException">A value is out of range; the message names it.</exception>
    public RMSprop(IEnumerable<Parameter> parameters, double lr = 1e-2, double alpha = 0.99, double eps = 1e-8,
        double weightDecay = 0, double momentum = 0, bool centered = false, bool maximize = false)
        : this([new ParamGroup(parameters)], lr, alpha, eps, weightDecay, momentum, centered, maximize) { }

    /// <summary>RMSprop over several parameter groups; each group's own options override these defaults.</summary>
    /// <param name="groups">The parameter groups.</param>
    /// <param name="lr">The default learning rate.</param>
    /// <param name="alpha">The default smoothing constant.</param>
    /// <param name="eps">The default eps.</param>
    /// <param name="weightDecay">The default L2 penalty.</param>
    /// <param name="momentum">The default momentum factor.</param>
    /// <param name="centered">Centered by default.</param>
    /// <param name="maximize">Maximize by default.</param>
    public RMSprop(IEnumerable<ParamGroup> groups, double lr = 1e-2, double alpha = 0.99, double eps = 1e-8,
        double weightDecay = 0, double momentum = 0, bool centered = false, bool maximize = false)
        : base(groups,
        [
            new("lr", lr, OptionRule.NonNegative, nameof(lr)),
            new("momentum", momentum, OptionRule.NonNegative, nameof(momentum)),
            new("alpha", alpha, OptionRule.NonNegative, nameof(alpha)),
            new("eps", eps, OptionRule.NonNegative, nameof(eps)),
            OptimizerOption.Flag("centered", centered, nameof(centered)),
            new("weight_decay", weightDecay, OptionRule.NonNegative, nameof(weightDecay)),
            OptimizerOption.Flag("maximize", maximize, nameof(maximize)),
        ])
    { }

    /// <inheritdoc/>
    protected override IReadOnlyList<string> StateBufferNames => BufferNames;

    /// <inheritdoc/>
    protected override bool HasStateBuffer(string name, Func<string, double> option) => name switch
    {
        "momentum_buffer" => option("momentum") > 0,
        "grad_avg" => option("centered") != 0,
        _ => true,
    };

    /// <inheritdoc/>
    protected override void StepGroup(ParamGroup group)
    {
        double lr = group["lr"], alpha = group["alpha"], eps = group["eps"], weightDecay = group["weight_decay"], momentum = group["momentum"];
        bool centered = group.GetFlag("centered"), maximize = group.GetFlag("maximize");
        foreach (var p in group.ParameterArray)
        {
            var grad = GradientOf(p);
            if (grad is null) continue;
            var state = StateOf(p);
            var squareAvg = state.GetOrAdd("square_avg", p);
            var buffer = momentum > 0 ? state.GetOrAdd("momentum_buffer", p) : null;
            var gradAvg = centered ? state.GetOrAdd("grad_avg", p) : null;
            AdvanceStep(state);
            if (p.DType == DType.Float64)
                RmspropUpdate.Run(p.Span<double>(), grad.Span<double>(), squareAvg.Span<double>(),
                    gradAvg is null ? default : gradAvg.Span<double>(), buffer is null ? default : buffer.Span<double>(),
                    lr, alpha, eps, weightDecay, momentum, centered, maximize);
            else
                RmspropUpdate.Run(p.Span<float>(), grad.Span<float>(), squareAvg.Span<float>(),
                    gradAvg is null ? default : gradAvg.Span<float>(), buffer is null ? default : buffer.Span<float>(),
                    lr, alpha, eps, weightDecay, momentum, centered, maximize);
        }
    }
}
