using System.Text;

namespace Nabla.Data;

/// <summary>
/// The tokens of a character-level language model: three special tokens (padding 0, start of word 1, end of
/// word 2) followed by the characters, in the order given. A word "cat" is read as the input
/// <c>&lt;s&gt; c a t</c> and predicted as the target <c>c a t &lt;/s&gt;</c>.
/// </summary>
/// <remarks>
/// Padding has its own index so that an <see cref="NN.Embedding"/> can keep it at zero (<c>paddingIdx: 0</c>) and a
/// loss can skip it (<c>ignoreIndex: 0</c>). The character string is all it takes to rebuild a vocabulary, which
/// is how a trained model stores it.
/// </remarks>
public sealed class CharVocabulary
{
    /// <summary>The padding token's index: fills batches up to the longest word, and is never predicted.</summary>
    public const int PadIndex = 0;

    /// <summary>The start-of-word token's index: the first input of every word.</summary>
    public const int StartIndex = 1;

    /// <summary>The end-of-word token's index: the last target of every word.</summary>
    public const int EndIndex = 2;

    /// <summary>The number of special tokens before the first character.</summary>
    public const int SpecialCount = 3;

    private readonly Dictionary<char, int> index = new();

    /// <summary>Creates the vocabulary of <paramref name="characters"/>, each given once.</summary>
    /// <exception cref="ArgumentException">The string is empty or holds a character twice.</exception>
    public CharVocabulary(string characters)
    {
        ArgumentNullException.ThrowIfNull(characters);
        if (characters.Length == 0) throw new ArgumentException("CharVocabulary: the character set is empty.", nameof(characters));
        for (int i = 0; i < characters.Length; i++)
            if (!index.TryAdd(characters[i], SpecialCount + i))
                throw new ArgumentException($"CharVocabulary: the character '{characters[i]}' appears twice in \"{characters}\".", nameof(characters));
        Characters = characters;
    }

    /// <summary>The vocabulary of every character used in <paramref name="words"/>, sorted by code point.</summary>
    public static CharVocabulary FromWords(IEnumerable<string> words)
    {
        var set = new SortedSet<char>();
        foreach (var w in words) set.UnionWith(w);
        return new CharVocabulary(string.Concat(set));
    }

    /// <summary>The characters, in index order (index = <see cref="SpecialCount"/> + position).</summary>
    public string Characters { get; }

    /// <summary>The number of tokens: the special tokens and the characters.</summary>
    public int Count => SpecialCount + Characters.Length;

    /// <summary>True when <paramref name="c"/> is one of the characters.</summary>
    public bool Contains(char c) => index.ContainsKey(c);

    /// <summary>The token index of each character of <paramref name="text"/>.</summary>
    /// <exception cref="ArgumentException">A character is not in the vocabulary (the message names it and its position).</exception>
    public int[] Encode(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var ids = new int[text.Length];
        for (int i = 0; i < text.Length; i++)
        {
            if (!index.TryGetValue(text[i], out ids[i]))
                throw new ArgumentException(
                    $"CharVocabulary: '{Printable(text[i])}' at position {i} of \"{text}\" is not in the vocabulary \"{Characters}\".", nameof(text));
        }
        return ids;
    }

    /// <summary>
    /// The text of <paramref name="ids"/>: characters as they are, the start and padding tokens skipped, and
    /// the end token ending the text.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">An index is outside [0, <see cref="Count"/>).</exception>
    public string Decode(ReadOnlySpan<int> ids)
    {
        var sb = new StringBuilder(ids.Length);
        foreach (int id in ids)
        {
            if (id == EndIndex) break;
            if (id is PadIndex or StartIndex) continue;
            sb.Append(CharOf(id));
        }
        return sb.ToString();
    }

    /// <summary>The character of token <paramref name="id"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The index is a special token's or outside [0, <see cref="Count"/>).</exception>
    public char CharOf(int id)
    {
        if (id < SpecialCount || id >= Count)
            throw new ArgumentOutOfRangeException(nameof(id), id,
                $"CharVocabulary: token {id} is not a character (characters are {SpecialCount} to {Count - 1}).");
        return Characters[id - SpecialCount];
    }

    /// <summary>A readable name of token <paramref name="id"/>: <c>&lt;pad&gt;</c>, <c>&lt;s&gt;</c>, <c>&lt;/s&gt;</c> or the character.</summary>
    public string TokenName(int id) => id switch
    {
        PadIndex => "<pad>",
        StartIndex => "<s>",
        EndIndex => "</s>",
        _ => CharOf(id).ToString(),
    };

    /// <inheritdoc/>
    public override string ToString() => $"CharVocabulary({Count} tokens: <pad> <s> </s> \"{Characters}\")";

    private static string Printable(char c) => char.IsControl(c) || char.IsWhiteSpace(c) ? $"U+{(int)c:X4}" : c.ToString();
}
