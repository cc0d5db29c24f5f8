using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Nabla.Kernels;

/// <summary>
/// The fused SGD update over one parameter (PyTorch 1.13 <c>_single_tensor_sgd</c>), in one pass:
/// <code>
/// d = sign * g  [+ weightDecay * p]                 (sign = -1 when maximizing)
/// buf = bufScale * buf + dScale * d                 (first step: bufScale = 0, dScale = 1, so buf = d)
/// d = nesterov ? d + momentum * buf : buf           (only with momentum)
/// p = p + (-lr) * d
/// </code>
/// Each product is evaluated in PyTorch's order, so float64 results agree to the last bits.
/// </summary>
internal static class SgdUpdate
{
    // buffer: The momentum buffer (same length as <paramref name="param"/>), empty without momentum.
    public static void Run<T>(Span<T> param, ReadOnlySpan<T> grad, Span<T> buffer,
        double lr, double momentum, double dampening, double weightDecay, bool nesterov, bool maximize, bool firstStep)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (grad.Length != param.Length || (momentum != 0 && buffer.Length != param.Length))
            throw new ArgumentException($"SgdUpdate: span lengths differ (param {param.Length}, grad {grad.Length}, buffer {buffer.Length}).");
        var s = new Scalars<T>(
            Sign: maximize ? -T.One : T.One,
            WeightDecay: T.CreateTruncating(weightDecay),
            BufScale: firstStep ? T.Zero : T.CreateTruncating(momentum),
            DScale: firstStep ? T.One : T.CreateTruncating(1 - dampening),
            Momentum: T.CreateTruncating(momentum),
            NegLr: T.CreateTruncating(-lr));
        bool decay = weightDecay != 0;
        if (momentum == 0)
        {
            if (decay) Core<T, KernelFlag.On, KernelFlag.Off, KernelFlag.Off>(param, grad, buffer, s);
            else Core<T, KernelFlag.Off, KernelFlag.Off, KernelFlag.Off>(param, grad, buffer, s);
        }
        else if (nesterov)
        {
            if (decay) Core<T, KernelFlag.On, KernelFlag.On, KernelFlag.On>(param, grad, buffer, s);
            else Core<T, KernelFlag.Off, KernelFlag.On, KernelFlag.On>(param, grad, buffer, s);
        }
        else
        {
            if (decay) Core<T, KernelFlag.On, KernelFlag.On, KernelFlag.Off>(param, grad, buffer, s);
            else Core<T, KernelFlag.Off, KernelFlag.On, KernelFlag.Off>(param, grad, buffer, s);
        }
    }

    private readonly record struct Scalars<T>(T Sign, T WeightDecay, T BufScale, T DScale, T Momentum, T NegLr);

    private static void Core<T, TDecay, TMomentum, TNesterov>(Span<T> param, ReadOnlySpan<T> grad, Span<T> buffer, Scalars<T> s)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TDecay : struct, IKernelFlag
        where TMomentum : struct, IKernelFlag
        where TNesterov : struct, IKernelFlag
    {
        int n = param.Length, i = 0;
        ref T p = ref MemoryMarshal.GetReference(param);
        ref T g = ref MemoryMarshal.GetReference(grad);
        ref T b = ref MemoryMarshal.GetReference(buffer);
        if (Vector256.IsHardwareAccelerated && Vector256<T>.IsSupported)
        {
            var sign = Vector256.Create(s.Sign);
            var wd = Vector256.Create(s.WeightDecay);
            var bufScale = Vector256.Create(s.BufScale);
            var dScale = Vector256.Create(s.DScale);
            var mom = Vector256.Create(s.Momentum);
            var negLr = Vector256.Create(s.NegLr);
            for (int last = n - Vector256<T>.Count; i <= last; i += Vector256<T>.Count)
            {
                var pv = Vector256.LoadUnsafe(ref p, (nuint)i);
                var d = Vector256.LoadUnsafe(ref g, (nuint)i) * sign;
                if (TDecay.Value) d += wd * pv;
                if (TMomentum.Value)
                {
                    var bv = Vector256.LoadUnsafe(ref b, (nuint)i) * bufScale + dScale * d;
                    bv.StoreUnsafe(ref b, (nuint)i);
                    d = TNesterov.Value ? d + mom * bv : bv;
                }
                (pv + negLr * d).StoreUnsafe(ref p, (nuint)i);
            }
        }
        for (; i < n; i++)
        {
            T pv = Unsafe.Add(ref p, i);
            T d = Unsafe.Add(ref g, i) * s.Sign;
            if (TDecay.Value) d += s.WeightDecay * pv;
            if (TMomentum.Value)
            {
                ref T bv = ref Unsafe.Add(ref b, i);
                bv = bv * s.BufScale + s.DScale * d;
                d = TNesterov.Value ? d + s.Momentum * bv : bv;
            }
            Unsafe.Add(ref p, i) = pv + s.NegLr * d;
        }
    }
}
