using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Nabla.Cli.Models;
using Nabla.Data;
using Nabla.Kernels;
using Nabla.NN;
using Nabla.Optim;
using Nabla.Training;

namespace Nabla.Cli.Commands;

/// <summary>
/// <c>nabla train</c>: trains an MLP classifier with a validation split and early stopping, then reports test
/// accuracy and writes the model, the history plot, the summary and <c>metrics.json</c>. With no arguments it
/// trains on the embedded digits.
/// </summary>
internal static class TrainCommand
{
    public static Command Create()
    {
        var model = new Option<string>("--model", "-m") { Description = "The model to train: mlp; cnn (two conv blocks on digits or fashion-mnist; 10 epochs, batch 64 unless given); char-rnn (an LSTM language model of the words in --data, default the system dictionary); gan (a DCGAN on fashion-mnist; 20 epochs, batch 64, lr 2e-4 for G and 1.5 times it for D, no schedule, widths 64,48 as --hidden unless given).", DefaultValueFactory = _ => "mlp" };
        var dataset = new Option<string>("--dataset", "-d") { Description = $"The data: {DataSources.Help}.", DefaultValueFactory = _ => "digits" };
        var data = new Option<string?>("--data") { Description = $"Folder of the Fashion-MNIST files (default {FashionMnist.DefaultDirectory}); for char-rnn a word list, one word a line (default {WordList.DefaultPath}), or 'small' for the embedded list." };
        var target = new Option<string?>("--target") { Description = "The label column of a CSV file." };
        var hidden = new Option<string>("--hidden") { Description = "Hidden layer sizes, comma separated (empty: logistic regression).", DefaultValueFactory = _ => "256,128" };
        var activation = new Option<string>("--activation") { Description = "relu, tanh, sigmoid or gelu.", DefaultValueFactory = _ => "relu" };
        var optimizer = new Option<string>("--optimizer") { Description = "adam, adamw, sgd (momentum 0.9) or rmsprop.", DefaultValueFactory = _ => "adam" };
        var lr = new Option<double>("--lr") { Description = "Learning rate.", DefaultValueFactory = _ => 1e-3 };
        var epochs = new Option<int>("--epochs") { Description = "Maximum number of epochs.", DefaultValueFactory = _ => 40 };
        var batchSize = new Option<int>("--batch-size") { Description = "Samples per batch.", DefaultValueFactory = _ => 32 };
        var validation = new Option<double>("--validation") { Description = "Share of the training sample held out for validation.", DefaultValueFactory = _ => 0.2 };
        var schedule = new Option<string>("--schedule") { Description = "Learning-rate schedule over the epochs: cosine, step (x0.1 every third of the epochs) or none.", DefaultValueFactory = _ => "cosine" };
        var patience = new Option<int>("--patience") { Description = "Early stopping: epochs without validation improvement (0: off).", DefaultValueFactory = _ => 8 };
        var seed = new Option<int>("--seed") { Description = "Random seed (weights, shuffling, splits).", DefaultValueFactory = _ => 1 };
        var threads = new Option<int>("--threads") { Description = "Threads for the kernels (default: all cores).", DefaultValueFactory = _ => Environment.ProcessorCount };
        var output = new Option<string>("--output", "-o") { Description = "Folder for model.safetensors, history.svg, summary.txt, metrics.json.", DefaultValueFactory = _ => "out/train" };

        var command = new Command("train", "Train a model (default: an MLP classifier on the embedded digits) and report validation and test accuracy.")
        {
            model, dataset, data, target, hidden, activation, optimizer, lr, schedule, epochs, batchSize, validation, patience, seed, threads, output,
        };
        command.SetAction(parse => CliErrors.Run(() => Dispatch(TrainCnnCommand.WithDefaults(new TrainOptions(
            parse.GetValue(model)!, parse.GetValue(dataset)!, parse.GetValue(data), parse.GetValue(target), ParseSizes(parse.GetValue(hidden)!),
            parse.GetValue(activation)!, parse.GetValue(optimizer)!, parse.GetValue(lr), parse.GetValue(schedule)!, parse.GetValue(epochs), parse.GetValue(batchSize),
            parse.GetValue(validation), parse.GetValue(patience), parse.GetValue(seed), parse.GetValue(threads), parse.GetValue(output)!),
            parse.GetResult(epochs), parse.GetResult(batchSize)), name => parse.Tokens.Any(t => t.Value == name))));
        return command;
    }

    internal sealed record TrainOptions(string Model, string Dataset, string? Data, string? Target, int[] Hidden, string Activation, string Optimizer,
                                        double LearningRate, string Schedule, int Epochs, int BatchSize, double Validation, int Patience, int Seed,
                                        int Threads, string Output);

