using System.CommandLine;
using Nabla.Cli.Models;
using Nabla.Data;
using Nabla.NN;
using Nabla.Training;

namespace Nabla.Cli.Commands;

/// <summary><c>nabla evaluate MODEL</c>: loss and accuracy of a trained model on its data set's test sample.</summary>
internal static class EvaluateCommand
{
    public static Command Create()
    {
        var model = new Argument<string>("model") { Description = "A model.safetensors written by `nabla train`." };
        var dataset = new Option<string?>("--dataset", "-d") { Description = "The data set to evaluate on (default: the one it was trained on)." };
        var data = new Option<string?>("--data") { Description = "Folder of the Fashion-MNIST files." };
        var target = new Option<string?>("--target") { Description = "The label column of a CSV file." };
        var command = new Command("evaluate", "Report a trained model's test loss and accuracy.") { model, dataset, data, target };
        command.SetAction(parse => CliErrors.Run(() =>
        {
            var file = ClassifierFile.Load(parse.GetValue(model)!);
            var problem = ClassifierFile.LoadData(file, parse.GetValue(dataset) ?? file.Dataset, parse.GetValue(data), parse.GetValue(target));
            var sampleShape = problem.Test.Inputs.Shape.ToArray()[1..];
            if (!sampleShape.SequenceEqual(file.SampleShape))
                throw new ArgumentException($"The model expects samples of shape ({string.Join(", ", file.SampleShape)}) but {problem.Name} has ({string.Join(", ", sampleShape)}).");
            var inputs = file.Preprocess(problem.Test.Inputs);
            var trainer = new Trainer(file.Model, new Optim.SGD(file.Model.Parameters(), 0.0), new CrossEntropyLoss().Forward);
            var (loss, accuracy) = trainer.Evaluate(new DataLoader(new TensorDataset(inputs, problem.Test.Targets), 1024));
            Console.WriteLine(file.Description);
            Console.WriteLine($"{problem.Name} test sample ({problem.Test.Count}): loss {loss:F4}, accuracy {TrainCommand.Percent(accuracy)}");
            return 0;
        }));
        return command;
    }
}
