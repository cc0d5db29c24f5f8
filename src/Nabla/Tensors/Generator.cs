namespace Nabla;

/// <summary>
/// A seeded pseudo-random generator (xoshiro256**, seeded through SplitMix64).
/// The same seed gives the same numbers on every machine, runtime and thread count,
/// because tensors are always filled sequentially from one stream.
/// </summary>
public sealed class Generator
{
    private ulong s0, s1, s2, s3;
    private double? spareNormal;

    /// <summary>Creates a generator from <paramref name="seed"/>.</summary>
    public Generator(long seed = 0) => ManualSeed(seed);

    /// <summary>The generator used when none is passed (seeded with 0 until <see cref="Tensor.ManualSeed"/> is called).</summary>
    public static Generator Default { get; internal set; } = new(0);

    /// <summary>Resets the stream as if newly created with <paramref name="seed"/>.</summary>
    public void ManualSeed(long seed)
    {
        // SplitMix64 spreads a small seed over the 256-bit state: xoshiro must not start all-zero.
        ulong x = unchecked((ulong)seed);
        s0 = SplitMix(ref x); s1 = SplitMix(ref x); s2 = SplitMix(ref x); s3 = SplitMix(ref x);
        spareNormal = null;
    }

    /// <summary>The number of words in <see cref="GetState"/>.</summary>
    public const int StateLength = 6;

    /// <summary>
    /// The generator's complete state (<c>torch.Generator.get_state</c>), so a checkpoint can resume the exact
    /// stream: the four xoshiro256** words, then 1 or 0 for whether a normal sample is cached by
    /// <see cref="NextNormal"/> (Box-Muller makes them in pairs), then that sample's bits (0 when none).
    /// </summary>
    public ulong[] GetState() =>
    [
        s0, s1, s2, s3,
        spareNormal.HasValue ? 1UL : 0UL,
        spareNormal.HasValue ? BitConverter.DoubleToUInt64Bits(spareNormal.Value) : 0UL,
    ];

    /// <summary>Restores a state made by <see cref="GetState"/> (<c>torch.Generator.set_state</c>): the stream continues from there.</summary>
    /// <exception cref="ArgumentException">The state does not have <see cref="StateLength"/> words, its xoshiro words are all
    /// zero (a state xoshiro never reaches), or the cache flag is not 0 or 1 (or is 0 with a non-zero sample).</exception>
    public void SetState(ReadOnlySpan<ulong> state)
    {
        if (state.Length != StateLength)
            throw new ArgumentException($"Generator.SetState: a state has {StateLength} words, got {state.Length}.", nameof(state));
        if ((state[0] | state[1] | state[2] | state[3]) == 0)
            throw new ArgumentException("Generator.SetState: the xoshiro256** words are all zero, which no generator can reach.", nameof(state));
        if (state[4] > 1 || (state[4] == 0 && state[5] != 0))
            throw new ArgumentException($"Generator.SetState: word 4 (cached normal sample flag) is {state[4]} with sample bits {state[5]:x16}; expected 1, or 0 with no bits.", nameof(state));
        (s0, s1, s2, s3) = (state[0], state[1], state[2], state[3]);
        spareNormal = state[4] == 1 ? BitConverter.UInt64BitsToDouble(state[5]) : null;
    }

    private static ulong SplitMix(ref ulong x)
    {
        ulong z = x += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>The next 64 random bits.</summary>
    public ulong NextUInt64()
    {
        ulong result = ulong.RotateLeft(s1 * 5, 7) * 9;
        ulong t = s1 << 17;
        s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3;
        s2 ^= t;
        s3 = ulong.RotateLeft(s3, 45);
        return result;
    }

    /// <summary>Uniform in [0, 1) with 53 random bits.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Uniform in [0, 1) with 24 random bits (every value exactly representable as float).</summary>
    public float NextFloat() => (NextUInt64() >> 40) * (1.0f / (1 << 24));

    /// <summary>Uniform integer in [<paramref name="low"/>, <paramref name="high"/>).</summary>
    public long NextInt64(long low, long high)
    {
        if (high <= low) throw new ArgumentException($"NextInt64: high ({high}) must be greater than low ({low}).");
        ulong range = (ulong)(high - low);
        // Lemire's multiply-high method with rejection: unbiased for any range.
        ulong x = NextUInt64();
        UInt128 m = (UInt128)x * range;
        ulong l = (ulong)m;
        if (l < range)
        {
            ulong threshold = (0 - range) % range;
            while (l < threshold)
            {
                x = NextUInt64();
                m = (UInt128)x * range;
                l = (ulong)m;
            }
        }
        return low + (long)(ulong)(m >> 64);
    }

    /// <summary>Standard normal N(0, 1) by the Box-Muller transform (pairs are cached).</summary>
    public double NextNormal()
    {
        if (spareNormal is double spare)
        {
            spareNormal = null;
            return spare;
        }
        // 1 - u keeps the logarithm's argument in (0, 1].
        double u1 = 1.0 - NextDouble();
        double u2 = NextDouble();
        double r = Math.Sqrt(-2.0 * Math.Log(u1));
        double theta = 2.0 * Math.PI * u2;
        spareNormal = r * Math.Sin(theta);
        return r * Math.Cos(theta);
    }
}
