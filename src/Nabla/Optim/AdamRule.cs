using Nabla.Kernels;
using Nabla.NN;

namespace Nabla.Optim;

/// <summary>What <see cref="Adam"/> and <see cref="AdamW"/> share: options, state names, and the per-parameter update.</summary>
internal static class AdamRule
{
    public static readonly string[] BufferNames = ["exp_avg", "exp_avg_sq", "max_exp_avg_sq"];

    public static OptimizerOption[] Options(double lr, (double Beta1, double Beta2) betas, double eps, double weightDecay, bool amsgrad, bool maximize) =>
    [
        new("lr", lr, OptionRule.NonNegative, nameof(lr)),
        new("beta1", betas.Beta1, OptionRule.Fraction, nameof(betas)),
        new("beta2", betas.Beta2, OptionRule.Fraction, nameof(betas)),
        new("eps", eps, OptionRule.NonNegative, nameof(eps)),
        new("weight_decay", weightDecay, OptionRule.NonNegative, nameof(weightDecay)),
        OptimizerOption.Flag("amsgrad", amsgrad, nameof(amsgrad)),
        OptimizerOption.Flag("maximize", maximize, nameof(maximize)),
    ];

    public static bool HasBuffer(string name, Func<string, double> option) => name != "max_exp_avg_sq" || option("amsgrad") != 0;

    /// <summary>One Adam(W) step of <paramref name="p"/>: advances its step count and runs the fused kernel.</summary>
    public static void Update(ParamGroup group, Parameter p, Tensor grad, ParamState state, bool decoupled)
    {
        bool amsgrad = group.GetFlag("amsgrad");
        var expAvg = state.GetOrAdd("exp_avg", p);
        var expAvgSq = state.GetOrAdd("exp_avg_sq", p);
        var maxExpAvgSq = amsgrad ? state.GetOrAdd("max_exp_avg_sq", p) : null;
        long step = ++state.Step;
        double lr = group["lr"], beta1 = group["beta1"], beta2 = group["beta2"], eps = group["eps"], weightDecay = group["weight_decay"];
        bool maximize = group.GetFlag("maximize");
        if (p.DType == DType.Float64)
            AdamUpdate.Run(p.Span<double>(), grad.Span<double>(), expAvg.Span<double>(), expAvgSq.Span<double>(),
                maxExpAvgSq is null ? default : maxExpAvgSq.Span<double>(),
                step, lr, beta1, beta2, eps, weightDecay, decoupled, amsgrad, maximize);
        else
            AdamUpdate.Run(p.Span<float>(), grad.Span<float>(), expAvg.Span<float>(), expAvgSq.Span<float>(),
                maxExpAvgSq is null ? default : maxExpAvgSq.Span<float>(),
                step, lr, beta1, beta2, eps, weightDecay, decoupled, amsgrad, maximize);
    }
}
