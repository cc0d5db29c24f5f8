using Nabla.Data;

namespace Nabla.Tests.Data;

public class WordListTests
{
    [Fact]
    public void FilterKeepsPlainLowercaseWordsOnceInTheirOrder()
    {
        var words = WordList.Filter(["apple", "Apple", "apple's", "café", "zebra ", "", "x-ray", "apple", "b"]);
        Assert.Equal(["apple", "zebra", "b"], words);
    }

    [Fact]
    public void TheEmbeddedListIsEveryTwentiethPlainWord()
    {
        var words = WordList.Small();
        Assert.Equal(3194, words.Count);
        Assert.All(words, w => Assert.True(WordList.IsPlainWord(w), w));
        Assert.Equal(words.Count, words.Distinct().Count());
        Assert.Equal(["a", "abashed", "abbreviated"], words.Take(3));
    }

    [Fact]
    public void TheSplitIsByWordDisjointCompleteAndSeeded()
    {
        var words = WordList.Small();
        var (train, validation) = WordList.Split(words, 0.1, seed: 3);
        Assert.Equal(319, validation.Count);
        Assert.Equal(words.Count, train.Count + validation.Count);
        Assert.Empty(train.Intersect(validation));
        Assert.Equal(words.OrderBy(w => w, StringComparer.Ordinal), train.Concat(validation).OrderBy(w => w, StringComparer.Ordinal));
        Assert.Equal(validation, WordList.Split(words, 0.1, seed: 3).Validation);
        Assert.NotEqual(validation, WordList.Split(words, 0.1, seed: 4).Validation);
        Assert.Throws<ArgumentOutOfRangeException>(() => WordList.Split(words, 1.0, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => WordList.Split(["a"], 0.5, 1));
    }

    [Fact]
    public void AMissingFileSaysHowToInstallTheDictionary()
    {
        var ex = Assert.Throws<FileNotFoundException>(() => WordList.Load("/nonexistent/words"));
        Assert.Contains("apt-get install wamerican", ex.Message);
        using var folder = new TempFolder();
        string path = folder.WriteText("w.txt", "Apple\nO'Neil\n");
        Assert.Throws<InvalidDataException>(() => WordList.Load(path));
        path = folder.WriteText("v.txt", "Apple\nbe\nsee\n");
        Assert.Equal(["be", "see"], WordList.Load(path));
    }
}
