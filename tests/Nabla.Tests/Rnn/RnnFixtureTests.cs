namespace Nabla.Tests.Rnn;

/// <summary>
/// RNN (tanh, relu), LSTM and GRU layers and cells against PyTorch (tools/fixtures_rnn.py): 1 and 2 layers, uni- and
/// bidirectional, batch-first, without biases, without an initial state, unbatched, and packed batches of mixed
/// lengths in unsorted order. Every output, final state and gradient (input, states, every parameter) in float64.
/// </summary>
public class RnnFixtureTests
{
    public static IEnumerable<object[]> Cases => RnnFixture.Names();

    [Theory]
    [MemberData(nameof(Cases))]
    public void MatchesPyTorch(string name) => RnnFixture.Verify(RnnFixture.Get(name));
}
