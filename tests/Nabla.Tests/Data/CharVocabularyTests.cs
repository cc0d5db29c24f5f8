using Nabla.Data;

namespace Nabla.Tests.Data;

public class CharVocabularyTests
{
    [Fact]
    public void EncodeDecodeRoundTripsAndSpecialTokensComeFirst()
    {
        var vocabulary = CharVocabulary.FromWords(["cab", "bad"]);
        Assert.Equal("abcd", vocabulary.Characters);
        Assert.Equal(7, vocabulary.Count);
        Assert.Equal([5, 3, 4], vocabulary.Encode("cab"));
        Assert.Equal("cab", vocabulary.Decode(vocabulary.Encode("cab")));
        // Start and padding are skipped, the end token ends the text.
        Assert.Equal("ab", vocabulary.Decode([CharVocabulary.StartIndex, 3, 4, CharVocabulary.EndIndex, 5, CharVocabulary.PadIndex]));
        Assert.Equal(["<pad>", "<s>", "</s>", "a", "d"], new[] { 0, 1, 2, 3, 6 }.Select(vocabulary.TokenName));
        Assert.True(vocabulary.Contains('d'));
        Assert.False(vocabulary.Contains('e'));
    }

    [Fact]
    public void ACharacterOutsideTheVocabularyIsNamedWithItsPosition()
    {
        var vocabulary = new CharVocabulary("abc");
        var ex = Assert.Throws<ArgumentException>(() => vocabulary.Encode("abXc"));
        Assert.Contains("'X' at position 2 of \"abXc\"", ex.Message);
        Assert.Contains("\"abc\"", ex.Message);
        ex = Assert.Throws<ArgumentException>(() => vocabulary.Encode("a b"));
        Assert.Contains("U+0020", ex.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => vocabulary.Decode([7]));
        Assert.Throws<ArgumentOutOfRangeException>(() => vocabulary.CharOf(CharVocabulary.EndIndex));
    }

    [Fact]
    public void ACharacterSetWithARepeatIsRefused()
    {
        var ex = Assert.Throws<ArgumentException>(() => new CharVocabulary("abca"));
        Assert.Contains("'a' appears twice", ex.Message);
        Assert.Throws<ArgumentException>(() => new CharVocabulary(""));
    }
}
