namespace Nabla;

/// <summary>Whether ops record the graph on this thread (off inside <see cref="Tensor.NoGrad"/> and during backward).</summary>
internal static class GradMode
{
    [ThreadStatic] private static int disabledDepth;

    public static bool IsEnabled => disabledDepth == 0;

    public static NoGradScope Disable()
    {
        disabledDepth++;
        return new NoGradScope(active: true);
    }

    internal static void Restore() => disabledDepth--;
}

/// <summary>Turns gradient recording off until disposed: <c>using (Tensor.NoGrad()) { ... }</c>.</summary>
public readonly struct NoGradScope : IDisposable
{
    private readonly bool active;

    internal NoGradScope(bool active) => this.active = active;

    /// <summary>Turns recording back on (scopes nest).</summary>
    public void Dispose()
    {
        if (active) GradMode.Restore();
    }
}
