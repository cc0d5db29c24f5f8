using Nabla.NN;
using Nabla.Tests.Support;

namespace Nabla.Tests.NN;

/// <summary>
/// Every loss with every reduction, class weights, ignore index and label smoothing against PyTorch
/// (tools/fixtures_nn.py, nn_losses.json): the value and the gradients of the input (and of the target where PyTorch
/// gives one), in float64. Class-index targets are floats holding integers.
/// </summary>
public class LossFixtureTests
{
    private const string File = "nn_losses.json";

    private static readonly Dictionary<string, Func<Tensor[], Tensor>> Losses = Build();

    private static Dictionary<string, Func<Tensor[], Tensor>> Build()
    {
        var cases = new Dictionary<string, Func<Tensor[], Tensor>>();
        foreach (var (suffix, r) in new[] { ("mean", Reduction.Mean), ("sum", Reduction.Sum), ("none", Reduction.None) })
        {
            cases[$"mse_{suffix}"] = t => new MSELoss(r).Forward(t[0], t[1]);
            cases[$"l1_{suffix}"] = t => new L1Loss(r).Forward(t[0], t[1]);
            cases[$"huber_{suffix}"] = t => new HuberLoss(r).Forward(t[0], t[1]);
            cases[$"smooth_l1_{suffix}"] = t => new SmoothL1Loss(r, beta: 0.5).Forward(t[0], t[1]);
            cases[$"bce_{suffix}"] = t => new BCELoss(reduction: r).Forward(t[0], t[1]);
            cases[$"bce_logits_{suffix}"] = t => new BCEWithLogitsLoss(reduction: r).Forward(t[0], t[1]);
            cases[$"ce_{suffix}"] = t => new CrossEntropyLoss(reduction: r).Forward(t[0], t[1]);
            cases[$"ce_weight_{suffix}"] = t => new CrossEntropyLoss(weight: t[2], reduction: r).Forward(t[0], t[1]);
            cases[$"ce_ignore_weight_{suffix}"] = t => new CrossEntropyLoss(weight: t[2], reduction: r).Forward(t[0], t[1]);
            cases[$"ce_smoothing_{suffix}"] = t => new CrossEntropyLoss(reduction: r, labelSmoothing: 0.1).Forward(t[0], t[1]);
            cases[$"ce_smoothing_weight_ignore_{suffix}"] = t => new CrossEntropyLoss(t[2], reduction: r, labelSmoothing: 0.2).Forward(t[0], t[1]);
            cases[$"nll_{suffix}"] = t => new NLLLoss(reduction: r).Forward(t[0], t[1]);
            cases[$"nll_weight_ignore_{suffix}"] = t => new NLLLoss(t[2], reduction: r).Forward(t[0], t[1]);
            cases[$"ce_probs_{suffix}"] = t => new CrossEntropyLoss(reduction: r).Forward(t[0], t[1]);
        }
        cases["huber_delta"] = t => Functional.HuberLoss(t[0], t[1], delta: 0.7);
        cases["smooth_l1_beta0"] = t => Functional.SmoothL1Loss(t[0], t[1], beta: 0);
        cases["mse_1d"] = t => Functional.MseLoss(t[0], t[1], Reduction.Sum);
        cases["bce_weight"] = t => new BCELoss(t[2]).Forward(t[0], t[1]);
        cases["bce_edges"] = t => Functional.BinaryCrossEntropy(t[0], t[1], reduction: Reduction.None);
        cases["bce_logits_weight"] = t => new BCEWithLogitsLoss(t[2], Reduction.Sum).Forward(t[0], t[1]);
        cases["bce_logits_pos_weight"] = t => new BCEWithLogitsLoss(posWeight: t[2]).Forward(t[0], t[1]);
        cases["bce_logits_large"] = t => Functional.BinaryCrossEntropyWithLogits(t[0], t[1], reduction: Reduction.None);
        cases["ce_ignore_mean"] = t => Functional.CrossEntropy(t[0], t[1]);
        cases["ce_ignore_index_custom"] = t => new CrossEntropyLoss(ignoreIndex: 3).Forward(t[0], t[1]);
        cases["ce_smoothing_weight_mean"] = t => new CrossEntropyLoss(t[2], labelSmoothing: 0.3).Forward(t[0], t[1]);
        cases["ce_3d_mean"] = t => Functional.CrossEntropy(t[0], t[1]);
        cases["ce_3d_weight_ignore_smoothing_none"] = t => Functional.CrossEntropy(t[0], t[1], t[2], reduction: Reduction.None, labelSmoothing: 0.1);
        cases["ce_1d"] = t => Functional.CrossEntropy(t[0], t[1]);
        cases["ce_large_logits"] = t => Functional.CrossEntropy(t[0], t[1], reduction: Reduction.Sum);
        cases["ce_probs_weight_smoothing_mean"] = t => Functional.CrossEntropy(t[0], t[1], t[2], labelSmoothing: 0.2);
        cases["ce_probs_3d_sum"] = t => Functional.CrossEntropy(t[0], t[1], reduction: Reduction.Sum);
        cases["nll_weight_mean"] = t => Functional.NllLoss(t[0], t[1], t[2]);
        cases["nll_ignore_mean"] = t => Functional.NllLoss(t[0], t[1], ignoreIndex: 0);
        cases["nll_3d_mean"] = t => Functional.NllLoss(t[0], t[1]);
        cases["nll_1d"] = t => Functional.NllLoss(t[0], t[1]);
        return cases;
    }

    public static IEnumerable<object[]> Cases => TorchFixture.Names(File);

    [Theory]
    [MemberData(nameof(Cases))]
    public void MatchesPyTorch(string name)
    {
        Assert.True(Losses.ContainsKey(name), $"no Nabla loss registered for fixture case '{name}'");
        TorchFixture.Verify(TorchFixture.Get(File, name), Losses[name]);
    }

    [Fact]
    public void EveryRegisteredLossHasAFixture() =>
        Assert.Equal(Losses.Keys.Order(), TorchFixture.Load(File).Select(c => c.Name).Order());

    [Fact]
    public void VerifyFailsOnAnUnweightedMean()
    {
        // Dividing a weighted cross-entropy by the sample count instead of the total weight is a classic slip: caught.
        var fixture = TorchFixture.Get(File, "ce_weight_mean");
        var error = Assert.ThrowsAny<Xunit.Sdk.XunitException>(() => TorchFixture.Verify(fixture,
            t => Functional.CrossEntropy(t[0], t[1], t[2], reduction: Reduction.Sum) / 5f));
        Assert.Contains("ce_weight_mean: output", error.Message);
    }
}
