using Nabla.Data;

namespace Nabla.Tests.Data;

public class WordDatasetTests
{
    private static readonly CharVocabulary Vocabulary = new("abcd"); // a = 3, b = 4, c = 5, d = 6

    [Fact]
    public void ABatchIsPaddedWithInputsShiftedAgainstTargetsAndItsLengths()
    {
        var data = new WordDataset(["cab", "a", "bad"], Vocabulary);
        var batch = data.GetBatch([0, 1]);
        Assert.Equal([2, 4], batch.Inputs.Shape);
        Assert.Equal([1, 5, 3, 4, 1, 3, 0, 0], batch.Inputs.ToArray());   // <s> c a b | <s> a pad pad
        Assert.Equal([5, 3, 4, 2, 3, 2, 0, 0], batch.Targets.ToArray());  // c a b </s> | a </s> pad pad
        Assert.Equal([4, 2], batch.Lengths);
        Assert.Equal(6, batch.TokenCount);
        Assert.Equal(["cab", "a"], batch.Words);
        Assert.Equal(10, data.TokenCount);
    }

    [Fact]
    public void EvaluationBatchesComeSortedByLength()
    {
        var data = new WordDataset(["cab", "a", "bad", "dd"], Vocabulary);
        var batches = data.Batches(2).ToList();
        Assert.Equal(["a", "dd"], batches[0].Words);
        Assert.Equal(["cab", "bad"], batches[1].Words);
        Assert.Equal([3, 4], batches.Select(b => b.Inputs.Shape[1])); // the longest word + 1
    }

    [Fact]
    public void ShuffledEpochsVisitEveryWordOnceInASeededOrderAndBucketByLength()
    {
        var words = WordList.Small();
        var data = new WordDataset(words, CharVocabulary.FromWords(words));
        List<string> Epoch(Generator g) => data.Batches(32, g).SelectMany(b => b.Words).ToList();
        var g1 = new Generator(5);
        var first = Epoch(g1);
        Assert.Equal(words.OrderBy(w => w, StringComparer.Ordinal), first.OrderBy(w => w, StringComparer.Ordinal));
        Assert.Equal(first, Epoch(new Generator(5)));
        Assert.NotEqual(first, Epoch(g1)); // the next epoch is a new order

        // Bucketing: a batch holds words of similar length, so little of it is padding.
        long padded = data.Batches(32, new Generator(5)).Sum(b => (long)b.Inputs.NumEl);
        Assert.True(padded < 1.15 * data.TokenCount, $"{padded} padded steps for {data.TokenCount} tokens");
    }

    [Fact]
    public void BadInputIsNamed()
    {
        var ex = Assert.Throws<ArgumentException>(() => new WordDataset(["ab", "abe"], Vocabulary));
        Assert.Contains("'e' at position 2", ex.Message);
        Assert.Throws<ArgumentException>(() => new WordDataset([""], Vocabulary));
        var data = new WordDataset(["ab"], Vocabulary);
        Assert.Throws<ArgumentOutOfRangeException>(() => data.GetBatch([1]));
        Assert.Throws<ArgumentOutOfRangeException>(() => data.Batches(0));
    }
}
