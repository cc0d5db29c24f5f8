"""Reference shuffle orders and splits for tests/Nabla.Tests/Data (DataLoaderTests, BuiltinDatasetsTests).

An independent transcription of Nabla's Generator (SplitMix64 seeding, xoshiro256**,
Lemire's unbiased bounded integers), of the Fisher-Yates shuffle the DataLoader uses and of
the stratified split, so that the values pinned in the tests are not just the C# code's own output.

Run: /usr/bin/python3 tools/data_shuffle_reference.py
"""

MASK = (1 << 64) - 1


def rotl(x, k):
    return ((x << k) | (x >> (64 - k))) & MASK


class Generator:
    def __init__(self, seed):
        x = seed & MASK
        self.s = []
        for _ in range(4):
            x = (x + 0x9E3779B97F4A7C15) & MASK
            z = x
            z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
            z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
            self.s.append(z ^ (z >> 31))

    def next_uint64(self):
        s0, s1, s2, s3 = self.s
        result = (rotl((s1 * 5) & MASK, 7) * 9) & MASK
        t = (s1 << 17) & MASK
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = rotl(s3, 45)
        self.s = [s0, s1, s2, s3]
        return result

    def next_int64(self, low, high):
        rng = high - low
        m = self.next_uint64() * rng
        if m & MASK < rng:
            threshold = ((1 << 64) - rng) % rng
            while m & MASK < threshold:
                m = self.next_uint64() * rng
        return low + (m >> 64)


def permutation(n, generator):
    p = list(range(n))
    for i in range(n - 1, 0, -1):
        j = generator.next_int64(0, i + 1)
        p[i], p[j] = p[j], p[i]
    return p


def stratified_split(labels, second_count, generator):
    """Nabla's Sampling.Stratified: largest-remainder class quotas, each class shuffled in label order."""
    n = len(labels)
    classes = sorted(set(labels))
    members = [[i for i in range(n) if labels[i] == c] for c in classes]
    take = [second_count * len(m) // n for m in members]
    remainders = [second_count * len(m) % n for m in members]
    order = sorted(range(len(classes)), key=lambda c: (-remainders[c], c))
    for k in range(second_count - sum(take)):
        take[order[k]] += 1
    first, second = [], []
    for c, m in enumerate(members):
        m = list(m)
        for i in range(len(m) - 1, 0, -1):
            j = generator.next_int64(0, i + 1)
            m[i], m[j] = m[j], m[i]
        second += m[: take[c]]
        first += m[take[c]:]
    return sorted(first), sorted(second)


if __name__ == "__main__":
    g = Generator(0)
    print("seed 0, n 10, epoch 1:", permutation(10, g))
    print("seed 0, n 10, epoch 2:", permutation(10, g))
    # BuiltinDatasets.Iris().TrainTestSplit(): 30 test samples (10 per class), seed 0.
    iris_labels = [0] * 50 + [1] * 50 + [2] * 50
    print("iris test indices:", stratified_split(iris_labels, 30, Generator(0))[1])
