using Nabla.NN;
using Nabla.Optim;
using F = Nabla.IO.CheckpointFormat;

namespace Nabla.IO;

/// <summary>
/// A full training checkpoint in one safetensors file: the model's weights, the optimizer's and scheduler's
/// state, the epoch and global step, the states of the random generators, and the caller's own metadata.
/// Loading it into freshly made objects and training on gives exactly the run that was never interrupted.
/// </summary>
/// <remarks>
/// <code>
/// Checkpoint.Save("run/last.safetensors", model, optimizer, scheduler, epoch: epoch + 1, globalStep: step,
///     generators: [loader.Generator], metadata: new Dictionary&lt;string, string&gt; { ["best_val_loss"] = "0.0123" });
/// var info = Checkpoint.Load("run/last.safetensors", model, optimizer, scheduler, generators: [loader.Generator]);
/// for (int epoch = info.Epoch; epoch &lt; epochs; epoch++) { ... }
/// </code>
/// The tensors are named <c>model.*</c>, <c>optimizer.*</c> and <c>scheduler.*</c> with PyTorch's state-dict names,
/// so the file also opens with <c>safetensors.torch.load_file</c>. Save the checkpoint between epochs: a data loader's
/// position inside an epoch is not part of it, its shuffle generator's state is.
/// </remarks>
public static class Checkpoint
{
    /// <summary>The checkpoint layout version this library writes and the newest it reads.</summary>
    public const int FormatVersion = F.Version;

