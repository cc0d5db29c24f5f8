using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Nabla.Kernels;

/// <summary>
/// A per-element operator with a scalar and a SIMD form, in the style of TensorPrimitives' operator structs.
/// Being a struct passed as a generic argument, it is inlined into the driver loop: no call per element.
/// </summary>
internal interface IUnaryOperator
{
    T Invoke<T>(T x) where T : unmanaged, IFloatingPointIeee754<T>;
    Vector256<T> Invoke<T>(Vector256<T> x) where T : unmanaged, IFloatingPointIeee754<T>;
}

/// <summary>A per-element operator on two inputs (see <see cref="IUnaryOperator"/>).</summary>
internal interface IBinaryOperator
{
    T Invoke<T>(T x, T y) where T : unmanaged, IFloatingPointIeee754<T>;
    Vector256<T> Invoke<T>(Vector256<T> x, Vector256<T> y) where T : unmanaged, IFloatingPointIeee754<T>;
}

/// <summary>
/// The one generic SIMD loop for elementwise work TensorPrimitives does not offer (masks, fused backward
/// formulas): full 256-bit vectors first, then a last overlapping-free scalar tail.
/// </summary>
internal static class ElementwiseDriver
{
    public static void Map<T, TOp>(ReadOnlySpan<T> x, Span<T> destination, TOp op)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TOp : struct, IUnaryOperator
    {
        if (destination.Length < x.Length) throw new ArgumentException("Destination is too short.", nameof(destination));
        int n = x.Length, i = 0;
        ref T xr = ref MemoryMarshal.GetReference(x);
        ref T dr = ref MemoryMarshal.GetReference(destination);
        if (Vector256.IsHardwareAccelerated)
        {
            int last = n - Vector256<T>.Count;
            for (; i <= last; i += Vector256<T>.Count)
                op.Invoke(Vector256.LoadUnsafe(ref xr, (nuint)i)).StoreUnsafe(ref dr, (nuint)i);
        }
        for (; i < n; i++) Unsafe.Add(ref dr, i) = op.Invoke(Unsafe.Add(ref xr, i));
    }

    public static void Map<T, TOp>(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> destination, TOp op)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TOp : struct, IBinaryOperator
    {
        if (y.Length != x.Length || destination.Length < x.Length)
            throw new ArgumentException($"Span lengths differ: {x.Length}, {y.Length}, {destination.Length}.");
        int n = x.Length, i = 0;
        ref T xr = ref MemoryMarshal.GetReference(x);
        ref T yr = ref MemoryMarshal.GetReference(y);
        ref T dr = ref MemoryMarshal.GetReference(destination);
        if (Vector256.IsHardwareAccelerated)
        {
            int last = n - Vector256<T>.Count;
            for (; i <= last; i += Vector256<T>.Count)
                op.Invoke(Vector256.LoadUnsafe(ref xr, (nuint)i), Vector256.LoadUnsafe(ref yr, (nuint)i)).StoreUnsafe(ref dr, (nuint)i);
        }
        for (; i < n; i++) Unsafe.Add(ref dr, i) = op.Invoke(Unsafe.Add(ref xr, i), Unsafe.Add(ref yr, i));
    }
}
