using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Nabla.Kernels;

/// <summary>
/// The fused Adam / AdamW update over one parameter (PyTorch 1.13 <c>_single_tensor_adam(w)</c>), in one pass:
/// <code>
/// g = sign * g  [+ weightDecay * p]        (Adam's L2 term; sign = -1 when maximizing)
/// p = p * decoupledDecay                   (AdamW: 1 - lr * weight_decay; Adam: 1)
/// m = m * beta1 + (1 - beta1) * g
/// v = v * beta2 + ((1 - beta2) * g) * g
/// vMax = max(vMax, v)                      (AMSGrad: the denominator uses vMax instead of v)
/// p = p + (-stepSize * m) / (sqrt(v) / sqrt(1 - beta2^t) + eps)     with stepSize = lr / (1 - beta1^t)
/// </code>
/// The step-dependent scalars are computed once per call in double precision, as PyTorch does in Python.
/// </summary>
internal static class AdamUpdate
{
    // maxExpAvgSq: The AMSGrad running maximum, empty when AMSGrad is off.
    // step: The step count after this update (1 on the first call).
    public static void Run<T>(Span<T> param, ReadOnlySpan<T> grad, Span<T> expAvg, Span<T> expAvgSq, Span<T> maxExpAvgSq,
        long step, double lr, double beta1, double beta2, double eps, double weightDecay, bool decoupled, bool amsgrad, bool maximize)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = param.Length;
        if (grad.Length != n || expAvg.Length != n || expAvgSq.Length != n || (amsgrad && maxExpAvgSq.Length != n))
            throw new ArgumentException($"AdamUpdate: span lengths differ (param {n}, grad {grad.Length}, exp_avg {expAvg.Length}, exp_avg_sq {expAvgSq.Length}, max_exp_avg_sq {maxExpAvgSq.Length}).");
        double biasCorrection1 = 1 - Math.Pow(beta1, step);
        double biasCorrection2 = 1 - Math.Pow(beta2, step);
        double stepSize = lr / biasCorrection1;
        var s = new Scalars<T>(
            Sign: maximize ? -T.One : T.One,
            WeightDecay: T.CreateTruncating(decoupled ? 0 : weightDecay),
            Decay: T.CreateTruncating(decoupled ? 1 - lr * weightDecay : 1),
            Beta1: T.CreateTruncating(beta1),
            OneMinusBeta1: T.CreateTruncating(1 - beta1),
            Beta2: T.CreateTruncating(beta2),
            OneMinusBeta2: T.CreateTruncating(1 - beta2),
            BiasCorrection2Sqrt: T.CreateTruncating(Math.Sqrt(biasCorrection2)),
            Eps: T.CreateTruncating(eps),
            NegStepSize: T.CreateTruncating(-stepSize));
        bool l2 = !decoupled && weightDecay != 0;
        if (l2)
        {
            if (amsgrad) Core<T, KernelFlag.On, KernelFlag.On>(param, grad, expAvg, expAvgSq, maxExpAvgSq, s);
            else Core<T, KernelFlag.On, KernelFlag.Off>(param, grad, expAvg, expAvgSq, maxExpAvgSq, s);
        }
        else
        {
            if (amsgrad) Core<T, KernelFlag.Off, KernelFlag.On>(param, grad, expAvg, expAvgSq, maxExpAvgSq, s);
            else Core<T, KernelFlag.Off, KernelFlag.Off>(param, grad, expAvg, expAvgSq, maxExpAvgSq, s);
        }
    }

    private readonly record struct Scalars<T>(T Sign, T WeightDecay, T Decay, T Beta1, T OneMinusBeta1, T Beta2, T OneMinusBeta2,
        T BiasCorrection2Sqrt, T Eps, T NegStepSize);

    private static void Core<T, TDecay, TAmsgrad>(Span<T> param, ReadOnlySpan<T> grad, Span<T> expAvg, Span<T> expAvgSq, Span<T> maxExpAvgSq, Scalars<T> s)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TDecay : struct, IKernelFlag
        where TAmsgrad : struct, IKernelFlag
    {
        int n = param.Length, i = 0;
        ref T p = ref MemoryMarshal.GetReference(param);
        ref T g = ref MemoryMarshal.GetReference(grad);
        ref T m = ref MemoryMarshal.GetReference(expAvg);
        ref T v = ref MemoryMarshal.GetReference(expAvgSq);
        ref T vMax = ref MemoryMarshal.GetReference(maxExpAvgSq);
        if (Vector256.IsHardwareAccelerated && Vector256<T>.IsSupported)
        {
            var sign = Vector256.Create(s.Sign);
            var wd = Vector256.Create(s.WeightDecay);
            var decay = Vector256.Create(s.Decay);
            var beta1 = Vector256.Create(s.Beta1);
            var oneMinusBeta1 = Vector256.Create(s.OneMinusBeta1);
            var beta2 = Vector256.Create(s.Beta2);
            var oneMinusBeta2 = Vector256.Create(s.OneMinusBeta2);
            var bc2Sqrt = Vector256.Create(s.BiasCorrection2Sqrt);
            var eps = Vector256.Create(s.Eps);
            var negStep = Vector256.Create(s.NegStepSize);
            for (int last = n - Vector256<T>.Count; i <= last; i += Vector256<T>.Count)
            {
                var pv = Vector256.LoadUnsafe(ref p, (nuint)i);
                var gv = Vector256.LoadUnsafe(ref g, (nuint)i) * sign;
                if (TDecay.Value) gv += wd * pv;
                pv *= decay;
                var mv = Vector256.LoadUnsafe(ref m, (nuint)i) * beta1 + oneMinusBeta1 * gv;
                var vv = Vector256.LoadUnsafe(ref v, (nuint)i) * beta2 + oneMinusBeta2 * gv * gv;
                mv.StoreUnsafe(ref m, (nuint)i);
                vv.StoreUnsafe(ref v, (nuint)i);
                if (TAmsgrad.Value)
                {
                    vv = Vector256.Max(Vector256.LoadUnsafe(ref vMax, (nuint)i), vv);
                    vv.StoreUnsafe(ref vMax, (nuint)i);
                }
                var denom = Vector256.Sqrt(vv) / bc2Sqrt + eps;
                (pv + negStep * mv / denom).StoreUnsafe(ref p, (nuint)i);
            }
        }
        for (; i < n; i++)
        {
            T pv = Unsafe.Add(ref p, i);
            T gv = Unsafe.Add(ref g, i) * s.Sign;
            if (TDecay.Value) gv += s.WeightDecay * pv;
            pv *= s.Decay;
            ref T mv = ref Unsafe.Add(ref m, i);
            ref T vv = ref Unsafe.Add(ref v, i);
            mv = mv * s.Beta1 + s.OneMinusBeta1 * gv;
            vv = vv * s.Beta2 + s.OneMinusBeta2 * gv * gv;
            T second = vv;
            if (TAmsgrad.Value)
            {
                ref T mx = ref Unsafe.Add(ref vMax, i);
                mx = T.Max(mx, vv);
                second = mx;
            }
            T denom = T.Sqrt(second) / s.BiasCorrection2Sqrt + s.Eps;
            Unsafe.Add(ref p, i) = pv + s.NegStepSize * mv / denom;
        }
    }
}
