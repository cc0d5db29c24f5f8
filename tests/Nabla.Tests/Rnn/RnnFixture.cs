using System.Text.RegularExpressions;
using Nabla.NN;
using Nabla.Tests.Support;

namespace Nabla.Tests.Rnn;

/// <summary>A case of tools/fixtures_rnn.py: a <see cref="FixtureCase"/> plus the module's printout and parameter names.</summary>
public sealed record RnnFixtureCase(string Name, string Repr, string[] ParamNames, FixtureTensor[] Inputs, FixtureTensor GradOutput,
                                    FixtureTensor Output, FixtureTensor?[] Grads)
{
    public override string ToString() => Name;
}

/// <summary>
/// Builds the Nabla module a case names, loads PyTorch's parameters into it (float64), runs the same inputs, and compares
/// the concatenated results and every input and parameter gradient with PyTorch's.
/// </summary>
public static partial class RnnFixture
{
    public const string File = "rnn.json";
    public static IEnumerable<object[]> Names() => FixtureCases<RnnFixtureCase>.Load(File).Select(c => new object[] { c.Name });

    public static RnnFixtureCase Get(string name) => FixtureCases<RnnFixtureCase>.Load(File).Single(c => c.Name == name);

    [GeneratedRegex(@"^(?:(?<packed>packed)_|(?<unbatched>unbatched)_|(?<cell>cell)_)?(?<kind>rnn_tanh|rnn_relu|lstm|gru)(?:_l(?<l>\d)_d(?<d>\d))?(?:_bf(?<bf>\d))?(?:_b(?<b>\d))?(?<noh0>_noh0)?$")]
    private static partial Regex NamePattern();

    /// <summary>What a case name says about the module and how it is called.</summary>
    public sealed record Settings(string Kind, bool Packed, bool Unbatched, bool Cell, int Layers, bool Bidirectional, bool BatchFirst, bool Bias, bool NoH0)
    {
        public bool Lstm => Kind == "lstm";
        public int StateCount => NoH0 ? 0 : Lstm ? 2 : 1;
    }

    public static Settings Parse(string name)
    {
        var m = NamePattern().Match(name);
        Assert.True(m.Success, $"unrecognized case name {name}");
        int Int(string group, int fallback) => m.Groups[group].Success ? int.Parse(m.Groups[group].Value) : fallback;
        bool unbatched = m.Groups["unbatched"].Success;
        return new Settings(m.Groups["kind"].Value, m.Groups["packed"].Success, unbatched, m.Groups["cell"].Success,
                            unbatched ? 2 : Int("l", 1), unbatched || Int("d", 1) == 2, Int("bf", 0) == 1, Int("b", 1) == 1,
                            m.Groups["noh0"].Success);
    }

    public static Module Build(Settings s, int inputSize, int hiddenSize) => s.Cell
        ? s.Kind switch
        {
            "lstm" => new LSTMCell(inputSize, hiddenSize, s.Bias),
            "gru" => new GRUCell(inputSize, hiddenSize, s.Bias),
            _ => new RNNCell(inputSize, hiddenSize, s.Bias, s.Kind[4..]),
        }
        : s.Kind switch
        {
            "lstm" => new LSTM(inputSize, hiddenSize, s.Layers, s.Bias, s.BatchFirst, bidirectional: s.Bidirectional),
            "gru" => new GRU(inputSize, hiddenSize, s.Layers, s.Bias, s.BatchFirst, bidirectional: s.Bidirectional),
            _ => new RNN(inputSize, hiddenSize, s.Layers, s.Kind[4..], s.Bias, s.BatchFirst, bidirectional: s.Bidirectional),
        };

