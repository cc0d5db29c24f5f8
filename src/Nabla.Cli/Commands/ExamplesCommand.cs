using System.CommandLine;
using Nabla.Examples;

namespace Nabla.Cli.Commands;

/// <summary><c>nabla examples list</c> and <c>nabla examples run NAME</c>.</summary>
internal static class ExamplesCommand
{
    public static Command Create()
    {
        var command = new Command("examples", "List and run the examples.");

        var list = new Command("list", "List the examples.");
        list.SetAction(_ =>
        {
            int width = ExampleCatalog.All.Max(e => e.Name.Length);
            foreach (var example in ExampleCatalog.All)
                Console.WriteLine($"{example.Name.PadRight(width)}  {example.Description}");
            return 0;
        });

        var name = new Argument<string>("name") { Description = "The example to run (see `nabla examples list`)." };
        var output = new Option<string>("--output", "-o")
        {
            Description = "Folder for the files the example writes.",
            DefaultValueFactory = _ => "out",
        };
        var seed = new Option<int>("--seed") { Description = "Random seed.", DefaultValueFactory = _ => 1337 };
        var run = new Command("run", "Run an example.") { name, output, seed };
        run.SetAction(parse =>
        {
            string requested = parse.GetValue(name)!;
            var example = ExampleCatalog.Find(requested);
            if (example is null)
            {
                Console.Error.WriteLine($"No example named '{requested}'. Known: {string.Join(", ", ExampleCatalog.All.Select(e => e.Name))}.");
                return 2;
            }
            return example.Run(new ExampleContext(Console.Out, parse.GetValue(output)!, parse.GetValue(seed)));
        });

        command.Subcommands.Add(list);
        command.Subcommands.Add(run);
        return command;
    }
}
