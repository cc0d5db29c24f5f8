namespace Nabla.Examples.Sequences;

/// <summary>A padded batch of bit strings, batch first.</summary>
/// <param name="Tokens">(B, T): 1 for a 0 bit, 2 for a 1 bit, 0 for padding after the string; T = the longest string.</param>
/// <param name="Lengths">Each string's length.</param>
/// <param name="Labels">(B,): 1 when the string has an odd number of 1 bits, else 0.</param>
public sealed record ParityBatch(Tensor Tokens, int[] Lengths, Tensor Labels);

/// <summary>
/// Bit strings labelled with their parity (odd number of 1 bits), the classic task a bag of tokens cannot learn:
/// flipping any one bit flips the label, so no token, and no share of tokens, says anything about it on its own.
/// A recurrent network can carry one bit of state (the parity so far) along the string.
/// </summary>
public static class ParityData
{
    /// <summary>The padding token.</summary>
    public const int PadToken = 0;

    /// <summary>The number of tokens: padding, 0 bit, 1 bit.</summary>
    public const int TokenCount = 3;

    /// <summary>
    /// <paramref name="count"/> strings whose lengths are uniform in [<paramref name="minLength"/>, <paramref name="maxLength"/>] and
    /// whose bits are fair coin flips, drawn from <paramref name="generator"/>, as one padded batch.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The count is below 1, or the lengths are not 1 &lt;= min &lt;= max.</exception>
    public static ParityBatch Generate(int count, int minLength, int maxLength, Generator generator)
    {
        ArgumentNullException.ThrowIfNull(generator);
        if (count < 1) throw new ArgumentOutOfRangeException(nameof(count), count, $"ParityData: the count must be at least 1, got {count}.");
        if (minLength < 1 || maxLength < minLength)
            throw new ArgumentOutOfRangeException(nameof(maxLength), $"ParityData: lengths must satisfy 1 <= min <= max, got min {minLength}, max {maxLength}.");
        var lengths = new int[count];
        for (int i = 0; i < count; i++) lengths[i] = (int)generator.NextInt64(minLength, maxLength + 1);
        int steps = lengths.Max();
        var tokens = new float[count * steps]; // (B, T), zero = padding
        var labels = new float[count];
        for (int i = 0; i < count; i++)
        {
            int ones = 0;
            for (int t = 0; t < lengths[i]; t++)
            {
                int bit = (int)generator.NextInt64(0, 2);
                ones += bit;
                tokens[i * steps + t] = 1 + bit;
            }
            labels[i] = ones % 2;
        }
        return new ParityBatch(Tensor.FromArray(tokens, count, steps), lengths, Tensor.FromArray(labels, count));
    }

    /// <summary>The batch's rows as strings of '0' and '1', for reading and testing.</summary>
    public static string[] ToStrings(ParityBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var tokens = batch.Tokens.ToArray();
        int steps = batch.Tokens.Shape[1];
        return batch.Lengths.Select((n, i) => string.Concat(Enumerable.Range(0, n).Select(t => tokens[i * steps + t] == 2 ? '1' : '0'))).ToArray();
    }
}