    /// <summary>
    /// Writes a checkpoint to <paramref name="path"/>, atomically: it replaces the file only once completely
    /// written and flushed, so a crash while saving leaves the previous checkpoint intact.
    /// </summary>
    /// <param name="path">The file to write (conventionally <c>*.safetensors</c>).</param>
    /// <param name="model">The model whose state dict (parameters and buffers) is saved.</param>
    /// <param name="optimizer">The optimizer whose state (steps, moment buffers, hyperparameters) is saved, if any.</param>
    /// <param name="scheduler">The learning-rate scheduler whose progress is saved, if any.</param>
    /// <param name="epoch">Where training stands, by convention the number of completed epochs.</param>
    /// <param name="globalStep">The number of optimizer updates so far.</param>
    /// <param name="generators">Generators besides <see cref="Generator.Default"/> (always saved) whose state a
    /// resumed run needs, e.g. the data loader's shuffle generator. Load must get them in the same order.</param>
    /// <param name="metadata">Free-form strings to keep with the checkpoint (e.g. the best validation loss).</param>
    public static void Save(string path, Module model, Optimizer? optimizer = null, Stateful? scheduler = null,
        int epoch = 0, long globalStep = 0, IReadOnlyList<Generator>? generators = null,
        IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        var tensors = new List<KeyValuePair<string, Tensor>>();
        var meta = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [F.Format] = F.FormatName,
            [F.FormatVersion] = F.Encode(F.Version),
            [F.Epoch] = F.Encode(epoch),
            [F.GlobalStep] = F.Encode(globalStep),
            [F.Model] = model.GetType().Name,
            [F.DefaultRng] = F.Encode(Generator.Default.GetState()),
            [F.Generators] = F.Encode(generators?.Count ?? 0),
        };
        Add(tensors, F.Model, model.StateDict());
        if (optimizer is not null)
        {
            Add(tensors, F.Optimizer, optimizer.StateDict());
            meta[F.Optimizer] = optimizer.Name;
        }
        if (scheduler is not null)
        {
            Add(tensors, F.Scheduler, scheduler.StateDict());
            meta[F.Scheduler] = scheduler.Name;
        }
        for (int i = 0; i < (generators?.Count ?? 0); i++)
        {
            var g = generators![i] ?? throw new ArgumentException($"Checkpoint.Save: generator {i} is null.", nameof(generators));
            meta[F.Rng(i)] = F.Encode(g.GetState());
        }
        if (metadata is not null)
            foreach (var (key, value) in metadata) meta[F.UserPrefix + key] = value;
        SafeTensors.Save(path, tensors, meta);
    }

    private static void Add(List<KeyValuePair<string, Tensor>> tensors, string part, IEnumerable<KeyValuePair<string, Tensor>> state)
    {
        foreach (var (name, tensor) in state) tensors.Add(new(F.Prefix(part) + name, tensor));
    }

    /// <summary>
    /// Restores a checkpoint written by <see cref="Save"/> into <paramref name="model"/> and the other objects
    /// given, made with the same arguments as in the saved run. It is all or nothing: the file is read and
    /// checked completely first, and if any part does not fit, the parts already restored are put back, so a
    /// corrupt or mismatched checkpoint leaves every object as it was.
    /// </summary>
    /// <param name="path">The checkpoint file.</param>
    /// <param name="model">Receives the weights; names and shapes must match exactly (strict).</param>
    /// <param name="optimizer">Receives the optimizer state, if given (the checkpoint must have one, of the same class).
    /// When null, the saved optimizer state is ignored (e.g. to evaluate a checkpoint).</param>
    /// <param name="scheduler">Receives the scheduler state, if given (the checkpoint must have one, of the same class).
    /// When null, the saved scheduler state is ignored.</param>
    /// <param name="generators">Receive the states saved for the generators given to <see cref="Save"/>, in the same
    /// order (fewer may be given). <see cref="Generator.Default"/> is always restored.</param>
    /// <returns>The epoch, global step and user metadata that were saved.</returns>
    /// <exception cref="InvalidDataException">The file is truncated, corrupt or not a Nabla checkpoint (nothing is changed).</exception>
    /// <exception cref="ArgumentException">The checkpoint does not fit the objects given: missing parts, other classes,
    /// names or shapes that differ (nothing is changed).</exception>
    public static CheckpointInfo Load(string path, Module model, Optimizer? optimizer = null, Stateful? scheduler = null,
        IReadOnlyList<Generator>? generators = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        var file = SafeTensors.Load(path);
        var meta = file.Metadata;
        InvalidDataException Invalid(string problem) => new($"{path}: {problem}");

        // 1. The file: is it a checkpoint of a version we read, with well-formed metadata?
        if (!meta.TryGetValue(F.Format, out var format) || format != F.FormatName)
            throw Invalid($"not a Nabla checkpoint (metadata '{F.Format}' is {(format is null ? "missing" : $"'{format}'")}, expected '{F.FormatName}'); plain weights load with LoadWeights.");
        long version = Required(F.FormatVersion, 1, int.MaxValue);
        if (version > F.Version)
            throw Invalid($"written in checkpoint format version {version}, but this version of Nabla reads up to {F.Version}.");
        int epoch = (int)Required(F.Epoch, int.MinValue, int.MaxValue);
        long globalStep = Required(F.GlobalStep, long.MinValue, long.MaxValue);
        int savedGenerators = (int)Required(F.Generators, 0, int.MaxValue);
        var defaultState = State(F.DefaultRng);
        var states = new ulong[generators?.Count ?? 0][];
        var problems = new List<string>();
        if (states.Length > savedGenerators)
            problems.Add($"{states.Length} generator(s) given, but the checkpoint holds the state of {savedGenerators}");
        else
            for (int i = 0; i < states.Length; i++) states[i] = State(F.Rng(i));

        var parts = new Dictionary<string, List<KeyValuePair<string, Tensor>>>
        {
            [F.Model] = new(), [F.Optimizer] = new(), [F.Scheduler] = new(),
        };
        foreach (var (name, tensor) in file)
        {
            int dot = name.IndexOf('.');
            if (dot < 0 || !parts.TryGetValue(name[..dot], out var part))
                throw Invalid($"unexpected tensor '{name}' (a checkpoint holds only model.*, optimizer.* and scheduler.* tensors).");
            part.Add(new(name[(dot + 1)..], tensor));
        }

        // 2. The objects: are the parts asked for present and of the same kind?
        CheckKind(F.Optimizer, optimizer?.Name, problems);
        CheckKind(F.Scheduler, scheduler?.Name, problems);
        for (int i = 0; i < states.Length; i++)
            if (generators![i] is null) problems.Add($"generator {i} is null");
        if (problems.Count > 0)
            throw new ArgumentException($"{path}: the checkpoint does not fit what was given: {string.Join("; ", problems)}.");

        // 3. Restore part by part; each checks everything before changing anything, and on failure the parts
        // already restored get their previous state back.
        var undo = new Stack<Action>();
        try
        {
            var modelBefore = model.StateDict().Select(kv => new KeyValuePair<string, Tensor>(kv.Key, kv.Value.Detach().Clone())).ToList();
            model.LoadStateDict(parts[F.Model], strict: true);
            undo.Push(() => model.LoadStateDict(modelBefore, strict: true));
            if (optimizer is not null)
            {
                var before = optimizer.StateDict();
                optimizer.LoadStateDict(parts[F.Optimizer]);
                undo.Push(() => optimizer.LoadStateDict(before));
            }
            if (scheduler is not null)
            {
                var before = scheduler.StateDict();
                scheduler.LoadStateDict(parts[F.Scheduler]);
                undo.Push(() => scheduler.LoadStateDict(before));
            }
        }
        catch (Exception e)
        {
            while (undo.Count > 0) undo.Pop()();
            if (e is ArgumentException) throw new ArgumentException($"{path}: the checkpoint does not fit what was given. {e.Message}", e);
            throw;
        }
        // Generator states were checked above, so this cannot fail half way.
        Generator.Default.SetState(defaultState);
        for (int i = 0; i < states.Length; i++) generators![i].SetState(states[i]);

        var user = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in meta)
            if (key.StartsWith(F.UserPrefix, StringComparison.Ordinal)) user[key[F.UserPrefix.Length..]] = value;
        return new CheckpointInfo(epoch, globalStep, user, (int)version);

        long Required(string key, long min, long max)
        {
            if (!meta.TryGetValue(key, out var text)) throw Invalid($"metadata '{key}' is missing.");
            if (!F.TryParse(text, out long value) || value < min || value > max)
                throw Invalid($"metadata '{key}' is '{text}', not an integer in [{min}, {max}].");
            return value;
        }

        ulong[] State(string key)
        {
            if (!meta.TryGetValue(key, out var text)) throw Invalid($"metadata '{key}' is missing.");
            return F.ParseState(text) ?? throw Invalid($"metadata '{key}' is '{text}', not a generator state ({Generator.StateLength} hex words).");
        }

        void CheckKind(string part, string? given, List<string> list)
        {
            meta.TryGetValue(part, out var saved);
            if (given is null) return;
            if (saved is null) list.Add($"a {part} ({given}) was given, but the checkpoint was saved without one");
            else if (saved != given) list.Add($"the {part} is a {given}, but the checkpoint holds the state of a {saved}");
        }
    }
}
