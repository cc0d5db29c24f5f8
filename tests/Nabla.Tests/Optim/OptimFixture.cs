using System.Text.Json;
using Nabla.NN;
using Nabla.Optim;
using Nabla.Tests.Support;

namespace Nabla.Tests.Optim;

/// <summary>An optimizer run recorded by tools/fixtures_optim.py: options, initial values, each step's gradients and the values after it.</summary>
public sealed record OptimizerCase(string Name, string Optimizer, Dictionary<string, JsonElement> Options, GroupSpec[]? Groups,
    FixtureTensor[] Initial, FixtureTensor?[][] Grads, FixtureTensor[][] Params)
{
    public override string ToString() => Name;
}

/// <summary>A parameter group of a recorded run: indices into the parameters and the options it overrides (PyTorch kwargs).</summary>
public sealed record GroupSpec(int[] Params, Dictionary<string, JsonElement> Options);

/// <summary>A scheduler run: the learning rate of each group (and the cycled momentum) after construction and after each step.</summary>
public sealed record SchedulerCase(string Name, string Scheduler, Dictionary<string, JsonElement> Options, string Optimizer,
    Dictionary<string, JsonElement> OptimizerOptions, double[] GroupLrFactors, double[]? Metrics, double[][] Lr, double[][]? Momentum);

/// <summary>A clipping case: gradients before, the total norm returned and the gradients after.</summary>
public sealed record ClipCase(string Name, string Kind, double MaxNorm, JsonElement NormType, double ClipValue,
    FixtureTensor?[] Grads, double TotalNorm, FixtureTensor?[] Clipped);

/// <summary>Loads tests/Nabla.Tests/Fixtures/optim.json and rebuilds the recorded optimizers and schedulers with Nabla.</summary>
public static class OptimFixture
{
    private sealed record FixtureFile(string TorchVersion, int Steps, OptimizerCase[] Optimizers, SchedulerCase[] Schedulers, ClipCase[] Clipping);

    private static readonly Lazy<FixtureFile> file = new(() =>
    {
        string path = Path.Combine(AppContext.BaseDirectory, "Fixtures", "optim.json");
        using var stream = File.OpenRead(path);
        return JsonSerializer.Deserialize<FixtureFile>(stream, new JsonSerializerOptions { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower })
            ?? throw new InvalidDataException($"{path}: empty fixture file; regenerate it with tools/fixtures_optim.py.");
    });

    public static IReadOnlyList<OptimizerCase> Optimizers => file.Value.Optimizers;
    public static IReadOnlyList<SchedulerCase> Schedulers => file.Value.Schedulers;
    public static IReadOnlyList<ClipCase> Clipping => file.Value.Clipping;

    public static OptimizerCase Optimizer(string name) => Optimizers.FirstOrDefault(c => c.Name == name)
        ?? throw new KeyNotFoundException($"No optimizer case '{name}' in optim.json; regenerate it with tools/fixtures_optim.py.");

    public static IEnumerable<object[]> OptimizerNames => Optimizers.Select(c => new object[] { c.Name });
    public static IEnumerable<object[]> SchedulerNames => Schedulers.Select(c => new object[] { c.Name });
    public static IEnumerable<object[]> ClipNames => Clipping.Select(c => new object[] { c.Name });

    /// <summary>Fresh parameters holding the case's initial values in <paramref name="dtype"/>.</summary>
    public static Parameter[] InitialParameters(OptimizerCase c, DType dtype) =>
        c.Initial.Select(t => new Parameter(t.ToTensor().To(dtype))).ToArray();

    /// <summary>The case's parameter groups over <paramref name="ps"/> (one group when the case has none).</summary>
    public static ParamGroup[] Groups(OptimizerCase c, Parameter[] ps) => c.Groups is null
        ? [new ParamGroup(ps)]
        : c.Groups.Select(g => new ParamGroup(g.Params.Select(i => ps[i]), GroupOptions(g.Options))).ToArray();

