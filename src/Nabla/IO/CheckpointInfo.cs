namespace Nabla.IO;

/// <summary>What <see cref="Checkpoint.Load"/> read besides the tensors: where training stood and the user's own metadata.</summary>
/// <param name="Epoch">The epoch given to <see cref="Checkpoint.Save"/> (by convention the number of completed epochs, so training resumes there).</param>
/// <param name="GlobalStep">The global step (optimizer updates so far) given to <see cref="Checkpoint.Save"/>.</param>
/// <param name="Metadata">The free-form metadata given to <see cref="Checkpoint.Save"/> (e.g. the best validation loss), with its keys as given.</param>
/// <param name="FormatVersion">The version of the checkpoint layout the file was written with.</param>
public sealed record CheckpointInfo(int Epoch, long GlobalStep, IReadOnlyDictionary<string, string> Metadata, int FormatVersion);
