using System.Diagnostics;
using System.Globalization;
using Nabla.Data;
using Nabla.NN;
using Nabla.Optim;
using Nabla.Training;

namespace Nabla.Examples;

/// <summary>
/// A small convolutional network classifies Fashion-MNIST clothes: two blocks of 3x3 convolution, batch norm, ReLU
/// and 2x2 max-pooling (28x28 -> 14x14 -> 7x7), then dropout and two dense layers. Adam with a cosine schedule,
/// batch 64, 10 epochs; 10% of the training images held out for validation, the 10,000 test images scored at the end.
/// </summary>
public sealed class FashionCnnExample : IExample
{
    private const int Epochs = 10, BatchSize = 64;

    /// <inheritdoc/>
    public string Name => "fashion-cnn";

    /// <inheritdoc/>
    public string Description => "Two conv blocks (32 and 64 channels) and a dense head on Fashion-MNIST, 10 epochs of Adam; test accuracy at the end.";

    /// <inheritdoc/>
    public int Run(ExampleContext context) => Train(context, FashionMnist.DefaultDirectory, Epochs);

    /// <summary>Trains on the data in <paramref name="directory"/> and reports; returns the exit code (1 when the data is missing).</summary>
    public static int Train(ExampleContext context, string directory, int epochs)
    {
        var output = context.Out;
        if (!FashionMlpExample.IsInstalled(directory, output)) return 1;
        var clock = Stopwatch.StartNew();

        // Images (N, 1, 28, 28) with pixels in [0, 1], centred and scaled by the training images' mean and std.
        var trainImages = FashionMnist.Load(directory, train: true);     // 60,000
        var testImages = FashionMnist.Load(directory, train: false);     // 10,000
        float mean = trainImages.Inputs.Mean().Item(), std = trainImages.Inputs.Std(correction: 0).Item();
        var trainSet = new TensorDataset((trainImages.Inputs - mean) / std, trainImages.Targets);
        var testSet = new TensorDataset((testImages.Inputs - mean) / std, testImages.Targets);
        var (train, validation) = trainSet.TrainValidationSplit(0.1, seed: context.Seed, stratify: true);
        output.WriteLine($"{train.Count} training, {validation.Count} validation and {testSet.Count} test images");

        var g = new Generator(context.Seed);
        var model = BuildNetwork(g);
        output.WriteLine(model.Summary(1, 1, 28, 28));

        var optimizer = new Adam(model.Parameters(), lr: 1e-3);
        var trainer = new Trainer(model, optimizer, new CrossEntropyLoss().Forward)
        {
            Scheduler = new CosineAnnealingLR(optimizer, tMax: epochs),
        };
        trainer.Callbacks.Add(new ProgressReporter(FashionMlpExample.ConsoleFor(output)));
        trainer.Fit(new DataLoader(train, BatchSize, shuffle: true, generator: g), new DataLoader(validation, 1000), epochs);
        double trainSeconds = clock.Elapsed.TotalSeconds;

        var (testLoss, testAccuracy) = trainer.Evaluate(new DataLoader(testSet, 1000));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"test loss {testLoss:F4}, test accuracy {testAccuracy * 100:F2}% ({testSet.Count} images), {trainSeconds:F0} s in all"));
        return 0;
    }

    /// <summary>The network: images (B, 1, 28, 28) to logits (B, 10); the bench program times this same one.</summary>
    public static Sequential BuildNetwork(Generator generator) => new(
        // The convolutions need no bias: the batch norm after each one subtracts the channel mean anyway.
        new Conv2d(1, 32, 3, padding: 1, bias: false, generator: generator), new BatchNorm2d(32), new ReLU(), new MaxPool2d(2),  // (B, 32, 14, 14)
        new Conv2d(32, 64, 3, padding: 1, bias: false, generator: generator), new BatchNorm2d(64), new ReLU(), new MaxPool2d(2), // (B, 64, 7, 7)
        new Flatten(),                                                                                                           // (B, 3136)
        new Dropout(0.25, generator),
        new Linear(64 * 7 * 7, 128, generator: generator), new ReLU(),
        new Linear(128, 10, generator: generator));                                                                              // logits (B, 10)
}
