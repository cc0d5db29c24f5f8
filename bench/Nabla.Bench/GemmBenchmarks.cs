using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using Nabla.Kernels;

namespace Nabla.Bench;

/// <summary>
/// SGEMM C = A B (row-major, no transposes, beta = 0) for square sizes and the seed shapes, on 1 and
/// 2 threads, with GFLOP/s = 2 m n k / mean time beside the times.
/// <c>dotnet run -c Release --project bench/Nabla.Bench -- --filter '*GemmBenchmarks*'</c>
/// </summary>
[Config(typeof(Config))]
public class GemmBenchmarks
{
    private float[] _a = [], _b = [], _c = [];

    /// <summary>m x n x k: C is m x n, A is m x k, B is k x n.</summary>
    public sealed record Shape(int M, int N, int K)
    {
        public override string ToString() => $"{M}x{N}x{K}";
    }

    public static IEnumerable<Shape> Shapes() => SgemmJson.DefaultShapes.Select(s => new Shape(s.M, s.N, s.K));

    [ParamsSource(nameof(Shapes))]
    public Shape Size { get; set; } = new(1, 1, 1);

    [Params(1, 2)]
    public int ThreadCount { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        Threads.Count = ThreadCount;
        var rng = new Random(42);
        _a = Enumerable.Range(0, Size.M * Size.K).Select(_ => (float)rng.NextDouble()).ToArray();
        _b = Enumerable.Range(0, Size.K * Size.N).Select(_ => (float)rng.NextDouble()).ToArray();
        _c = new float[Size.M * Size.N];
    }

    [Benchmark]
    public void Sgemm() => Gemm.Sgemm(false, false, Size.M, Size.N, Size.K, 1f, _a, Size.K, _b, Size.N, 0f, _c, Size.N);

    private sealed class Config : ManualConfig
    {
        public Config() => AddColumn(new GflopsColumn());
    }

    /// <summary>2 m n k / mean time, from the Size parameter of each case.</summary>
    private sealed class GflopsColumn : IColumn
    {
        public string Id => nameof(GflopsColumn);
        public string ColumnName => "GFLOP/s";
        public bool AlwaysShow => true;
        public ColumnCategory Category => ColumnCategory.Custom;
        public int PriorityInCategory => 0;
        public bool IsNumeric => true;
        public UnitType UnitType => UnitType.Dimensionless;
        public string Legend => "2 m n k / mean time, in 10^9 floating-point operations per second";
        public bool IsAvailable(Summary summary) => true;
        public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
        public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style) => GetValue(summary, benchmarkCase);

        public string GetValue(Summary summary, BenchmarkCase benchmarkCase)
        {
            var stats = summary[benchmarkCase]?.ResultStatistics;
            if (stats is null || benchmarkCase.Parameters[nameof(Size)] is not Shape s)
            {
                return "-";
            }
            return (2.0 * s.M * s.N * s.K / stats.Mean).ToString("F1", System.Globalization.CultureInfo.InvariantCulture);
        }
    }
}
