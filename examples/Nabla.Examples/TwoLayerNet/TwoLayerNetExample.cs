namespace Nabla.Examples.TwoLayerNet;

/// <summary>
/// The seed program: a two-layer ReLU network fitted to random data by plain gradient descent,
/// once with gradients derived by hand and once with autograd. Both print the same costs.
/// </summary>
public sealed class TwoLayerNetExample : IExample
{
    /// <summary>Batch size, input, hidden and output sizes, as in the course notes.</summary>
    public const int N = 64, DIn = 1000, H = 100, DOut = 10;
    private const int Steps = 500;
    private const float LearningRate = 1e-6f;

    /// <inheritdoc/>
    public string Name => "two-layer-net";

    /// <inheritdoc/>
    public string Description => "The seed two-layer ReLU net, 500 steps: hand-derived gradients and autograd side by side.";

    /// <summary>Random data and weights from one seed, so that both versions start from the same point.</summary>
    public static (Tensor X, Tensor Y, Tensor W1, Tensor W2) MakeProblem(int seed)
    {
        var g = new Generator(seed);
        return (Tensor.Randn([N, DIn], g), Tensor.Randn([N, DOut], g), Tensor.Randn([DIn, H], g), Tensor.Randn([H, DOut], g));
    }

    /// <inheritdoc/>
    public int Run(ExampleContext context)
    {
        var (x, y, w1, w2) = MakeProblem(context.Seed);
        var byHand = TwoLayerNetByHand.Train(x, y, w1.Clone(), w2.Clone(), Steps, LearningRate);

        var w1a = w1.Clone();
        var w2a = w2.Clone();
        w1a.RequiresGrad = true;
        w2a.RequiresGrad = true;
        var autograd = TwoLayerNetAutograd.Train(x, y, w1a, w2a, Steps, LearningRate);

        context.Out.WriteLine($"{"t",4}  {"cost (by hand)",16}  {"cost (autograd)",16}");
        for (int t = 0; t < Steps; t++)
            if (t < 10 || t % 50 == 49 || t == Steps - 1)
                context.Out.WriteLine($"{t,4}  {byHand[t],16:G7}  {autograd[t],16:G7}");
        double maxRel = 0;
        for (int t = 0; t < Steps; t++)
            maxRel = Math.Max(maxRel, Math.Abs(byHand[t] - autograd[t]) / Math.Max(Math.Abs(byHand[t]), 1e-12));
        context.Out.WriteLine($"largest relative difference between the two columns: {maxRel:G3}");
        return maxRel < 1e-4 ? 0 : 1;
    }
}
