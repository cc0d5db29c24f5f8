using System.Diagnostics;

namespace Nabla;

public partial class Tensor
{
    /// <summary>
    /// The elements of a contiguous tensor as <see cref="Memory{T}"/>: what <see cref="Span{T}"/> gives, in a form
    /// that a parallel work item (a struct stored on the heap by <c>Threads.For</c>) can hold.
    /// </summary>
    internal Memory<T> Memory<T>()
    {
        Debug.Assert(IsContiguous, "Memory<T>() needs a contiguous tensor");
        return NumEl == 0 ? default : new Memory<T>(Buffer<T>(), offset, NumEl);
    }
}
