using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Nabla.Kernels;

/// <summary>
/// The fused RMSprop update over one parameter (PyTorch 1.13 <c>_single_tensor_rmsprop</c>), in one pass:
/// <code>
/// g = sign * g  [+ weightDecay * p]                     (sign = -1 when maximizing)
/// sq = sq * alpha + ((1 - alpha) * g) * g
/// ga = ga * alpha + (1 - alpha) * g                     (centered only)
/// avg = sqrt(sq - ga * ga) + eps    (centered)   or   sqrt(sq) + eps
/// buf = buf * momentum + g / avg;  p = p + (-lr) * buf   (momentum &gt; 0)
/// p = p + (-lr * g) / avg                                (otherwise)
/// </code>
/// </summary>
internal static class RmspropUpdate
{
    // gradAvg: The running mean of g (centered only), else empty.
    // buffer: The momentum buffer (momentum &gt; 0 only), else empty.
    public static void Run<T>(Span<T> param, ReadOnlySpan<T> grad, Span<T> squareAvg, Span<T> gradAvg, Span<T> buffer,
        double lr, double alpha, double eps, double weightDecay, double momentum, bool centered, bool maximize)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = param.Length;
        if (grad.Length != n || squareAvg.Length != n || (centered && gradAvg.Length != n) || (momentum > 0 && buffer.Length != n))
            throw new ArgumentException($"RmspropUpdate: span lengths differ (param {n}, grad {grad.Length}, square_avg {squareAvg.Length}, grad_avg {gradAvg.Length}, momentum_buffer {buffer.Length}).");
        var s = new Scalars<T>(
            Sign: maximize ? -T.One : T.One,
            WeightDecay: T.CreateTruncating(weightDecay),
            Alpha: T.CreateTruncating(alpha),
            OneMinusAlpha: T.CreateTruncating(1 - alpha),
            Eps: T.CreateTruncating(eps),
            Momentum: T.CreateTruncating(momentum),
            NegLr: T.CreateTruncating(-lr));
        bool decay = weightDecay != 0, withMomentum = momentum > 0;
        switch ((decay, centered, withMomentum))
        {
            case (false, false, false): Core<T, KernelFlag.Off, KernelFlag.Off, KernelFlag.Off>(param, grad, squareAvg, gradAvg, buffer, s); break;
            case (false, false, true): Core<T, KernelFlag.Off, KernelFlag.Off, KernelFlag.On>(param, grad, squareAvg, gradAvg, buffer, s); break;
            case (false, true, false): Core<T, KernelFlag.Off, KernelFlag.On, KernelFlag.Off>(param, grad, squareAvg, gradAvg, buffer, s); break;
            case (false, true, true): Core<T, KernelFlag.Off, KernelFlag.On, KernelFlag.On>(param, grad, squareAvg, gradAvg, buffer, s); break;
            case (true, false, false): Core<T, KernelFlag.On, KernelFlag.Off, KernelFlag.Off>(param, grad, squareAvg, gradAvg, buffer, s); break;
            case (true, false, true): Core<T, KernelFlag.On, KernelFlag.Off, KernelFlag.On>(param, grad, squareAvg, gradAvg, buffer, s); break;
            case (true, true, false): Core<T, KernelFlag.On, KernelFlag.On, KernelFlag.Off>(param, grad, squareAvg, gradAvg, buffer, s); break;
            case (true, true, true): Core<T, KernelFlag.On, KernelFlag.On, KernelFlag.On>(param, grad, squareAvg, gradAvg, buffer, s); break;
        }
    }

    private readonly record struct Scalars<T>(T Sign, T WeightDecay, T Alpha, T OneMinusAlpha, T Eps, T Momentum, T NegLr);

    private static void Core<T, TDecay, TCentered, TMomentum>(Span<T> param, ReadOnlySpan<T> grad, Span<T> squareAvg, Span<T> gradAvg, Span<T> buffer, Scalars<T> s)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TDecay : struct, IKernelFlag
        where TCentered : struct, IKernelFlag
        where TMomentum : struct, IKernelFlag
    {
        int n = param.Length, i = 0;
        ref T p = ref MemoryMarshal.GetReference(param);
        ref T g = ref MemoryMarshal.GetReference(grad);
        ref T sq = ref MemoryMarshal.GetReference(squareAvg);
        ref T ga = ref MemoryMarshal.GetReference(gradAvg);
        ref T b = ref MemoryMarshal.GetReference(buffer);
        if (Vector256.IsHardwareAccelerated && Vector256<T>.IsSupported)
        {
            var sign = Vector256.Create(s.Sign);
            var wd = Vector256.Create(s.WeightDecay);
            var alpha = Vector256.Create(s.Alpha);
            var oneMinusAlpha = Vector256.Create(s.OneMinusAlpha);
            var eps = Vector256.Create(s.Eps);
            var mom = Vector256.Create(s.Momentum);
            var negLr = Vector256.Create(s.NegLr);
            for (int last = n - Vector256<T>.Count; i <= last; i += Vector256<T>.Count)
            {
                var pv = Vector256.LoadUnsafe(ref p, (nuint)i);
                var gv = Vector256.LoadUnsafe(ref g, (nuint)i) * sign;
                if (TDecay.Value) gv += wd * pv;
                var sqv = Vector256.LoadUnsafe(ref sq, (nuint)i) * alpha + oneMinusAlpha * gv * gv;
                sqv.StoreUnsafe(ref sq, (nuint)i);
                Vector256<T> avg;
                if (TCentered.Value)
                {
                    var gav = Vector256.LoadUnsafe(ref ga, (nuint)i) * alpha + oneMinusAlpha * gv;
                    gav.StoreUnsafe(ref ga, (nuint)i);
                    avg = Vector256.Sqrt(sqv + -gav * gav);
                }
                else avg = Vector256.Sqrt(sqv);
                avg += eps;
                if (TMomentum.Value)
                {
                    var bv = Vector256.LoadUnsafe(ref b, (nuint)i) * mom + gv / avg;
                    bv.StoreUnsafe(ref b, (nuint)i);
                    (pv + negLr * bv).StoreUnsafe(ref p, (nuint)i);
                }
                else (pv + negLr * gv / avg).StoreUnsafe(ref p, (nuint)i);
            }
        }
        for (; i < n; i++)
        {
            T pv = Unsafe.Add(ref p, i);
            T gv = Unsafe.Add(ref g, i) * s.Sign;
            if (TDecay.Value) gv += s.WeightDecay * pv;
            ref T sqv = ref Unsafe.Add(ref sq, i);
            sqv = sqv * s.Alpha + s.OneMinusAlpha * gv * gv;
            T avg;
            if (TCentered.Value)
            {
                ref T gav = ref Unsafe.Add(ref ga, i);
                gav = gav * s.Alpha + s.OneMinusAlpha * gv;
                avg = T.Sqrt(sqv + -gav * gav);
            }
            else avg = T.Sqrt(sqv);
            avg += s.Eps;
            if (TMomentum.Value)
            {
                ref T bv = ref Unsafe.Add(ref b, i);
                bv = bv * s.Momentum + gv / avg;
                Unsafe.Add(ref p, i) = pv + s.NegLr * bv;
            }
            else Unsafe.Add(ref p, i) = pv + s.NegLr * gv / avg;
        }
    }
}
