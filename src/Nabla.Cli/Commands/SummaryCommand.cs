using System.CommandLine;
using Nabla.Cli.Models;

namespace Nabla.Cli.Commands;

/// <summary><c>nabla summary MODEL</c>: the layers, output shapes and parameter counts of a trained model.</summary>
internal static class SummaryCommand
{
    public static Command Create()
    {
        var model = new Argument<string>("model") { Description = "A model.safetensors written by `nabla train`." };
        var command = new Command("summary", "Print a trained model's layers, output shapes and parameter counts.") { model };
        command.SetAction(parse => CliErrors.Run(() =>
        {
            var file = ClassifierFile.Load(parse.GetValue(model)!);
            Console.WriteLine(file.Description);
            Console.WriteLine(file.Model.Summary([1, .. file.SampleShape]));
            return 0;
        }));
        return command;
    }
}
