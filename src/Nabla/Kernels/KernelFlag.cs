namespace Nabla.Kernels;

/// <summary>
/// A compile-time switch for a kernel variant. Passed as a struct type argument, its <see cref="Value"/> is a
/// constant to the JIT, so <c>if (TDecay.Value)</c> disappears from the loop and every combination of options
/// gets its own branch-free loop without writing each one by hand.
/// </summary>
internal interface IKernelFlag
{
    static abstract bool Value { get; }
}

/// <summary>The two values of <see cref="IKernelFlag"/>.</summary>
internal static class KernelFlag
{
    internal readonly struct On : IKernelFlag
    {
        public static bool Value => true;
    }

    internal readonly struct Off : IKernelFlag
    {
        public static bool Value => false;
    }
}
