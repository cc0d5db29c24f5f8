namespace Nabla.Data;

/// <summary>
/// The baseline a character-level language model has to beat: the next token predicted from the previous one
/// alone, by counting pairs in the training words with add-k (Laplace for k = 1) smoothing:
/// P(next | prev) = (n(prev, next) + k) / (n(prev) + k K),
/// where prev is the start token or a character, next is a character or the end token, and K is the number of
/// possible next tokens (the characters and the end token).
/// </summary>
/// <remarks>
/// It scores exactly the tokens a language model over a <see cref="WordDataset"/> predicts (each word's characters
/// and its end token, given everything before), so its loss per token and the model's are comparable.
/// </remarks>
public sealed class BigramModel
{
    private readonly double[] logProbabilities; // (V, V): row prev, column next; -inf where next can never follow

    private BigramModel(CharVocabulary vocabulary, double k, double[] logProbabilities)
    {
        Vocabulary = vocabulary;
        Smoothing = k;
        this.logProbabilities = logProbabilities;
    }

    /// <summary>The vocabulary the counts are indexed by.</summary>
    public CharVocabulary Vocabulary { get; }

    /// <summary>The k added to every count.</summary>
    public double Smoothing { get; }

    /// <summary>Counts the pairs of <paramref name="words"/> (the training words) and smooths with <paramref name="k"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">k is not positive (unsmoothed counts give pairs never seen an infinite loss).</exception>
    /// <exception cref="ArgumentException">A word has a character outside the vocabulary.</exception>
    public static BigramModel Fit(IEnumerable<string> words, CharVocabulary vocabulary, double k = 1.0)
    {
        ArgumentNullException.ThrowIfNull(words);
        ArgumentNullException.ThrowIfNull(vocabulary);
        if (!(k > 0)) throw new ArgumentOutOfRangeException(nameof(k), k, $"BigramModel: the smoothing k must be positive, got {k}.");
        int v = vocabulary.Count;
        var counts = new double[v * v];
        foreach (var word in words)
        {
            int prev = CharVocabulary.StartIndex;
            foreach (int id in vocabulary.Encode(word))
            {
                counts[prev * v + id]++;
                prev = id;
            }
            counts[prev * v + CharVocabulary.EndIndex]++;
        }

        int outcomes = vocabulary.Characters.Length + 1; // every character, and the end token
        var logP = new double[v * v];
        Array.Fill(logP, double.NegativeInfinity);
        for (int prev = 0; prev < v; prev++)
        {
            if (prev is CharVocabulary.PadIndex or CharVocabulary.EndIndex) continue; // never a context
            double total = 0;
            for (int next = 0; next < v; next++) total += counts[prev * v + next];
            double denominator = total + k * outcomes;
            for (int next = 0; next < v; next++)
                if (next == CharVocabulary.EndIndex || next >= CharVocabulary.SpecialCount)
                    logP[prev * v + next] = Math.Log((counts[prev * v + next] + k) / denominator);
        }
        return new BigramModel(vocabulary, k, logP);
    }

    /// <summary>ln P(<paramref name="next"/> | <paramref name="previous"/>), token indices of <see cref="Vocabulary"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A token is outside the vocabulary.</exception>
    public double LogProbability(int previous, int next)
    {
        int v = Vocabulary.Count;
        if ((uint)previous >= (uint)v) throw new ArgumentOutOfRangeException(nameof(previous), previous, $"BigramModel: token {previous} is outside the vocabulary of {v}.");
        if ((uint)next >= (uint)v) throw new ArgumentOutOfRangeException(nameof(next), next, $"BigramModel: token {next} is outside the vocabulary of {v}.");
        return logProbabilities[previous * v + next];
    }

    /// <summary>
    /// The mean negative log-likelihood, in nats, of the tokens of <paramref name="words"/> (each word's characters and
    /// its end token), and how many tokens that is. Divide by ln 2 for bits.
    /// </summary>
    /// <exception cref="ArgumentException">A word has a character outside the vocabulary.</exception>
    public (double NatsPerToken, long Tokens) Evaluate(IEnumerable<string> words)
    {
        ArgumentNullException.ThrowIfNull(words);
        int v = Vocabulary.Count;
        double sum = 0;
        long tokens = 0;
        foreach (var word in words)
        {
            int prev = CharVocabulary.StartIndex;
            foreach (int id in Vocabulary.Encode(word))
            {
                sum -= logProbabilities[prev * v + id];
                prev = id;
            }
            sum -= logProbabilities[prev * v + CharVocabulary.EndIndex];
            tokens += word.Length + 1;
        }
        return (tokens == 0 ? double.NaN : sum / tokens, tokens);
    }
}
