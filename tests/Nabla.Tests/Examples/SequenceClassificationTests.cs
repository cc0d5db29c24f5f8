using Nabla.Examples;
using Nabla.Examples.Sequences;

namespace Nabla.Tests.Examples;

public class SequenceClassificationTests
{
    [Fact]
    public void TheGeneratorLabelsEachStringWithItsParityAndPadsAfterIt()
    {
        var batch = ParityData.Generate(200, 3, 9, new Generator(7));
        var strings = ParityData.ToStrings(batch);
        var labels = batch.Labels.ToArray();
        var tokens = batch.Tokens.ToArray();
        int steps = batch.Tokens.Shape[1];
        Assert.Equal(batch.Lengths.Max(), steps);
        for (int i = 0; i < strings.Length; i++)
        {
            Assert.InRange(batch.Lengths[i], 3, 9);
            Assert.Equal(batch.Lengths[i], strings[i].Length);
            Assert.Equal(strings[i].Count(c => c == '1') % 2, (int)labels[i]);
            for (int t = batch.Lengths[i]; t < steps; t++) Assert.Equal(ParityData.PadToken, tokens[i * steps + t]);
        }
        Assert.InRange(labels.Average(), 0.4, 0.6);
        Assert.Equal(7, batch.Lengths.Distinct().Count());
        Assert.Equal(strings, ParityData.ToStrings(ParityData.Generate(200, 3, 9, new Generator(7))));
        Assert.Throws<ArgumentOutOfRangeException>(() => ParityData.Generate(10, 0, 5, new Generator(1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => ParityData.Generate(10, 6, 5, new Generator(1)));
    }

    [Fact]
    public void TheRecurrentClassifierReadsEachSequenceAtItsOwnLastStep()
    {
        var model = new RecurrentClassifier(ParityData.TokenCount, 4, 8, 2, new Generator(1));
        var batch = ParityData.Generate(6, 1, 12, new Generator(2));
        using var _ = Tensor.NoGrad();
        var together = model.Forward(batch.Tokens, batch.Lengths).ToArray(); // (6, 2)
        for (int i = 0; i < 6; i++)
        {
            int n = batch.Lengths[i];
            var alone = model.Forward(batch.Tokens[i].Slice(0, 0, n).Reshape(1, n), [n]).ToArray();
            Assert.Equal(alone[0], together[2 * i], 5);
            Assert.Equal(alone[1], together[2 * i + 1], 5);
        }
    }

    [Fact]
    public void TheCurriculumGrowsToTheLongestTrainingString()
    {
        Assert.Equal(2, SequenceClassificationExample.CurriculumLength(1, 1000));
        Assert.Equal(SequenceClassificationExample.TrainLength, SequenceClassificationExample.CurriculumLength(500, 1000));
        Assert.Equal(SequenceClassificationExample.TrainLength, SequenceClassificationExample.CurriculumLength(1000, 1000));
    }

    [Fact]
    public void TheGruLearnsParityForLongerStringsAndTheBagOfTokensDoesNot()
    {
        var (rnn, bag) = SequenceClassificationExample.Train(seed: 1, steps: 600, TextWriter.Null);
        Assert.True(rnn.Seen >= 0.99, $"GRU accuracy on trained lengths {rnn.Seen:P2}");
        Assert.True(rnn.Longer >= 0.99, $"GRU accuracy on longer strings {rnn.Longer:P2}");
        Assert.True(bag.Seen < 0.7 && bag.Longer < 0.6, $"bag of tokens {bag.Seen:P2}, {bag.Longer:P2}");
    }
}
