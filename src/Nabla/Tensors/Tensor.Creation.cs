namespace Nabla;

public partial class Tensor
{
    /// <summary>A float32 tensor holding a copy of <paramref name="data"/> with the given shape (default: 1-D).</summary>
    /// <exception cref="ArgumentException">The shape's element count differs from the data's length.</exception>
    public static Tensor FromArray(float[] data, params int[] shape) => FromArrayCore((float[])data.Clone(), shape, "FromArray");

    /// <summary>A float64 tensor holding a copy of <paramref name="data"/> with the given shape (default: 1-D).</summary>
    public static Tensor FromArray(double[] data, params int[] shape) => FromArrayCore((double[])data.Clone(), shape, "FromArray");

    /// <summary>A 2-D float32 tensor from a rectangular array.</summary>
    public static Tensor FromArray(float[,] data)
    {
        var flat = new float[data.Length];
        System.Buffer.BlockCopy(data, 0, flat, 0, flat.Length * sizeof(float));
        return new Tensor(flat, [data.GetLength(0), data.GetLength(1)]);
    }

    /// <summary>A one-element tensor of rank 0 (a scalar), like <c>torch.tensor(3.0)</c>.</summary>
    public static Tensor Scalar(float value) => new(new[] { value }, []);

    /// <summary>A float64 scalar tensor.</summary>
    public static Tensor Scalar(double value) => new(new[] { value }, []);

    private static Tensor FromArrayCore(Array data, int[] shape, string op)
    {
        if (shape.Length == 0) shape = [data.Length];
        int n = Shapes.NumEl(shape);
        if (n != data.Length)
            throw new ArgumentException($"{op}: shape {Shapes.Format(shape)} needs {n} elements but the array has {data.Length}.");
        return new Tensor(data, (int[])shape.Clone());
    }

    /// <summary>An uninitialised-in-spirit (zero-filled) tensor: the kernels' output buffers.</summary>
    internal static Tensor Empty(DType dtype, params int[] shape) =>
        new(Allocate(dtype, Shapes.NumEl(shape)), (int[])shape.Clone());

    /// <summary>
    /// An output buffer whose every element the caller overwrites before anyone reads it: not zeroed, so a large
    /// one skips the GC's clearing pass (a 784 x 256 weight gradient is 800 KB). Use <see cref="Empty"/> wherever
    /// the kernel adds into its output or leaves elements untouched.
    /// </summary>
    internal static Tensor Uninitialized(DType dtype, params int[] shape)
    {
        int n = Shapes.NumEl(shape);
        Array storage = dtype == DType.Float64 ? GC.AllocateUninitializedArray<double>(n) : GC.AllocateUninitializedArray<float>(n);
        return new(storage, (int[])shape.Clone());
    }

    /// <summary>A tensor of zeros (<c>torch.zeros</c>).</summary>
    public static Tensor Zeros(params int[] shape) => Empty(DType.Float32, shape);

    /// <summary>A tensor of zeros of the given dtype.</summary>
    public static Tensor Zeros(DType dtype, params int[] shape) => Empty(dtype, shape);

    /// <summary>A tensor of ones (<c>torch.ones</c>).</summary>
    public static Tensor Ones(params int[] shape) => Full(1f, shape);

    /// <summary>A tensor filled with <paramref name="value"/> (<c>torch.full</c>).</summary>
    public static Tensor Full(float value, params int[] shape)
    {
        var t = Empty(DType.Float32, shape);
        t.Buffer<float>().AsSpan().Fill(value);
        return t;
    }

    /// <summary>Zeros with the shape and dtype of <paramref name="like"/>.</summary>
    public static Tensor ZerosLike(Tensor like) => Empty(like.DType, like.shape);

    /// <summary>Ones with the shape and dtype of <paramref name="like"/>.</summary>
    public static Tensor OnesLike(Tensor like) => FullLike(like, 1.0);

    /// <summary>A tensor with the shape and dtype of <paramref name="like"/>, filled with <paramref name="value"/>.</summary>
    public static Tensor FullLike(Tensor like, double value)
    {
        var t = Empty(like.DType, like.shape);
        if (t.DType == DType.Float64) t.Buffer<double>().AsSpan().Fill(value);
        else t.Buffer<float>().AsSpan().Fill((float)value);
        return t;
    }

    /// <summary>Values from <paramref name="start"/> up to (not including) <paramref name="end"/> by <paramref name="step"/> (<c>torch.arange</c>).</summary>
    public static Tensor Arange(float start, float end, float step = 1f)
    {
        if (step == 0 || float.IsNaN(step)) throw new ArgumentException("Arange: step must be non-zero.");
        double count = Math.Ceiling((end - (double)start) / step);
        if (count < 0) throw new ArgumentException($"Arange: the range from {start} to {end} with step {step} goes the wrong way.");
        var data = new float[(int)count];
        for (int i = 0; i < data.Length; i++) data[i] = (float)(start + (double)i * step);
        return new Tensor(data, [data.Length]);
    }

    /// <summary>0, 1, ..., <paramref name="end"/> - 1.</summary>
    public static Tensor Arange(int end) => Arange(0f, end);

