namespace Nabla.NN;

public abstract partial class Module
{
    /// <summary>
    /// Describes the model layer by layer, like torchinfo's <c>summary(model, input_size)</c> or Keras'
    /// <c>model.summary()</c>: it runs one forward pass on zeros of shape <paramref name="inputShape"/> (batch dim
    /// included) without recording gradients, and returns a table of every module with its output shape and
    /// parameter count, followed by the totals. Print it with <c>Console.WriteLine(model.Summary(1, 784))</c>.
    /// </summary>
    /// <remarks>
    /// The pass runs in evaluation mode (so batch norm's running statistics are not updated and dropout is off);
    /// each module's training mode is restored afterwards. A module's output shape is known when it was called
    /// through <see cref="Call"/> (as <see cref="Sequential"/> calls its children); one called through
    /// <see cref="Forward"/> directly shows "--". The zeros have the dtype of the model's parameters.
    /// </remarks>
    /// <param name="inputShape">The input's shape, batch dim first, e.g. <c>(2, 784)</c>.</param>
    /// <exception cref="ArgumentException">The forward pass rejects the input (the message comes from the layer at fault).</exception>
    public ModelSummary Summary(params int[] inputShape)
    {
        ArgumentNullException.ThrowIfNull(inputShape);
        var modules = NamedModules().ToList();
        var modes = new bool[modules.Count];
        for (int i = 0; i < modules.Count; i++) modes[i] = modules[i].Module.IsTraining;
        var dtype = DType.Float32;
        foreach (var p in Parameters()) { dtype = p.DType; break; }

        var recorder = new SummaryRecorder();
        var previous = SummaryRecorder.Current;
        SummaryRecorder.Current = recorder;
        Tensor output;
        try
        {
            Eval();
            using (Tensor.NoGrad()) output = Call(Tensor.Zeros(dtype, inputShape));
        }
        finally
        {
            SummaryRecorder.Current = previous;
            for (int i = 0; i < modules.Count; i++) modules[i].Module.IsTraining = modes[i];
        }

        var rows = new List<SummaryRow>(modules.Count);
        foreach (var (name, module) in modules)
        {
            long own = 0;
            foreach (var (_, p) in module.parameters)
                if (p is not null) own += p.NumEl;
            int depth = name.Length == 0 ? 0 : name.Split('.').Length;
            rows.Add(new SummaryRow(name, module.GetType().Name, depth, recorder.OutputShape(module), own));
        }

        long total = 0, trainable = 0, paramBytes = 0, bufferBytes = 0;
        foreach (var p in Parameters())
        {
            total += p.NumEl;
            if (p.RequiresGrad) trainable += p.NumEl;
            paramBytes += (long)p.NumEl * ElementSize(p.DType);
        }
        foreach (var (_, b) in NamedBuffers()) bufferBytes += (long)b.NumEl * ElementSize(b.DType);
        long inputBytes = (long)Shapes.NumEl(inputShape) * ElementSize(dtype);
        return new ModelSummary(rows, (int[])inputShape.Clone(), output.Shape.ToArray(), total, trainable, inputBytes, paramBytes, bufferBytes);
    }

    private static int ElementSize(DType dtype) => dtype == DType.Float64 ? sizeof(double) : sizeof(float);
}

/// <summary>Collects each module's output shape while <see cref="Module.Summary"/> runs its forward pass (on this thread only).</summary>
internal sealed class SummaryRecorder
{
    [ThreadStatic] private static SummaryRecorder? current;

    private readonly Dictionary<Module, int[]> shapes = new(ReferenceEqualityComparer.Instance);

    /// <summary>The recorder of the summary running on this thread, or null (the usual case: one field read per call).</summary>
    public static SummaryRecorder? Current
    {
        get => current;
        set => current = value;
    }

    /// <summary>Remembers the first output of <paramref name="module"/> (a module used twice keeps its first shape).</summary>
    public void Record(Module module, Tensor output) => shapes.TryAdd(module, output.Shape.ToArray());

    public int[]? OutputShape(Module module) => shapes.GetValueOrDefault(module);
}
