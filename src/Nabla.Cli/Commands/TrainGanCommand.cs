using System.Globalization;
using System.Text.Json;
using Nabla.Cli.Models;
using Nabla.Data;
using Nabla.Examples;
using Nabla.Kernels;

namespace Nabla.Cli.Commands;

/// <summary>
/// <c>nabla train --model gan --dataset fashion-mnist</c>: the DCGAN of the gan-fashion example, trained with the
/// GAN trainer; writes a sample grid per epoch (<c>samples/epoch_NNN.png</c>), the final grid (<c>samples.png</c>), the
/// generator (<c>generator.safetensors</c>: the moving average of G's weights the grids were drawn from, for
/// <c>nabla gan-score</c>), <c>history.csv</c> and <c>metrics.json</c>.
/// </summary>
internal static class TrainGanCommand
{
    /// <summary>The GAN's epochs, batch size and learning rate where <paramref name="given"/> says the command line left them at their defaults.</summary>
    public static TrainCommand.TrainOptions WithDefaults(TrainCommand.TrainOptions o, Func<string, bool> given) => o with
    {
        Epochs = given("--epochs") ? o.Epochs : GanFashionExample.DefaultEpochs,
        BatchSize = given("--batch-size") ? o.BatchSize : GanFashionExample.DefaultBatchSize,
        LearningRate = given("--lr") ? o.LearningRate : GanFashionExample.DefaultLearningRate,
        Schedule = given("--schedule") ? o.Schedule : "none",
        Hidden = given("--hidden") ? o.Hidden : [],
    };

    /// <summary>Trains and writes the files; returns the exit code. Only --dataset fashion-mnist applies; --hidden gives the widths of G
    /// and D (two numbers, default 64,48: see <see cref="DcganSpec"/>); --lr is G's learning rate, and D's is
    /// <see cref="GanFashionExample.DiscriminatorLearningRateRatio"/> times it; --optimizer and --validation do not apply.</summary>
    public static int Train(TrainCommand.TrainOptions o)
    {
        if (o.Dataset != "fashion-mnist")
            throw new ArgumentException($"--model gan trains on --dataset fashion-mnist (28x28 images), not '{o.Dataset}'.");
        if (o.BatchSize < 2) throw new ArgumentException($"--batch-size must be at least 2 for batch norm, got {o.BatchSize}.");
        if (o.Epochs < 1) throw new ArgumentException($"--epochs must be at least 1, got {o.Epochs}.");
        Threads.Count = o.Threads;
        var spec = o.Hidden switch
        {
            [] => new DcganSpec(),
            [int g, int d] => new DcganSpec(GeneratorWidth: g, DiscriminatorWidth: d),
            _ => throw new ArgumentException($"--hidden for --model gan takes two widths, G's and D's (e.g. 64,48), got {o.Hidden.Length}: {string.Join(',', o.Hidden)}."),
        };
        Directory.CreateDirectory(o.Output);
        var run = GanFashionExample.Train(new ExampleContext(Console.Out, o.Output, o.Seed), o.Data ?? FashionMnist.DefaultDirectory, o.Epochs, spec,
                                          o.BatchSize, o.LearningRate, Path.Combine(o.Output, "samples"),
                                          schedule: optimizer => TrainRun.MakeSchedule(o.Schedule, optimizer, o.Epochs));
        if (run is null) return 1;
        if (run.History.StopReason != "completed")
        {
            Console.Error.WriteLine($"Training failed: {run.History.StopReason}. No generator was written.");
            return 1;
        }
        string finalGrid = Path.Combine(o.Output, "samples.png");
        File.Copy(run.FinalGrid, finalGrid, overwrite: true);
        var file = new GanModelFile { Spec = spec, Generator = run.Generator };
        string generatorPath = Path.Combine(o.Output, "generator.safetensors");
        file.Save(generatorPath);
        TrainCommand.WriteAtomically(Path.Combine(o.Output, "history.csv"), run.History.ToCsv());
        var last = run.History.Epochs[^1];
        var metrics = new Dictionary<string, object?>
        {
            ["dataset"] = "fashion-mnist",
            ["model"] = file.Description,
            ["generator_parameters"] = run.Generator.ParameterCount(),
            ["discriminator_parameters"] = run.Discriminator.ParameterCount(),
            ["epochs"] = run.History.Epochs.Count,
            ["batch_size"] = o.BatchSize,
            ["learning_rate"] = o.LearningRate,
            // Rounded so that 1.5 * 2e-4 prints as 0.0003, not 0.00030000000000000003.
            ["discriminator_learning_rate"] = Math.Round(GanFashionExample.DiscriminatorLearningRateRatio * o.LearningRate, 12),
            ["generator_average_decay"] = GanFashionExample.DefaultGeneratorAverageDecay,
            ["schedule"] = o.Schedule,
            ["d_loss"] = last.DiscriminatorLoss,
            ["g_loss"] = last.GeneratorLoss,
            ["d_real"] = last.RealScore,
            ["d_fake"] = last.FakeScore,
            ["seconds_per_epoch"] = run.Seconds / run.History.Epochs.Count,
            ["threads"] = o.Threads,
            ["seconds"] = run.Seconds,
        };
        TrainCommand.WriteAtomically(Path.Combine(o.Output, "metrics.json"), JsonSerializer.Serialize(metrics, new JsonSerializerOptions { WriteIndented = true }));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Wrote {generatorPath}, {finalGrid}, samples/epoch_001.png .. epoch_{o.Epochs:D3}.png, history.csv, metrics.json"));
        Console.WriteLine($"Score it: nabla gan-score {generatorPath} --classifier CNN_MODEL (from nabla train --dataset fashion-mnist --model cnn)");
        return 0;
    }
}
