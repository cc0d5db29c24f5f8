using BenchmarkDotNet.Attributes;
using Nabla.NN;

namespace Nabla.Bench;

/// <summary>
/// Batch norm and layer norm, forward + backward in float32: the fused ops (one node each, hand-written backward)
/// against the same computation composed from Mean/Sub/Mul/Sqrt/Div, which is what justifies fusing them.
/// </summary>
[MemoryDiagnoser]
public class NormBenchmarks
{
    private const float Eps = 1e-5f;
    private Tensor x = null!, dy = null!, w = null!, b = null!;      // (N, C) = (256, 512) for batch norm
    private Tensor rows = null!, dRows = null!, lw = null!, lb = null!; // (rows, D) = (512, 256) for layer norm

    [GlobalSetup]
    public void Setup()
    {
        var g = new Generator(0);
        x = Tensor.Randn([256, 512], g);
        dy = Tensor.Randn([256, 512], g);
        w = new Parameter(Tensor.Rand([512], g));
        b = new Parameter(Tensor.Randn([512], g));
        rows = Tensor.Randn([512, 256], g);
        dRows = Tensor.Randn([512, 256], g);
        lw = new Parameter(Tensor.Rand([256], g));
        lb = new Parameter(Tensor.Randn([256], g));
        x.RequiresGrad = rows.RequiresGrad = true;
    }

    [Benchmark]
    public Tensor? BatchNormFused()
    {
        Clear(x, w, b);
        Functional.BatchNorm(x, null, null, w, b, training: true).Backward(dy);
        return x.Grad;
    }

    [Benchmark]
    public Tensor? BatchNormComposite()
    {
        Clear(x, w, b);
        var mean = x.Mean(0, keepDim: true);
        var centered = x - mean;
        var variance = (centered * centered).Mean(0, keepDim: true);
        (centered / (variance + Eps).Sqrt() * w + b).Backward(dy);
        return x.Grad;
    }

    [Benchmark]
    public Tensor? LayerNormFused()
    {
        Clear(rows, lw, lb);
        Functional.LayerNorm(rows, [256], lw, lb).Backward(dRows);
        return rows.Grad;
    }

    [Benchmark]
    public Tensor? LayerNormComposite()
    {
        Clear(rows, lw, lb);
        var mean = rows.Mean(-1, keepDim: true);
        var centered = rows - mean;
        var variance = (centered * centered).Mean(-1, keepDim: true);
        (centered / (variance + Eps).Sqrt() * lw + lb).Backward(dRows);
        return rows.Grad;
    }

    private static void Clear(params Tensor[] tensors)
    {
        foreach (var t in tensors) t.ZeroGrad();
    }
}
