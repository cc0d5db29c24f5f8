using Nabla.Data;
using Nabla.Examples.CharRnn;
using Nabla.NN;

namespace Nabla.Tests.Examples;

public class CharRnnTests
{
    private static CharRnnModel Model(string cell = "lstm", int seed = 1) =>
        new(new CharRnnSpec(cell, 8, 16, 1, "abcd"), new Generator(seed));

    [Fact]
    public void PaddingCountsNeitherInTheLossNorInItsMean()
    {
        var model = Model();
        var data = new WordDataset(["cabd", "a", "bad"], model.Vocabulary);
        using var _ = Tensor.NoGrad();
        double together = CharRnnTraining.Loss(model, data.GetBatch([0, 1, 2]), Reduction.Sum).ItemAsDouble();
        double alone = new[] { 0, 1, 2 }.Sum(i => CharRnnTraining.Loss(model, data.GetBatch([i]), Reduction.Sum).ItemAsDouble());
        Assert.Equal(alone, together, 4);
        double mean = CharRnnTraining.Loss(model, data.GetBatch([0, 1, 2])).ItemAsDouble();
        Assert.Equal(together / 11, mean, 5); // 5 + 2 + 4 predicted tokens
    }

    [Fact]
    public void OnTheSmallListItBeatsTheBigramBaselineInAShortRun()
    {
        var options = new CharRnnTrainingOptions(Epochs: 4, BatchSize: 32, LearningRate: 1e-2, Seed: 2);
        var result = CharRnnExperiment.Run(WordList.Small(), "lstm", embeddingDim: 16, hiddenSize: 64, layers: 1, options, 0.1, TextWriter.Null);
        Assert.Equal(5, result.Epochs.Count);
        Assert.True(result.Epochs[0].ValidationLoss > 3.2, "an untrained model is near ln 29 = 3.37 nats");
        Assert.True(result.ModelNats < result.BigramNats - 0.05,
            $"model {result.ModelNats:F4} nats/char against the bigram's {result.BigramNats:F4}");
    }

    [Fact]
    public void SamplingIsSeededAndKeepsThePrefix()
    {
        foreach (var cell in new[] { "lstm", "gru" })
        {
            var model = Model(cell);
            var first = CharRnnSampler.SampleMany(model, 8, new Generator(3), temperature: 1.5);
            Assert.Equal(first, CharRnnSampler.SampleMany(model, 8, new Generator(3), temperature: 1.5));
            Assert.NotEqual(first, CharRnnSampler.SampleMany(model, 8, new Generator(4), temperature: 1.5));
            Assert.All(first, w => Assert.True(w.Length <= CharRnnSampler.DefaultMaxLength && w.All(model.Vocabulary.Contains), w));
            var prefixed = CharRnnSampler.SampleMany(model, 5, new Generator(3), prefix: "dab", maxLength: 6);
            Assert.All(prefixed, w => Assert.True(w.StartsWith("dab", StringComparison.Ordinal) && w.Length <= 6, w));
        }
    }

    [Fact]
    public void LowTemperaturesPickTheLikeliestToken()
    {
        // At a tiny temperature every draw is the argmax, so different seeds give the same word.
        var model = Model();
        Assert.Equal(CharRnnSampler.Sample(model, new Generator(1), 1e-4), CharRnnSampler.Sample(model, new Generator(2), 1e-4));
    }

    [Fact]
    public void BadInputIsNamed()
    {
        var model = Model();
        Assert.Throws<ArgumentOutOfRangeException>(() => CharRnnSampler.Sample(model, new Generator(1), temperature: 0));
        var ex = Assert.Throws<ArgumentException>(() => CharRnnSampler.Sample(model, new Generator(1), prefix: "abz"));
        Assert.Contains("'z' at position 2", ex.Message);
        ex = Assert.Throws<ArgumentException>(() => new CharRnnModel(new CharRnnSpec("rnn", 8, 16, 1, "ab")));
        Assert.Contains("lstm, gru", ex.Message);
        var words = new WordDataset(["ab"], new CharVocabulary("ab"));
        ex = Assert.Throws<ArgumentException>(() => CharRnnTraining.Fit(model, words, words, new CharRnnTrainingOptions(Epochs: 1)));
        Assert.Contains("vocabulary", ex.Message);
    }

    [Fact]
    public void StateDictNamesArePyTorchs()
    {
        var names = Model().StateDict().Select(kv => kv.Key).ToArray();
        Assert.Equal(["embedding.weight", "rnn.weight_ih_l0", "rnn.weight_hh_l0", "rnn.bias_ih_l0", "rnn.bias_hh_l0", "head.weight", "head.bias"], names);
    }
}
