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

    /// <summary>d[i] = op(x[i], y): a binary operator with a scalar right operand (a broadcast row).</summary>
    public static void Map<T, TOp>(ReadOnlySpan<T> x, T y, Span<T> destination, TOp op)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TOp : struct, IBinaryOperator
    {
        if (destination.Length < x.Length) throw new ArgumentException("Destination is too short.", nameof(destination));
        int n = x.Length, i = 0;
        ref T xr = ref MemoryMarshal.GetReference(x);
        ref T dr = ref MemoryMarshal.GetReference(destination);
        if (Vector256.IsHardwareAccelerated)
        {
            var yv = Vector256.Create(y);
            int last = n - Vector256<T>.Count;
            for (; i <= last; i += Vector256<T>.Count)
                op.Invoke(Vector256.LoadUnsafe(ref xr, (nuint)i), yv).StoreUnsafe(ref dr, (nuint)i);
        }
        for (; i < n; i++) Unsafe.Add(ref dr, i) = op.Invoke(Unsafe.Add(ref xr, i), y);
    }

    /// <summary>d[i] = op(x, y[i]): a binary operator with a scalar left operand.</summary>
    public static void Map<T, TOp>(T x, ReadOnlySpan<T> y, Span<T> destination, TOp op)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TOp : struct, IBinaryOperator
    {
        if (destination.Length < y.Length) throw new ArgumentException("Destination is too short.", nameof(destination));
        int n = y.Length, i = 0;
        ref T yr = ref MemoryMarshal.GetReference(y);
        ref T dr = ref MemoryMarshal.GetReference(destination);
        if (Vector256.IsHardwareAccelerated)
        {
            var xv = Vector256.Create(x);
            int last = n - Vector256<T>.Count;
            for (; i <= last; i += Vector256<T>.Count)
                op.Invoke(xv, Vector256.LoadUnsafe(ref yr, (nuint)i)).StoreUnsafe(ref dr, (nuint)i);
        }
        for (; i < n; i++) Unsafe.Add(ref dr, i) = op.Invoke(x, Unsafe.Add(ref yr, i));
    }

    /// <summary>d[i] = condition[i] != 0 ? x[i] : y[i] (NaN counts as true, as in PyTorch's bool conversion).</summary>
    public static void Select<T>(ReadOnlySpan<T> condition, ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> destination)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (x.Length != condition.Length || y.Length != condition.Length || destination.Length < condition.Length)
            throw new ArgumentException($"Span lengths differ: {condition.Length}, {x.Length}, {y.Length}, {destination.Length}.");
        int n = condition.Length, i = 0;
        ref T cr = ref MemoryMarshal.GetReference(condition);
        ref T xr = ref MemoryMarshal.GetReference(x);
        ref T yr = ref MemoryMarshal.GetReference(y);
        ref T dr = ref MemoryMarshal.GetReference(destination);
        if (Vector256.IsHardwareAccelerated)
        {
            int last = n - Vector256<T>.Count;
            for (; i <= last; i += Vector256<T>.Count)
            {
                var isZero = Vector256.Equals(Vector256.LoadUnsafe(ref cr, (nuint)i), Vector256<T>.Zero);
                Vector256.ConditionalSelect(isZero, Vector256.LoadUnsafe(ref yr, (nuint)i), Vector256.LoadUnsafe(ref xr, (nuint)i))
                         .StoreUnsafe(ref dr, (nuint)i);
            }
        }
        for (; i < n; i++) Unsafe.Add(ref dr, i) = Unsafe.Add(ref cr, i) == T.Zero ? Unsafe.Add(ref yr, i) : Unsafe.Add(ref xr, i);
    }
}
