namespace Nabla.Training;

/// <summary>Counts correct predictions of a batch, for accuracy.</summary>
public static class Metrics
{
    /// <summary>
    /// The number of correct predictions in a batch. Multi-class outputs (N, C) with C &gt; 1 are compared by
    /// arg-max with class-index targets (N,). Single-output models (N,) or (N, 1) are binary: a prediction is
    /// positive when the output exceeds <paramref name="binaryThreshold"/> (0 for logits, as with
    /// BCEWithLogitsLoss; use 0.5 after a sigmoid).
    /// </summary>
    /// <exception cref="ArgumentException">The batch sizes of output and target differ.</exception>
    public static int CountCorrect(Tensor output, Tensor target, float binaryThreshold = 0f)
    {
        int n = output.Rank == 0 ? 1 : output.Shape[0];
        var t = target.ToArray();
        if (t.Length != n)
            throw new ArgumentException($"Accuracy: the output has {n} samples (shape ({string.Join(", ", output.Shape)})) but the target has {t.Length} values.");
        int correct = 0;
        if (output.Rank == 2 && output.Shape[1] > 1)
        {
            var predicted = output.ArgMax(1).ToArray();
            for (int i = 0; i < n; i++) if (predicted[i] == t[i]) correct++;
        }
        else
        {
            var o = output.ToArray();
            for (int i = 0; i < n; i++) if ((o[i] > binaryThreshold ? 1f : 0f) == t[i]) correct++;
        }
        return correct;
    }
}
