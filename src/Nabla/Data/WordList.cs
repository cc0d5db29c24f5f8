namespace Nabla.Data;

/// <summary>
/// English word lists for character-level language models: the system dictionary (Debian's <c>wamerican</c>,
/// <see cref="DefaultPath"/>) or the small list embedded in the library, keeping plain lowercase words only, and
/// a split into training and validation words.
/// </summary>
public static class WordList
{
    /// <summary>Where Debian's <c>wamerican</c> puts its list (<c>apt-get install wamerican</c>).</summary>
    public const string DefaultPath = "/usr/share/dict/words";

    /// <summary>
    /// The plain words of the file at <paramref name="path"/> (one a line): see <see cref="Filter"/>.
    /// </summary>
    /// <exception cref="FileNotFoundException">The file does not exist (the message says how to install the dictionary).</exception>
    /// <exception cref="InvalidDataException">The file holds no plain lowercase word.</exception>
    public static IReadOnlyList<string> Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path))
            throw new FileNotFoundException(
                $"Word list '{path}' not found. Install Debian's dictionary (apt-get install wamerican) or pass a file of words, one a line.", path);
        var words = Filter(File.ReadLines(path));
        if (words.Count == 0)
            throw new InvalidDataException($"Word list '{path}' holds no plain lowercase word (letters a-z only, one a line).");
        return words;
    }

    /// <summary>The 3,194-word list embedded in the library: every 20th plain word of <c>wamerican</c> (see Data/Embedded/README.md).</summary>
    public static IReadOnlyList<string> Small()
    {
        using var stream = typeof(WordList).Assembly.GetManifestResourceStream("Nabla.Data.Embedded.words_small.txt")
            ?? throw new InvalidOperationException("The embedded resource Nabla.Data.Embedded.words_small.txt is missing from the Nabla assembly.");
        using var reader = new StreamReader(stream);
        var lines = new List<string>();
        while (reader.ReadLine() is { } line) lines.Add(line);
        return Filter(lines);
    }

    /// <summary>
    /// The lines that are plain lowercase words (letters a to z only: no capitals, so no proper nouns; no apostrophes,
    /// so no possessives; no accents), trimmed, each kept once, in their first order.
    /// </summary>
    public static IReadOnlyList<string> Filter(IEnumerable<string> lines)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var words = new List<string>();
        foreach (var raw in lines)
        {
            var word = raw.Trim();
            if (IsPlainWord(word) && seen.Add(word)) words.Add(word);
        }
        return words;
    }

    /// <summary>True when <paramref name="word"/> is one or more of the letters a to z and nothing else.</summary>
    public static bool IsPlainWord(string word)
    {
        if (string.IsNullOrEmpty(word)) return false;
        foreach (char c in word)
            if (c is < 'a' or > 'z') return false;
        return true;
    }

    /// <summary>
    /// Splits <paramref name="words"/> by word: a random <paramref name="validationFraction"/> of them (at least one)
    /// for validation, the rest for training, both in their original order. The same seed gives the same split on
    /// every machine, so a model and the bigram baseline are measured on the same validation words.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The fraction is not in (0, 1), or there are fewer than two words.</exception>
    public static (IReadOnlyList<string> Train, IReadOnlyList<string> Validation) Split(IReadOnlyList<string> words, double validationFraction, int seed)
    {
        ArgumentNullException.ThrowIfNull(words);
        if (!(validationFraction > 0 && validationFraction < 1))
            throw new ArgumentOutOfRangeException(nameof(validationFraction), validationFraction, $"WordList.Split: the validation fraction must be in (0, 1), got {validationFraction}.");
        if (words.Count < 2)
            throw new ArgumentOutOfRangeException(nameof(words), words.Count, $"WordList.Split: needs at least 2 words, got {words.Count}.");
        int validationCount = Math.Clamp((int)Math.Round(validationFraction * words.Count), 1, words.Count - 1);
        var order = Sampling.Permutation(words.Count, new Generator(seed));
        var isValidation = new bool[words.Count];
        for (int i = 0; i < validationCount; i++) isValidation[order[i]] = true;
        var train = new List<string>(words.Count - validationCount);
        var validation = new List<string>(validationCount);
        for (int i = 0; i < words.Count; i++) (isValidation[i] ? validation : train).Add(words[i]);
        return (train, validation);
    }
}
