using Nabla.NN;

namespace Nabla.Tests.Rnn;

/// <summary>Bad input gets an exception that names the layer and the shapes or lengths at fault.</summary>
public class RnnErrorTests
{
    [Fact]
    public void InputFeatureSizeDifferentFromTheLayers()
    {
        var e = Assert.Throws<ArgumentException>(() => new LSTM(4, 8).Forward(Tensor.Zeros(5, 2, 3), null));
        Assert.Contains("LSTM", e.Message);
        Assert.Contains("(5, 2, 3)", e.Message);
        Assert.Contains("input_size is 4", e.Message);
        var packed = RnnUtils.PackSequence([Tensor.Zeros(3, 7)]);
        e = Assert.Throws<ArgumentException>(() => new GRU(4, 8).Forward(packed, null));
        Assert.Contains("GRU", e.Message);
        Assert.Contains("(3, 7)", e.Message);
        e = Assert.Throws<ArgumentException>(() => new GRUCell(4, 8).Forward(Tensor.Zeros(2, 5), null));
        Assert.Contains("GRUCell", e.Message);
        Assert.Contains("(2, 5)", e.Message);
    }

    [Fact]
    public void StateOfTheWrongShape()
    {
        var e = Assert.Throws<ArgumentException>(() => new GRU(4, 8, numLayers: 2).Forward(Tensor.Zeros(5, 3, 4), Tensor.Zeros(1, 3, 8)));
        Assert.Contains("GRU: h0 has shape (1, 3, 8), but expected (2, 3, 8)", e.Message);
        e = Assert.Throws<ArgumentException>(() => new LSTM(4, 8, bidirectional: true).Forward(Tensor.Zeros(5, 3, 4), (Tensor.Zeros(2, 3, 8), Tensor.Zeros(2, 4, 8))));
        Assert.Contains("LSTM: c0 has shape (2, 4, 8), but expected (2, 3, 8)", e.Message);
        e = Assert.Throws<ArgumentException>(() => new RNN(4, 8, batchFirst: true).Forward(Tensor.Zeros(3, 5, 4), Tensor.Zeros(1, 5, 8)));
        Assert.Contains("RNN: h0 has shape (1, 5, 8), but expected (1, 3, 8)", e.Message);
        e = Assert.Throws<ArgumentException>(() => new LSTMCell(4, 8).Forward(Tensor.Zeros(2, 4), (Tensor.Zeros(2, 8), Tensor.Zeros(8))));
        Assert.Contains("LSTMCell: c has shape (8,), but expected (2, 8)", e.Message);
    }

    [Fact]
    public void LengthsThatDoNotFitTheBatch()
    {
        var padded = Tensor.Zeros(5, 3, 2);
        var e = Assert.Throws<ArgumentException>(() => RnnUtils.PackPaddedSequence(padded, [5, 4]));
        Assert.Contains("2 lengths for a batch of 3 sequences", e.Message);
        e = Assert.Throws<ArgumentException>(() => RnnUtils.PackPaddedSequence(padded, [5, 0, 0]));
        Assert.Contains("sequence 1 has length 0", e.Message);
        e = Assert.Throws<ArgumentException>(() => RnnUtils.PackPaddedSequence(padded, [6, 2, 1]));
        Assert.Contains("sequence 0 has length 6, longer than the 5 steps", e.Message);
        e = Assert.Throws<ArgumentException>(() => RnnUtils.PackPaddedSequence(padded, [2, 5, 1]));
        Assert.Contains("not sorted", e.Message);
        e = Assert.Throws<ArgumentException>(() => RnnUtils.PadPackedSequence(RnnUtils.PackPaddedSequence(padded, [5, 2, 1]), totalLength: 4));
        Assert.Contains("total_length 4", e.Message);
    }

    [Fact]
    public void SettingsOutOfRange()
    {
        Assert.Contains("nonlinearity 'sigmoid'", Assert.Throws<ArgumentException>(() => new RNN(2, 3, nonlinearity: "sigmoid")).Message);
        Assert.Contains("hidden_size", Assert.Throws<ArgumentOutOfRangeException>(() => new LSTM(2, 0)).Message);
        Assert.Contains("dropout", Assert.Throws<ArgumentOutOfRangeException>(() => new GRU(2, 3, dropout: 1.5)).Message);
    }
}
