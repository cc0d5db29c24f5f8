using System.Diagnostics.CodeAnalysis;
using Nabla.Optim;

namespace Nabla.IO;

/// <summary>
/// A part of the training state that a <see cref="Checkpoint"/> saves as named tensors and restores: a learning-rate
/// scheduler (any <see cref="LRScheduler"/> or a <see cref="ReduceLROnPlateau"/>, converted implicitly), or anything
/// else with a state dict.
/// </summary>
public sealed class Stateful
{
    private readonly Func<IReadOnlyList<KeyValuePair<string, Tensor>>> stateDict;
    private readonly Action<IEnumerable<KeyValuePair<string, Tensor>>> loadStateDict;

    /// <summary>Wraps a state dict pair.</summary>
    /// <param name="name">The kind of object (e.g. its class name), stored and checked on load so that one kind's state is never loaded into another.</param>
    /// <param name="stateDict">Returns a snapshot of the state: copies that do not change afterwards.</param>
    /// <param name="loadStateDict">Restores a snapshot; it must check everything and throw <see cref="ArgumentException"/> before changing anything.</param>
    public Stateful(string name, Func<IReadOnlyList<KeyValuePair<string, Tensor>>> stateDict, Action<IEnumerable<KeyValuePair<string, Tensor>>> loadStateDict)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(stateDict);
        ArgumentNullException.ThrowIfNull(loadStateDict);
        Name = name;
        this.stateDict = stateDict;
        this.loadStateDict = loadStateDict;
    }

    /// <summary>The kind of object, stored in the checkpoint and checked on load.</summary>
    public string Name { get; }

    /// <summary>A snapshot of the state as named tensors.</summary>
    public IReadOnlyList<KeyValuePair<string, Tensor>> StateDict() => stateDict();

    /// <summary>Restores a state made by <see cref="StateDict"/>.</summary>
    public void LoadStateDict(IEnumerable<KeyValuePair<string, Tensor>> state) => loadStateDict(state);

    /// <summary>An epoch-driven scheduler (StepLR, CosineAnnealingLR, OneCycleLR, ...); null stays null.</summary>
    [return: NotNullIfNotNull(nameof(scheduler))]
    public static implicit operator Stateful?(LRScheduler? scheduler) =>
        scheduler is null ? null : new(scheduler.GetType().Name, scheduler.StateDict, scheduler.LoadStateDict);

    /// <summary>A metric-driven scheduler; null stays null.</summary>
    [return: NotNullIfNotNull(nameof(scheduler))]
    public static implicit operator Stateful?(ReduceLROnPlateau? scheduler) =>
        scheduler is null ? null : new(nameof(ReduceLROnPlateau), scheduler.StateDict, scheduler.LoadStateDict);
}