    /// <summary>Runs the module the way the fixture script did; returns every result flattened and concatenated.</summary>
    public static Tensor Run(Settings s, Module module, Tensor[] inputs)
    {
        var x = inputs[0];
        int k = s.Packed ? 2 : 1;
        Tensor? h0 = s.StateCount > 0 ? inputs[k] : null;
        Tensor? c0 = s.StateCount > 1 ? inputs[k + 1] : null;
        Tensor[] results;
        if (s.Cell)
        {
            results = module switch
            {
                LSTMCell lstm => Pair(lstm.Forward(x, (h0!, c0!))),
                GRUCell gru => [gru.Forward(x, h0)],
                RNNCell rnn => [rnn.Forward(x, h0)],
                _ => throw new InvalidOperationException(),
            };
        }
        else if (s.Packed)
        {
            var lengths = inputs[1].ToArray().Select(v => (int)v).ToArray();
            var packed = RnnUtils.PackPaddedSequence(x, lengths, enforceSorted: false);
            (PackedSequence output, Tensor[] states) = module switch
            {
                LSTM lstm => Unpack(lstm.Forward(packed, c0 is null ? null : (h0!, c0))),
                GRU gru => Unpack(gru.Forward(packed, h0)),
                RNN rnn => Unpack(rnn.Forward(packed, h0)),
                _ => throw new InvalidOperationException(),
            };
            var (padded, returned) = RnnUtils.PadPackedSequence(output);
            Assert.Equal(lengths, returned);
            results = [padded, .. states];
        }
        else
        {
            results = module switch
            {
                LSTM lstm => Flatten(lstm.Forward(x, c0 is null ? null : (h0!, c0))),
                GRU gru => Flatten(gru.Forward(x, h0)),
                RNN rnn => Flatten(rnn.Forward(x, h0)),
                _ => throw new InvalidOperationException(),
            };
        }
        return Tensor.Cat(results.Select(r => r.Reshape(-1)).ToArray());

        static Tensor[] Pair((Tensor H, Tensor C) s) => [s.H, s.C];
        static Tensor[] Flatten<TState>((Tensor Output, TState State) r) => r.State switch
        {
            ValueTuple<Tensor, Tensor> hc => [r.Output, hc.Item1, hc.Item2],
            Tensor h => [r.Output, h],
            _ => throw new InvalidOperationException(),
        };
        static (PackedSequence, Tensor[]) Unpack<TState>((PackedSequence Output, TState State) r) => r.State switch
        {
            ValueTuple<Tensor, Tensor> hc => (r.Output, [hc.Item1, hc.Item2]),
            Tensor h => (r.Output, [h]),
            _ => throw new InvalidOperationException(),
        };
    }

    /// <summary>Checks names and printout, loads the parameters, runs, and compares values and gradients.</summary>
    public static void Verify(RnnFixtureCase fixture, double tolerance = 1e-9)
    {
        var s = Parse(fixture.Name);
        int stateInputs = (s.Packed ? 2 : 1) + s.StateCount;
        var weightIh = fixture.Inputs[stateInputs];
        var module = Build(s, weightIh.Shape[1], fixture.Inputs[stateInputs + 1].Shape[1]);
        module.Double();
        Assert.Equal(fixture.Repr, module.ToString());
        Assert.Equal(fixture.ParamNames, module.NamedParameters().Select(p => p.Name).ToArray());
        module.LoadStateDict(fixture.ParamNames.Select((n, i) => new KeyValuePair<string, Tensor>(n, fixture.Inputs[stateInputs + i].ToTensor())));

        var inputs = fixture.Inputs.Take(stateInputs).Select(i =>
        {
            var t = i.ToTensor();
            t.RequiresGrad = i.RequiresGrad;
            return t;
        }).ToArray();
        var output = Run(s, module, inputs);
        TorchFixture.AssertClose(fixture.Output, output, tolerance, $"{fixture.Name}: output");
        output.Backward(fixture.GradOutput.ToTensor());
        var parameters = module.Parameters().ToArray();
        for (int i = 0; i < fixture.Grads.Length; i++)
        {
            if (fixture.Grads[i] is not FixtureTensor expected) continue;
            var actual = i < stateInputs ? inputs[i].Grad : parameters[i - stateInputs].Grad;
            string what = i < stateInputs ? $"input {i}" : fixture.ParamNames[i - stateInputs];
            TorchFixture.AssertClose(expected, actual ?? throw new Xunit.Sdk.XunitException($"{fixture.Name}: no gradient for {what}"),
                                     tolerance, $"{fixture.Name}: gradient of {what}");
        }
    }

}
