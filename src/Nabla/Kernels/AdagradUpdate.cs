using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Nabla.Kernels;

/// <summary>
/// The fused Adagrad update over one parameter (PyTorch 1.13 <c>_single_tensor_adagrad</c>, dense case), in one pass:
/// <code>
/// g = sign * g  [+ weightDecay * p]          (sign = -1 when maximizing)
/// sum = sum + g * g
/// p = p + (-clr * g) / (sqrt(sum) + eps)     with clr = lr / (1 + (t - 1) * lrDecay)
/// </code>
/// </summary>
internal static class AdagradUpdate
{
    // step: The step count after this update (1 on the first call).
    public static void Run<T>(Span<T> param, ReadOnlySpan<T> grad, Span<T> sum,
        long step, double lr, double lrDecay, double eps, double weightDecay, bool maximize)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = param.Length;
        if (grad.Length != n || sum.Length != n)
            throw new ArgumentException($"AdagradUpdate: span lengths differ (param {n}, grad {grad.Length}, sum {sum.Length}).");
        double clr = lr / (1 + (step - 1) * lrDecay);
        var s = new Scalars<T>(
            Sign: maximize ? -T.One : T.One,
            WeightDecay: T.CreateTruncating(weightDecay),
            Eps: T.CreateTruncating(eps),
            NegClr: T.CreateTruncating(-clr));
        if (weightDecay != 0) Core<T, KernelFlag.On>(param, grad, sum, s);
        else Core<T, KernelFlag.Off>(param, grad, sum, s);
    }

    private readonly record struct Scalars<T>(T Sign, T WeightDecay, T Eps, T NegClr);

    private static void Core<T, TDecay>(Span<T> param, ReadOnlySpan<T> grad, Span<T> sum, Scalars<T> s)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TDecay : struct, IKernelFlag
    {
        int n = param.Length, i = 0;
        ref T p = ref MemoryMarshal.GetReference(param);
        ref T g = ref MemoryMarshal.GetReference(grad);
        ref T acc = ref MemoryMarshal.GetReference(sum);
        if (Vector256.IsHardwareAccelerated && Vector256<T>.IsSupported)
        {
            var sign = Vector256.Create(s.Sign);
            var wd = Vector256.Create(s.WeightDecay);
            var eps = Vector256.Create(s.Eps);
            var negClr = Vector256.Create(s.NegClr);
            for (int last = n - Vector256<T>.Count; i <= last; i += Vector256<T>.Count)
            {
                var pv = Vector256.LoadUnsafe(ref p, (nuint)i);
                var gv = Vector256.LoadUnsafe(ref g, (nuint)i) * sign;
                if (TDecay.Value) gv += wd * pv;
                var sv = Vector256.LoadUnsafe(ref acc, (nuint)i) + gv * gv;
                sv.StoreUnsafe(ref acc, (nuint)i);
                (pv + negClr * gv / (Vector256.Sqrt(sv) + eps)).StoreUnsafe(ref p, (nuint)i);
            }
        }
        for (; i < n; i++)
        {
            T pv = Unsafe.Add(ref p, i);
            T gv = Unsafe.Add(ref g, i) * s.Sign;
            if (TDecay.Value) gv += s.WeightDecay * pv;
            ref T sv = ref Unsafe.Add(ref acc, i);
            sv += gv * gv;
            Unsafe.Add(ref p, i) = pv + s.NegClr * gv / (T.Sqrt(sv) + s.Eps);
        }
    }
}
