namespace Nabla.Scalar;

/// <summary>
/// The primitive operation that produced a <see cref="Value"/>. Only primitives appear here:
/// subtraction, division and negation are built from them, as in micrograd.
/// </summary>
/// <remarks>
/// micrograd stores a closure <c>_backward</c> in every node. A closure per node costs an
/// allocation (delegate plus captured state) and an indirect call per node in the backward
/// walk; with tens of thousands of nodes per training step that dominates the run time.
/// Storing this one-byte code instead lets <see cref="Value.Backward"/> dispatch with a
/// <c>switch</c>, which the JIT compiles to a jump table, and allocates nothing per node.
/// </remarks>
internal enum ValueOp : byte
{
    /// <summary>A leaf: created by the user (an input, a weight, a constant), no children.</summary>
    Leaf,
    /// <summary><c>a + b</c>.</summary>
    Add,
    /// <summary><c>a * b</c>.</summary>
    Mul,
    /// <summary><c>a ** p</c> for a constant exponent <c>p</c>.</summary>
    Pow,
    /// <summary><c>exp(a)</c>.</summary>
    Exp,
    /// <summary><c>log(a)</c>, the natural logarithm.</summary>
    Log,
    /// <summary><c>tanh(a)</c>.</summary>
    Tanh,
    /// <summary><c>max(a, 0)</c>.</summary>
    Relu,
    /// <summary><c>1 / (1 + exp(-a))</c>.</summary>
    Sigmoid,
}
