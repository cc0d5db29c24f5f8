using System.Diagnostics;
using System.Globalization;
using Nabla.Data;
using Nabla.NN;
using Nabla.Optim;
using Nabla.Training;
using Spectre.Console;

namespace Nabla.Examples;

/// <summary>
/// A 784-256-128-10 ReLU MLP classifies Fashion-MNIST clothes: Adam with a cosine learning-rate schedule,
/// batch 64, 10 epochs, with 10% of the
/// training images held out for validation and the 10 000 test images scored once, at the end.
/// </summary>
public sealed class FashionMlpExample : IExample
{
    private const int Epochs = 10, BatchSize = 64;

    /// <inheritdoc/>
    public string Name => "fashion-mlp";

    /// <inheritdoc/>
    public string Description => "784-256-128-10 ReLU MLP on Fashion-MNIST, 10 epochs of Adam; test accuracy at the end.";

    /// <inheritdoc/>
    public int Run(ExampleContext context) => Train(context, FashionMnist.DefaultDirectory, Epochs);

    /// <summary>Trains on the data in <paramref name="directory"/> and reports; returns the exit code (1 when the data is missing).</summary>
    public static int Train(ExampleContext context, string directory, int epochs)
    {
        var output = context.Out;
        if (!IsInstalled(directory, output)) return 1;
        var clock = Stopwatch.StartNew();

        // Images flattened to rows of 784 pixels in [0, 1]; labels 0..9.
        var trainSet = FashionMnist.Load(directory, train: true, flatten: true);   // (60000, 784)
        var testSet = FashionMnist.Load(directory, train: false, flatten: true);   // (10000, 784)
        var (train, validation) = trainSet.TrainValidationSplit(0.1, seed: context.Seed, stratify: true);
        output.WriteLine($"{train.Count} training, {validation.Count} validation and {testSet.Count} test images");

        var g = new Generator(context.Seed);
        var model = new Sequential(
            new Linear(784, 256, generator: g), new ReLU(),
            new Linear(256, 128, generator: g), new ReLU(),
            new Linear(128, 10, generator: g));  // logits (B, 10); the softmax is inside CrossEntropyLoss
        output.WriteLine(model);

        var optimizer = new Adam(model.Parameters(), lr: 1e-3);
        var trainer = new Trainer(model, optimizer, new CrossEntropyLoss().Forward)
        {
            // The learning rate falls from 1e-3 to 0 along half a cosine over the epochs: big steps early,
            // small ones at the end to settle in a minimum (worth about half a point of test accuracy here).
            Scheduler = new CosineAnnealingLR(optimizer, tMax: epochs),
        };
        trainer.Callbacks.Add(new ProgressReporter(ConsoleFor(output)));
        trainer.Fit(
            new DataLoader(train, BatchSize, shuffle: true, generator: g),  // reshuffled every epoch
            new DataLoader(validation, 1000),
            epochs);
        double trainSeconds = clock.Elapsed.TotalSeconds;

        var (testLoss, testAccuracy) = trainer.Evaluate(new DataLoader(testSet, 1000));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"test loss {testLoss:F4}, test accuracy {testAccuracy * 100:F2}% ({testSet.Count} images), {trainSeconds:F0} s in all"));
        return 0;
    }

    /// <summary>True when the data is in <paramref name="directory"/>; otherwise says how to install it.</summary>
    internal static bool IsInstalled(string directory, TextWriter output)
    {
        if (FashionMnist.IsAvailable(directory)) return true;
        output.WriteLine($"Fashion-MNIST is not in {directory}. Install it with:");
        output.WriteLine("    sudo apt-get install dataset-fashion-mnist");
        output.WriteLine("or download the four files from https://github.com/zalandoresearch/fashion-mnist into that folder.");
        return false;
    }

    // The progress bar goes to the console when the example writes there, else plain lines to the writer given.
    internal static IAnsiConsole ConsoleFor(TextWriter output) =>
        ReferenceEquals(output, Console.Out)
            ? AnsiConsole.Console
            : AnsiConsole.Create(new AnsiConsoleSettings
            {
                Out = new AnsiConsoleOutput(output),
                Ansi = AnsiSupport.No,
                Interactive = InteractionSupport.No,
            });
}