    /// <summary>PyTorch keyword arguments as group options: betas split into beta1/beta2, switches as 0/1.</summary>
    public static IEnumerable<KeyValuePair<string, double>> GroupOptions(Dictionary<string, JsonElement> kwargs)
    {
        foreach (var (key, value) in kwargs)
        {
            if (key == "betas")
            {
                yield return new("beta1", value[0].GetDouble());
                yield return new("beta2", value[1].GetDouble());
            }
            else if (value.ValueKind is JsonValueKind.True or JsonValueKind.False) yield return new(key, value.GetBoolean() ? 1 : 0);
            else yield return new(key, value.GetDouble());
        }
    }

    /// <summary>Makes the optimizer a case names, with its PyTorch keyword arguments (and PyTorch's defaults for the rest).</summary>
    public static Optimizer Make(string kind, IEnumerable<ParamGroup> groups, Dictionary<string, JsonElement> kwargs)
    {
        double D(string key, double fallback) => kwargs.TryGetValue(key, out var v) ? v.GetDouble() : fallback;
        bool B(string key) => kwargs.TryGetValue(key, out var v) && v.GetBoolean();
        (double, double)? betas = kwargs.TryGetValue("betas", out var b) ? (b[0].GetDouble(), b[1].GetDouble()) : null;
        return kind switch
        {
            "SGD" => new SGD(groups, D("lr", double.NaN), D("momentum", 0), D("dampening", 0), D("weight_decay", 0), B("nesterov"), B("maximize")),
            "Adam" => new Adam(groups, D("lr", 1e-3), betas, D("eps", 1e-8), D("weight_decay", 0), B("amsgrad"), B("maximize")),
            "AdamW" => new AdamW(groups, D("lr", 1e-3), betas, D("eps", 1e-8), D("weight_decay", 1e-2), B("amsgrad"), B("maximize")),
            "RMSprop" => new RMSprop(groups, D("lr", 1e-2), D("alpha", 0.99), D("eps", 1e-8), D("weight_decay", 0), D("momentum", 0), B("centered"), B("maximize")),
            "Adagrad" => new Adagrad(groups, D("lr", 1e-2), D("lr_decay", 0), D("weight_decay", 0), D("initial_accumulator_value", 0), D("eps", 1e-10), B("maximize")),
            _ => throw new ArgumentException($"unknown optimizer '{kind}' in the fixture"),
        };
    }

    /// <summary>Sets each parameter's gradient to the one recorded for <paramref name="step"/> (null where PyTorch had none).</summary>
    public static void SetGradients(OptimizerCase c, Parameter[] ps, int step)
    {
        for (int k = 0; k < ps.Length; k++) ps[k].Grad = c.Grads[step][k]?.ToTensor().To(ps[k].DType);
    }

    /// <summary>Checks every parameter against PyTorch's values after <paramref name="step"/> (0-based).</summary>
    public static void AssertParameters(OptimizerCase c, Parameter[] ps, int step, double tolerance)
    {
        for (int k = 0; k < ps.Length; k++)
            TorchFixture.AssertClose(c.Params[step][k], ps[k], tolerance, $"{c.Name}: parameter {k} after step {step + 1}");
    }

    /// <summary>
    /// Replays the whole case: the optimizer made by <paramref name="make"/> (default: the recorded one) gets
    /// PyTorch's gradients and must give PyTorch's parameters after every step.
    /// </summary>
    public static void Replay(OptimizerCase c, DType dtype, double tolerance, Func<ParamGroup[], Optimizer>? make = null)
    {
        var ps = InitialParameters(c, dtype);
        var groups = Groups(c, ps);
        var optimizer = make is null ? Make(c.Optimizer, groups, c.Options) : make(groups);
        for (int step = 0; step < c.Grads.Length; step++)
        {
            SetGradients(c, ps, step);
            optimizer.Step();
            AssertParameters(c, ps, step, tolerance);
        }
    }
}