    /// <summary>Runs the trainer of the model named by <c>--model</c>; each model's training lives in its own file.</summary>
    /// <param name="o">The options.</param>
    /// <param name="given">Whether an option (e.g. <c>--epochs</c>) was given on the command line, for models whose defaults differ.</param>
    internal static int Dispatch(TrainOptions o, Func<string, bool>? given = null) => o.Model switch
    {
        "mlp" => Train(o),
        "cnn" => TrainCnnCommand.Train(o),
        "char-rnn" => CharRnnTrainer.Train(CharRnnTrainer.Options(o, given ?? (_ => true))),
        "gan" => TrainGanCommand.Train(TrainGanCommand.WithDefaults(o, given ?? (_ => true))),
        _ => throw new ArgumentException($"Unknown model '{o.Model}'. Known: mlp, cnn, char-rnn, gan."),
    };

    internal static int Train(TrainOptions o)
    {
        if (o.BatchSize < 1) throw new ArgumentException($"--batch-size must be at least 1, got {o.BatchSize}.");
        if (o.Validation <= 0 || o.Validation >= 1) throw new ArgumentException($"--validation must be between 0 and 1, got {o.Validation}.");
        Threads.Count = o.Threads;
        Tensor.ManualSeed(o.Seed);
        var clock = Stopwatch.StartNew();

        // Data: training sample, validation sample split from it, and the held-out test sample.
        var problem = DataSources.Load(o.Dataset, o.Data, o.Target, o.Seed);
        var (trainPart, validationPart) = problem.Train.TrainValidationSplit(o.Validation, o.Seed, stratify: true);
        Standardizer? scaler = problem.Standardize ? Standardizer.Fit(trainPart) : null; // fitted on the training sample only
        Dataset Prepare(Dataset d) => scaler is null ? d : scaler.Transform(d);
        var shuffle = new Generator(o.Seed);
        var train = new DataLoader(Prepare(trainPart), o.BatchSize, shuffle: true, generator: shuffle);
        var valid = new DataLoader(Prepare(validationPart), 1024);
        var test = new DataLoader(Prepare(problem.Test), 1024);
        Console.WriteLine($"{problem.Name}: {trainPart.Count} training, {validationPart.Count} validation, {problem.Test.Count} test samples, " +
                          $"{problem.Features} features, {problem.ClassNames.Count} classes");

        // Model, loss, optimizer.
        var spec = new MlpSpec(problem.Features, o.Hidden, o.Activation, problem.ClassNames.ToArray(), problem.Name);
        var model = spec.Build(new Generator(o.Seed));
        var summary = model.Summary(1, problem.Features).ToString();
        Console.WriteLine(MlpModelFile.Describe(spec) + $", {model.ParameterCount():N0} parameters");
        var optimizer = MakeOptimizer(o.Optimizer, model.Parameters(), o.LearningRate);
        var trainer = new Trainer(model, optimizer, new CrossEntropyLoss().Forward);
        trainer.Scheduler = TrainRun.MakeSchedule(o.Schedule, optimizer, o.Epochs);
        trainer.Callbacks.Add(new ProgressReporter());
        if (o.Patience > 0) trainer.Callbacks.Add(new EarlyStopping(o.Patience));
        var checkpoint = new ModelCheckpoint(Path.Combine(o.Output, "checkpoint.safetensors"), generators: [shuffle]);
        trainer.Callbacks.Add(checkpoint);

        var history = trainer.Fit(train, valid, o.Epochs);
        return TrainRun.Finish(trainer, history, test, problem, o, MlpModelFile.Describe(spec), summary,
            path => new MlpModelFile { Spec = spec, Model = model, Shift = scaler?.Shift, Scale = scaler?.Scale }.Save(path), new Dictionary<string, object?>(), clock,
            checkpoint);
    }

    internal static Optimizer MakeOptimizer(string name, IEnumerable<Parameter> parameters, double lr) => name switch
    {
        "adam" => new Adam(parameters, lr),
        "adamw" => new AdamW(parameters, lr),
        "sgd" => new SGD(parameters, lr, momentum: 0.9),
        "rmsprop" => new RMSprop(parameters, lr),
        _ => throw new ArgumentException($"Unknown optimizer '{name}'. Known: adam, adamw, sgd, rmsprop."),
    };

    private static int[] ParseSizes(string text)
    {
        if (string.IsNullOrWhiteSpace(text)) return [];
        return text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(s =>
        {
            if (!int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out int v) || v < 1)
                throw new ArgumentException($"--hidden: '{s}' is not a positive layer size (expected e.g. 128,64).");
            return v;
        }).ToArray();
    }

    internal static string Percent(double fraction) => (100 * fraction).ToString("F2", CultureInfo.InvariantCulture) + "%";

    internal static void WriteAtomically(string path, string text)
    {
        string temp = path + ".tmp";
        File.WriteAllText(temp, text);
        File.Move(temp, path, overwrite: true);
    }
}
