using BenchmarkDotNet.Running;
using Nabla.Bench;

// `sgemm-json`: a plain timing mode for bench/compare/sgemm.py (see bench/compare/README.md).
if (args.Length > 0 && args[0] == "sgemm-json")
{
    return SgemmJson.Run(args[1..]);
}

// `conv-json`: the same for Conv2d forward and forward + backward, for bench/compare/conv.py.
if (args.Length > 0 && args[0] == "conv-json")
{
    return ConvJson.Run(args[1..]);
}

// `two-layer-net-json`: the seed network's 500 steps, for bench/compare/two_layer_net.py.
if (args.Length > 0 && args[0] == "two-layer-net-json")
{
    return TwoLayerNetJson.Run(args[1..]);
}

// `mlp-json`: the fashion-mlp network's training and inference speed, for bench/compare/mlp.py.
if (args.Length > 0 && args[0] == "mlp-json")
{
    return MlpJson.Run(args[1..]);
}

// `scalar-profile`: where a moons step of the scalar engine spends its time.
if (args.Length > 0 && args[0] == "scalar-profile")
{
    return ScalarProfile.Run(args[1..]);
}

// `cnn-json`: the fashion-cnn network's training and inference speed, for bench/compare/cnn.py.
if (args.Length > 0 && args[0] == "cnn-json")
{
    return CnnJson.Run(args[1..]);
}

// `char-rnn-json`: the char-rnn model's training characters per second, for bench/compare/char_rnn.py.
if (args.Length > 0 && args[0] == "char-rnn-json")
{
    return CharRnnJson.Run(args[1..]);
}

// `lstm-json`: LSTM training steps per second, for bench/compare/lstm.py.
if (args.Length > 0 && args[0] == "lstm-json")
{
    return LstmJson.Run(args[1..]);
}

// `gan-json`: the gan-fashion DCGAN's training step, for bench/compare/gan.py.
if (args.Length > 0 && args[0] == "gan-json")
{
    return GanJson.Run(args[1..]);
}

// Runs the BenchmarkDotNet suites: `dotnet run -c Release --project bench/Nabla.Bench -- --filter '*'`.
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;
