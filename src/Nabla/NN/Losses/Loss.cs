namespace Nabla.NN;

/// <summary>How a loss combines its per-element values (PyTorch's <c>reduction</c> argument).</summary>
public enum Reduction
{
    /// <summary>The mean over the elements (for weighted class losses: the sum divided by the sum of the weights used).</summary>
    Mean,
    /// <summary>The sum over the elements.</summary>
    Sum,
    /// <summary>No reduction: one value per element (or per sample for class losses).</summary>
    None,
}

/// <summary>
/// The base of the loss functions: a criterion comparing a prediction with a target, <c>loss.Forward(input, target)</c>
/// (or <c>loss.Call(input, target)</c>, PyTorch's <c>criterion(input, target)</c>). Losses hold only settings, no
/// parameters, so unlike PyTorch they are not modules; each has a stateless twin in <see cref="Functional"/>.
/// </summary>
public abstract class Loss
{
    /// <summary>Sets how the per-element values are combined.</summary>
    protected Loss(Reduction reduction)
    {
        if (!Enum.IsDefined(reduction))
            throw new ArgumentOutOfRangeException(nameof(reduction), $"{GetType().Name}: unknown reduction {(int)reduction}.");
        Reduction = reduction;
    }

    /// <summary>How the per-element values are combined.</summary>
    public Reduction Reduction { get; }

    /// <summary>Computes the loss of <paramref name="input"/> (the prediction) against <paramref name="target"/>.</summary>
    public abstract Tensor Forward(Tensor input, Tensor target);

    /// <summary>Calls <see cref="Forward"/>: <c>criterion.Call(logits, labels)</c>.</summary>
    public Tensor Call(Tensor input, Tensor target) => Forward(input, target);

    /// <summary>The loss's name and its non-default settings, e.g. <c>CrossEntropyLoss(label_smoothing=0.1)</c>.</summary>
    public override string ToString() => $"{GetType().Name}({ExtraRepr()})";

    /// <summary>The settings shown by <see cref="ToString"/>; by default the reduction when it is not the mean.</summary>
    protected virtual string ExtraRepr() => Reduction == Reduction.Mean ? "" : $"reduction='{Reduction.ToString().ToLowerInvariant()}'";
}

public static partial class Functional
{
    /// <summary>Applies <paramref name="reduction"/> to elementwise losses: their mean, their sum, or the tensor itself.</summary>
    internal static Tensor Reduce(Tensor loss, Reduction reduction) => reduction switch
    {
        Reduction.Mean => loss.Mean(),
        Reduction.Sum => loss.Sum(),
        Reduction.None => loss,
        _ => throw new ArgumentOutOfRangeException(nameof(reduction), $"Unknown reduction {(int)reduction}."),
    };

    /// <summary>Throws unless input and target have the same shape, naming both (PyTorch only warns, then broadcasts, which hides bugs).</summary>
    internal static void CheckSameShape(string loss, Tensor input, Tensor target)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(target);
        if (!Shapes.Equal(input.shape, target.shape))
            throw new ArgumentException(
                $"{loss}: the input has shape {Shapes.Format(input.shape)} but the target has shape {Shapes.Format(target.shape)}; they must be the same.");
    }
}
