using Nabla.Data;

namespace Nabla.Tests.Data;

public class BigramModelTests
{
    // Training words "ab" and "b" over the characters a, b: 3 possible next tokens (a, b, end).
    // Counts: <s>->a 1, <s>->b 1, a->b 1, b->end 2. Add-one: P(a|<s>) = 2/5, P(b|<s>) = 2/5, P(end|<s>) = 1/5,
    // P(b|a) = 2/4, P(a|a) = P(end|a) = 1/4, P(end|b) = 3/5, P(a|b) = P(b|b) = 1/5.
    private static readonly CharVocabulary Vocabulary = new("ab");

    [Fact]
    public void AddOneProbabilitiesAreTheCountsOfTheTinyList()
    {
        var bigram = BigramModel.Fit(["ab", "b"], Vocabulary);
        int s = CharVocabulary.StartIndex, e = CharVocabulary.EndIndex, a = 3, b = 4;
        Assert.Equal(Math.Log(2.0 / 5), bigram.LogProbability(s, a), 12);
        Assert.Equal(Math.Log(1.0 / 5), bigram.LogProbability(s, e), 12);
        Assert.Equal(Math.Log(2.0 / 4), bigram.LogProbability(a, b), 12);
        Assert.Equal(Math.Log(1.0 / 4), bigram.LogProbability(a, a), 12);
        Assert.Equal(Math.Log(3.0 / 5), bigram.LogProbability(b, e), 12);
        Assert.Equal(double.NegativeInfinity, bigram.LogProbability(s, s)); // the start token is never predicted
        foreach (int prev in new[] { s, a, b })
            Assert.Equal(1.0, new[] { a, b, e }.Sum(next => Math.Exp(bigram.LogProbability(prev, next))), 12);
    }

    [Fact]
    public void TheLossPerTokenCountsEveryCharacterAndTheEndToken()
    {
        var bigram = BigramModel.Fit(["ab", "b"], Vocabulary);
        // On the training words: a|<s>, b|a, end|b, b|<s>, end|b = 5 tokens.
        var (nats, tokens) = bigram.Evaluate(["ab", "b"]);
        Assert.Equal(5, tokens);
        Assert.Equal(-(Math.Log(0.4) + Math.Log(0.5) + Math.Log(0.6) + Math.Log(0.4) + Math.Log(0.6)) / 5, nats, 12);
        Assert.Equal(0.7094759784, nats, 9);
        // An unseen pair gets the smoothed share: "ba" = b|<s> 2/5, a|b 1/5, end|a 1/4.
        Assert.Equal(-(Math.Log(0.4) + Math.Log(0.2) + Math.Log(0.25)) / 3, bigram.Evaluate(["ba"]).NatsPerToken, 12);
    }

    [Fact]
    public void SmallerKTrustsTheCountsMore()
    {
        var bigram = BigramModel.Fit(["ab", "b"], Vocabulary, k: 0.5);
        Assert.Equal(Math.Log(2.5 / 3.5), bigram.LogProbability(4, CharVocabulary.EndIndex), 12); // (2 + 0.5) / (2 + 1.5)
        Assert.Throws<ArgumentOutOfRangeException>(() => BigramModel.Fit(["ab"], Vocabulary, k: 0));
        Assert.Throws<ArgumentException>(() => BigramModel.Fit(["abc"], Vocabulary));
    }
}