    /// <summary><paramref name="steps"/> evenly spaced values from <paramref name="start"/> to <paramref name="end"/> inclusive (<c>torch.linspace</c>).</summary>
    public static Tensor Linspace(float start, float end, int steps)
    {
        if (steps < 0) throw new ArgumentException($"Linspace: steps must be non-negative, got {steps}.");
        var data = new float[steps];
        if (steps == 1) data[0] = start;
        // Like PyTorch, fill the first half from the start and the second from the end, so both ends are exact.
        double delta = steps > 1 ? ((double)end - start) / (steps - 1) : 0;
        int half = steps / 2;
        for (int i = 0; i < steps; i++)
            data[i] = i < half ? (float)(start + delta * i) : (float)(end - delta * (steps - 1 - i));
        return new Tensor(data, [steps]);
    }

    /// <summary>An identity matrix with <paramref name="n"/> rows and <paramref name="m"/> columns (default square).</summary>
    public static Tensor Eye(int n, int? m = null)
    {
        int cols = m ?? n;
        var t = Zeros(n, cols);
        var data = t.Buffer<float>();
        for (int i = 0; i < Math.Min(n, cols); i++) data[i * cols + i] = 1f;
        return t;
    }

    /// <summary>Uniform samples in [0, 1) (<c>torch.rand</c>) from <paramref name="generator"/> (or the default generator).</summary>
    public static Tensor Rand(int[] shape, Generator? generator = null)
    {
        var g = generator ?? Generator.Default;
        var t = Zeros(shape);
        var data = t.Buffer<float>();
        for (int i = 0; i < data.Length; i++) data[i] = g.NextFloat();
        return t;
    }

    /// <summary>Uniform samples in [0, 1) from the default generator.</summary>
    public static Tensor Rand(params int[] shape) => Rand(shape, null);

    /// <summary>Standard normal samples (<c>torch.randn</c>) from <paramref name="generator"/> (or the default generator).</summary>
    public static Tensor Randn(int[] shape, Generator? generator = null)
    {
        var g = generator ?? Generator.Default;
        var t = Zeros(shape);
        var data = t.Buffer<float>();
        for (int i = 0; i < data.Length; i++) data[i] = (float)g.NextNormal();
        return t;
    }

    /// <summary>Standard normal samples from the default generator.</summary>
    public static Tensor Randn(params int[] shape) => Randn(shape, null);

    /// <summary>Integers uniform in [<paramref name="low"/>, <paramref name="high"/>), stored as float32 (<c>torch.randint</c>).</summary>
    public static Tensor RandInt(int low, int high, int[] shape, Generator? generator = null)
    {
        if (high <= low) throw new ArgumentException($"RandInt: high ({high}) must be greater than low ({low}).");
        var g = generator ?? Generator.Default;
        var t = Zeros(shape);
        var data = t.Buffer<float>();
        for (int i = 0; i < data.Length; i++) data[i] = g.NextInt64(low, high);
        return t;
    }

    /// <summary>Re-seeds the default generator (<c>torch.manual_seed</c>).</summary>
    public static void ManualSeed(long seed) => Generator.Default.ManualSeed(seed);

    // ----- copies and conversions -----

    /// <summary>A contiguous tensor with the same values: this one if already contiguous, else a copy (differentiable).</summary>
    public Tensor Contiguous()
    {
        if (IsContiguous) return this;
        var result = DType == DType.Float64
            ? new Tensor(Kernels.StridedCopy.ToContiguous(Buffer<double>(), offset, shape, strides), (int[])shape.Clone())
            : new Tensor(Kernels.StridedCopy.ToContiguous(Buffer<float>(), offset, shape, strides), (int[])shape.Clone());
        return NeedsGrad(this) ? result.WithGradFn(new CopyNode(this)) : result;
    }

    /// <summary>A contiguous copy with its own storage (<c>x.clone()</c>); differentiable.</summary>
    public Tensor Clone()
    {
        var result = DType == DType.Float64
            ? new Tensor(Kernels.StridedCopy.ToContiguous(Buffer<double>(), offset, shape, strides), (int[])shape.Clone())
            : new Tensor(Kernels.StridedCopy.ToContiguous(Buffer<float>(), offset, shape, strides), (int[])shape.Clone());
        return NeedsGrad(this) ? result.WithGradFn(new CopyNode(this)) : result;
    }

    /// <summary>This tensor converted to <paramref name="dtype"/> (itself if already of that type); differentiable.</summary>
    public Tensor To(DType dtype)
    {
        if (dtype == DType) return this;
        var src = Contiguous();
        Tensor result;
        if (dtype == DType.Float64)
        {
            var s = src.Span<float>();
            var d = new double[s.Length];
            for (int i = 0; i < d.Length; i++) d[i] = s[i];
            result = new Tensor(d, (int[])shape.Clone());
        }
        else
        {
            var s = src.Span<double>();
            var d = new float[s.Length];
            for (int i = 0; i < d.Length; i++) d[i] = (float)s[i];
            result = new Tensor(d, (int[])shape.Clone());
        }
        return NeedsGrad(this) ? result.WithGradFn(new CopyNode(this)) : result;
    }

    /// <summary>This tensor as float32 (<c>x.float()</c>).</summary>
    public Tensor Float() => To(DType.Float32);

    /// <summary>This tensor as float64 (<c>x.double()</c>).</summary>
    public Tensor Double() => To(DType.Float64);

    /// <summary>Gradient of a copy (contiguous copy, clone, dtype conversion): passes straight through.</summary>
    private sealed class CopyNode(Tensor input) : GradNode(input)
    {
        public override string Name => "CopyBackward";
        protected internal override void Backward(Tensor gradOutput) => AccumulateGrad(0, gradOutput);
    }
}
