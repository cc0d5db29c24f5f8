namespace Nabla.Optim;

/// <summary>What values a hyperparameter of an optimizer accepts; checked when a group is added or an option is set.</summary>
public enum OptionRule
{
    /// <summary>A finite number (e.g. SGD's dampening).</summary>
    Finite,

    /// <summary>A finite number &gt;= 0 (learning rate, momentum, weight decay, eps, ...).</summary>
    NonNegative,

    /// <summary>A number in [0, 1) (Adam's betas).</summary>
    Fraction,

    /// <summary>A switch stored as 0 (false) or 1 (true) (nesterov, amsgrad, centered, maximize).</summary>
    Flag,
}

/// <summary>
/// One hyperparameter of an optimizer: its name in the parameter groups (PyTorch's key, e.g. <c>weight_decay</c>),
/// its default value, the values it accepts, and the constructor argument it comes from (named in error messages).
/// </summary>
/// <param name="Name">The key in each <see cref="ParamGroup"/> and in the state dict (<c>param_groups.0.weight_decay</c>).</param>
/// <param name="Default">The value a group gets when it does not set this option.</param>
/// <param name="Rule">The values accepted.</param>
/// <param name="ArgumentName">The C# constructor argument (e.g. <c>weightDecay</c>), reported as the exception's ParamName.</param>
public readonly record struct OptimizerOption(string Name, double Default, OptionRule Rule, string ArgumentName)
{
    /// <summary>A switch option: <paramref name="value"/> stored as 1 or 0.</summary>
    public static OptimizerOption Flag(string name, bool value, string argumentName) => new(name, value ? 1 : 0, OptionRule.Flag, argumentName);
}
