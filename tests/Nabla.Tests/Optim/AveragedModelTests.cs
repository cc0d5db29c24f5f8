using Nabla.NN;
using Nabla.Optim;

namespace Nabla.Tests.Optim;

/// <summary>The exponential moving average of a model's weights and the recomputed batch-norm statistics.</summary>
public class AveragedModelTests
{
    private static Sequential Net(int seed) => new(new Linear(3, 4, generator: new Generator(seed)), new BatchNorm1d(4), new ReLU());

    [Fact]
    public void UpdateMovesEachWeightByOneMinusDecayTowardsTheModel()
    {
        var model = Net(1);
        var average = new AveragedModel(model, Net(2), decay: 0.75);
        var start = model.StateDict().Select(kv => kv.Value.ToArray()).ToList();
        Assert.Equal(start, average.Module.StateDict().Select(kv => kv.Value.ToArray()).ToList());

        using (Tensor.NoGrad())
            foreach (var p in model.Parameters()) p.AddInPlace(Tensor.OnesLike(p), 4f);   // every weight + 4
        average.Update();
        average.Update();

        // Two updates towards a model 4 higher: 4 * (1 - 0.75^2) = 1.75 above the start.
        var names = model.NamedParameters().Select(p => p.Name).ToHashSet();
        var state = average.Module.StateDict();
        for (int i = 0; i < state.Count; i++)
        {
            float shift = names.Contains(state[i].Key) ? 1.75f : 0f;   // buffers keep their copied values
            var expected = start[i].Select(v => v + shift).ToArray();
            Assert.Equal(expected, state[i].Value.ToArray(), (x, y) => Math.Abs(x - y) < 1e-6f);
        }
        Assert.Equal(2, average.Updates);
    }

    [Fact]
    public void AveragedBuffersFollowTheModelButTheBatchCounterIsCopied()
    {
        var model = Net(1);
        var average = new AveragedModel(model, Net(2), decay: 0.5, averageBuffers: true);
        var norm = (BatchNorm1d)model.Modules().OfType<BatchNorm1d>().Single();
        model.Forward(Tensor.Randn([8, 3], new Generator(3)) * 3f + 2f);   // moves running_mean/var, counter 1
        average.Update();
        var averaged = average.Module.Modules().OfType<BatchNorm1d>().Single();
        var expectedMean = norm.RunningMean!.ToArray().Select(m => 0.5f * m).ToArray();   // 0.5 * 0 + 0.5 * m
        Assert.Equal(expectedMean, averaged.RunningMean!.ToArray(), (x, y) => Math.Abs(x - y) < 1e-6f);
        Assert.Equal(1f, averaged.NumBatchesTracked!.ToArray()[0]);
    }

    [Fact]
    public void UpdateBatchNormGivesThePlainMeanOverTheBatchesAndRestoresMomentumAndMode()
    {
        var model = new Sequential(new BatchNorm1d(2, momentum: 0.3));
        var norm = (BatchNorm1d)model.Modules().OfType<BatchNorm1d>().Single();
        model.Eval();
        var a = Tensor.FromArray(new float[] { 1, 10, 3, 20 }, 2, 2);   // column means 2 and 15
        var b = Tensor.FromArray(new float[] { 5, 0, 7, 0 }, 2, 2);     // column means 6 and 0
        AveragedModel.UpdateBatchNorm([a, b], model);
        Assert.Equal(new[] { 4f, 7.5f }, norm.RunningMean!.ToArray());   // (2 + 6) / 2, (15 + 0) / 2
        // Unbiased variance of each batch's column (2 values): 2 and 50, then 2 and 0; their means 2 and 25.
        Assert.Equal(new[] { 2f, 25f }, norm.RunningVar!.ToArray());
        Assert.Equal(0.3, norm.Momentum);
        Assert.False(model.IsTraining);
    }

    [Fact]
    public void BadArgumentsAreRefusedWithTheReason()
    {
        var model = Net(1);
        var sameModel = Assert.Throws<ArgumentException>(() => new AveragedModel(model, model));
        Assert.Contains("second instance", sameModel.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => new AveragedModel(model, Net(2), decay: 1.0));
        var otherShape = Assert.Throws<ArgumentException>(() => new AveragedModel(model, new Sequential(new Linear(3, 5), new BatchNorm1d(5), new ReLU())));
        Assert.Contains("shape", otherShape.Message);
        var norm = model.Modules().OfType<BatchNorm1d>().Single();
        model.Forward(Tensor.Randn([8, 3], new Generator(3)));
        var before = norm.RunningMean!.ToArray();
        var noBatches = Assert.Throws<ArgumentException>(() => AveragedModel.UpdateBatchNorm([], model));
        Assert.Contains("no input batches", noBatches.Message);
        Assert.Equal(before, norm.RunningMean!.ToArray());   // a failed recompute keeps the old statistics
        Assert.Equal(0.1, norm.Momentum);
    }
}
