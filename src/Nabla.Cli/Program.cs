using System.CommandLine;
using Nabla.Cli.Commands;

// The `nabla` command: each subcommand lives in its own file under Commands/.
var root = new RootCommand("Nabla: deep learning for .NET from first principles.");
root.Subcommands.Add(TrainCommand.Create());
root.Subcommands.Add(EvaluateCommand.Create());
root.Subcommands.Add(PredictCommand.Create());
root.Subcommands.Add(SummaryCommand.Create());
root.Subcommands.Add(ExamplesCommand.Create());
root.Subcommands.Add(GraphCommand.Create());
root.Subcommands.Add(ShowCommand.Create());
root.Subcommands.Add(SampleCommand.Create());
root.Subcommands.Add(GanScoreCommand.Create());

return root.Parse(args).Invoke();
