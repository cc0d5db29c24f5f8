using System.CommandLine;
using Nabla.Scalar;
using Nabla.Viz;

namespace Nabla.Cli.Commands;

/// <summary><c>nabla graph [--output DIR]</c>: draws the computation graph of one neuron, after backward.</summary>
internal static class GraphCommand
{
    public static Command Create()
    {
        var output = new Option<string>("--output", "-o")
        {
            Description = "Folder for neuron.dot (and neuron.svg when Graphviz is installed).",
            DefaultValueFactory = _ => "out",
        };
        var command = new Command("graph", "Draw the computation graph of a tanh neuron, with data and gradients.") { output };
        command.SetAction(parse =>
        {
            Value o = Neuron();
            o.Backward();
            var result = new GraphWriter().Write(o, Path.Combine(parse.GetValue(output)!, "neuron.dot"));
            Console.WriteLine($"o = tanh(x1*w1 + x2*w2 + b) = {o.Data:F4}");
            Console.WriteLine(result.Message);
            return 0;
        });
        return command;
    }

    // The neuron of the course notes: two inputs, two weights, a bias chosen so that o = tanh(n) = 0.7071.
    private static Value Neuron()
    {
        var x1 = new Value(2.0, "x1");
        var x2 = new Value(0.0, "x2");
        var w1 = new Value(-3.0, "w1");
        var w2 = new Value(1.0, "w2");
        var b = new Value(6.8813735870195432, "b");
        var x1w1 = x1 * w1; x1w1.Label = "x1*w1";
        var x2w2 = x2 * w2; x2w2.Label = "x2*w2";
        var sum = x1w1 + x2w2; sum.Label = "x1*w1 + x2*w2";
        var n = sum + b; n.Label = "n";
        var o = n.Tanh(); o.Label = "o";
        return o;
    }
}
