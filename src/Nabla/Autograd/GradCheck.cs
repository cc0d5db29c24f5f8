using System.Text;

namespace Nabla.Autograd;

/// <summary>The outcome of <see cref="GradCheck.Check"/>: whether analytic and numerical gradients agree, and where not.</summary>
/// <param name="Passed">True when every checked element agreed within tolerance.</param>
/// <param name="MaxAbsError">The largest |analytic - numerical| over all checked elements.</param>
/// <param name="Message">A summary, naming the first elements that disagreed.</param>
public sealed record GradCheckResult(bool Passed, double MaxAbsError, string Message)
{
    /// <inheritdoc/>
    public override string ToString() => Message;
}

/// <summary>
/// Compares the gradients computed by <see cref="Tensor.Backward(Tensor?)"/> with central differences,
/// (f(x + eps) - f(x - eps)) / 2 eps, in double precision, like <c>torch.autograd.gradcheck</c>.
/// </summary>
public static class GradCheck
{
    /// <summary>
    /// Checks <paramref name="function"/> at <paramref name="inputs"/>. The inputs are converted to float64 leaves;
    /// those with <see cref="Tensor.RequiresGrad"/> set are checked (all of them if none is set). A non-scalar output
    /// is reduced to a scalar by a fixed random weighting, which checks the whole vector-Jacobian product.
    /// </summary>
    /// <param name="function">The computation, from the inputs to an output tensor.</param>
    /// <param name="inputs">The point at which to check.</param>
    /// <param name="eps">The finite-difference step.</param>
    /// <param name="atol">Absolute tolerance.</param>
    /// <param name="rtol">Relative tolerance (to the numerical gradient's magnitude).</param>
    public static GradCheckResult Check(Func<Tensor[], Tensor> function, Tensor[] inputs,
                                        double eps = 1e-6, double atol = 1e-5, double rtol = 1e-3)
    {
        bool anyMarked = inputs.Any(t => t.RequiresGrad);
        var checkedInputs = new bool[inputs.Length];
        var x = new Tensor[inputs.Length];
        for (int i = 0; i < inputs.Length; i++)
        {
            checkedInputs[i] = !anyMarked || inputs[i].RequiresGrad;
            // A fresh float64 leaf with its own contiguous storage, so perturbing it touches nothing else.
            using (Tensor.NoGrad()) x[i] = inputs[i].Detach().Double().Clone();
            x[i].RequiresGrad = checkedInputs[i];
        }

        // A fixed random weighting of the outputs turns any output into a scalar to differentiate.
        var output = function(x);
        var weights = Tensor.Randn(output.shape.ToArray(), new Generator(12345)).Double();
        double Objective()
        {
            using var _ = Tensor.NoGrad();
            return (function(x) * weights).Sum().ItemAsDouble();
        }

        if (!output.RequiresGrad)
            return new GradCheckResult(false, double.PositiveInfinity, "GradCheck: the output does not depend on any checked input (no grad_fn).");
        (output * weights).Sum().Backward();
        var analytic = new Tensor?[x.Length];
        for (int i = 0; i < x.Length; i++)
            if (checkedInputs[i]) analytic[i] = x[i].Grad ?? Tensor.ZerosLike(x[i]);
        return Compare(Objective, x, analytic, eps, atol, rtol);
    }

    /// <summary>
    /// Checks gradients computed some other way, for example derived by hand: <paramref name="claimedGradients"/>[i]
    /// is compared with the central-difference gradient of the scalar <paramref name="loss"/> with respect to
    /// <paramref name="inputs"/>[i] (null entries are skipped). This is how a hand-written backward pass is tested.
    /// </summary>
    /// <param name="loss">Computes the scalar loss from the inputs.</param>
    /// <param name="inputs">The point at which to check (converted to float64 copies).</param>
    /// <param name="claimedGradients">The gradients to check, shaped like the inputs.</param>
    /// <param name="eps">The finite-difference step.</param>
    /// <param name="atol">Absolute tolerance.</param>
    /// <param name="rtol">Relative tolerance.</param>
    /// <param name="maxElementsPerInput">Checks at most this many elements of each input (spread evenly), to bound the cost on large tensors.</param>
    public static GradCheckResult CheckGradients(Func<Tensor[], Tensor> loss, Tensor[] inputs, Tensor?[] claimedGradients,
                                                 double eps = 1e-6, double atol = 1e-5, double rtol = 1e-3, int maxElementsPerInput = int.MaxValue)
    {
        if (claimedGradients.Length != inputs.Length)
            throw new ArgumentException($"CheckGradients: {inputs.Length} inputs but {claimedGradients.Length} gradients.");
        var x = new Tensor[inputs.Length];
        using (Tensor.NoGrad())
            for (int i = 0; i < inputs.Length; i++) x[i] = inputs[i].Detach().Double().Clone();
        double Objective()
        {
            using var _ = Tensor.NoGrad();
            var value = loss(x);
            if (value.NumEl != 1) throw new ArgumentException($"CheckGradients: the loss must be a scalar, got shape {Shapes.Format(value.shape)}.");
            return value.ItemAsDouble();
        }
        return Compare(Objective, x, claimedGradients, eps, atol, rtol, maxElementsPerInput);
    }

    private static GradCheckResult Compare(Func<double> objective, Tensor[] x, Tensor?[] analyticGrads,
                                           double eps, double atol, double rtol, int maxElementsPerInput = int.MaxValue)
    {
        var report = new StringBuilder();
        double maxError = 0;
        int failures = 0;
        for (int i = 0; i < x.Length; i++)
        {
            if (analyticGrads[i] is not Tensor claimed) continue;
            if (!Shapes.Equal(claimed.shape, x[i].shape))
                throw new ArgumentException($"GradCheck: gradient {i} has shape {Shapes.Format(claimed.shape)} but the input has {Shapes.Format(x[i].shape)}.");
            var data = x[i].Buffer<double>();
            var analytic = claimed.ToDoubleArray();
            int stride = Math.Max(1, data.Length / Math.Max(1, maxElementsPerInput));
            for (int j = 0; j < data.Length; j += stride)
            {
                double saved = data[j];
                data[j] = saved + eps;
                double plus = objective();
                data[j] = saved - eps;
                double minus = objective();
                data[j] = saved;
                double numeric = (plus - minus) / (2 * eps);
                double error = Math.Abs(analytic[j] - numeric);
                maxError = Math.Max(maxError, error);
                if (error > atol + rtol * Math.Abs(numeric) || double.IsNaN(error))
                {
                    if (failures++ < 5)
                        report.AppendLine($"  input {i} element {j}: analytic {analytic[j]:G8}, numerical {numeric:G8}");
                }
            }
        }
        bool passed = failures == 0;
        string message = passed
            ? $"GradCheck passed: max abs error {maxError:G3}."
            : $"GradCheck failed: {failures} element(s) disagree (max abs error {maxError:G3}):\n{report}";
        return new GradCheckResult(passed, maxError, message);
    }
}
