using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Nabla.Kernels;

/// <summary>
/// Per-thread packing buffers for GEMM, kept between calls so that a call allocates nothing once
/// the buffers have grown to the sizes it needs (at most one KC x NC block of B and one MC x KC
/// block of A per thread). Pinned, so the kernels can hold raw pointers into them, and aligned to
/// 64 bytes, so that each packed row of a panel starts on a cache line and a zmm load never
/// straddles two lines.
/// </summary>
internal sealed unsafe class GemmWorkspace
{
    [ThreadStatic]
    private static GemmWorkspace? t_current;

    private Buffer _a, _b;

    /// <summary>The calling thread's workspace.</summary>
    public static GemmWorkspace Current => t_current ??= new GemmWorkspace();

    /// <summary>Room for a packed block of A: <paramref name="floats"/> floats, 64-byte aligned.</summary>
    public float* A(int floats) => _a.Get(floats);

    /// <summary>Room for a packed block of B.</summary>
    public float* B(int floats) => _b.Get(floats);

    private struct Buffer
    {
        private float[]? _array;
        private float* _aligned;
        private int _capacity;

        public float* Get(int floats)
        {
            if (floats > _capacity)
            {
                Grow(floats);
            }
            return _aligned;
        }

        private void Grow(int floats)
        {
            // 16 spare floats let the start move up to the next 64-byte boundary.
            _array = GC.AllocateUninitializedArray<float>(floats + 16, pinned: true);
            nint start = (nint)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(_array));
            _aligned = (float*)((start + 63) & ~(nint)63);
            _capacity = floats;
        }
    }
}
