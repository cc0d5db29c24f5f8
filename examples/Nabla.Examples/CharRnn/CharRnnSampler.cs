using Nabla.Data;

namespace Nabla.Examples.CharRnn;

/// <summary>Draws new words from a <see cref="CharRnnModel"/>, one character at a time.</summary>
public static class CharRnnSampler
{
    /// <summary>The longest word drawn (longer samples are cut there); the longest plain word of <c>wamerican</c> has 23 letters.</summary>
    public const int DefaultMaxLength = 32;

    /// <summary>
    /// Draws a word that starts with <paramref name="prefix"/>: the model reads the start token and the prefix, then
    /// each next token is drawn from softmax(logits / <paramref name="temperature"/>) over the characters and the end
    /// token, until the end token or <paramref name="maxLength"/> characters. Lower temperatures give likelier,
    /// plainer words; higher ones stranger words. The same generator state gives the same word.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The temperature is not positive, or the maximum length is below the prefix's.</exception>
    /// <exception cref="ArgumentException">The prefix has a character outside the model's vocabulary.</exception>
    public static string Sample(CharRnnModel model, Generator generator, double temperature = 1.0, string prefix = "", int maxLength = DefaultMaxLength)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(generator);
        ArgumentNullException.ThrowIfNull(prefix);
        if (!(temperature > 0) || double.IsInfinity(temperature))
            throw new ArgumentOutOfRangeException(nameof(temperature), temperature, $"char-rnn sampling: the temperature must be a positive number, got {temperature}.");
        if (maxLength < Math.Max(1, prefix.Length))
            throw new ArgumentOutOfRangeException(nameof(maxLength), maxLength, $"char-rnn sampling: the maximum length {maxLength} is shorter than the prefix \"{prefix}\".");
        var vocabulary = model.Vocabulary;
        var prompt = new List<int> { CharVocabulary.StartIndex };
        prompt.AddRange(vocabulary.Encode(prefix));

        bool wasTraining = model.IsTraining;
        model.Eval();
        try
        {
            using var _ = Tensor.NoGrad();
            var word = new List<int>(prompt.Skip(1));
            var input = Tensor.FromArray(prompt.Select(i => (float)i).ToArray(), 1, prompt.Count); // (1, P)
            RecurrentState? state = null;
            var probabilities = new double[vocabulary.Count];
            while (word.Count < maxLength)
            {
                var (logits, next) = model.Forward(input, state); // (1, P, V)
                state = next;
                var last = logits[0][logits.Shape[1] - 1].ToArray(); // (V,)
                int token = Draw(last, temperature, generator, probabilities);
                if (token == CharVocabulary.EndIndex) break;
                word.Add(token);
                input = Tensor.FromArray([(float)token], 1, 1);
            }
            return vocabulary.Decode(word.ToArray());
        }
        finally
        {
            model.Train(wasTraining);
        }
    }

    /// <summary>Draws <paramref name="count"/> words in a row from one generator (see <see cref="Sample"/>).</summary>
    public static IReadOnlyList<string> SampleMany(CharRnnModel model, int count, Generator generator, double temperature = 1.0, string prefix = "",
                                                   int maxLength = DefaultMaxLength)
    {
        if (count < 0) throw new ArgumentOutOfRangeException(nameof(count), count, $"char-rnn sampling: the count must be non-negative, got {count}.");
        var words = new string[count];
        for (int i = 0; i < count; i++) words[i] = Sample(model, generator, temperature, prefix, maxLength);
        return words;
    }

    /// <summary>
    /// One token drawn from softmax(logits / T) over the characters and the end token (padding and the start token are
    /// never a next token), by inverting the cumulative distribution at a uniform draw; computed in double, shifted by
    /// the maximum so exp cannot overflow at low temperatures.
    /// </summary>
    private static int Draw(float[] logits, double temperature, Generator generator, double[] p)
    {
        double max = double.NegativeInfinity;
        for (int i = CharVocabulary.EndIndex; i < logits.Length; i++) max = Math.Max(max, logits[i]);
        double sum = 0;
        Array.Clear(p);
        for (int i = CharVocabulary.EndIndex; i < logits.Length; i++)
        {
            p[i] = Math.Exp((logits[i] - max) / temperature);
            sum += p[i];
        }
        double u = generator.NextDouble() * sum;
        for (int i = CharVocabulary.EndIndex; i < logits.Length; i++)
        {
            u -= p[i];
            if (u < 0) return i;
        }
        return logits.Length - 1; // u landed on the rounding error past the last bin
    }
}
