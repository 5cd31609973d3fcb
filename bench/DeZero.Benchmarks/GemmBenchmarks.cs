using BenchmarkDotNet.Attributes;

namespace DeZero.Benchmarks;

/// <summary>Square matrix products through the public <see cref="NDArray.MatMul"/> in float32 and float64.</summary>
[MemoryDiagnoser]
public class GemmBenchmarks
{
    NDArray a = null!, b = null!;

    [Params(256, 1024, 2048)]
    public int N { get; set; }

    [Params(DType.Float32, DType.Float64)]
    public DType Type { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        a = Matrices.Random(N, Type, 1);
        b = Matrices.Random(N, Type, 2);
    }

    [Benchmark]
    public NDArray MatMul() => NDArray.MatMul(a, b);
}
