using System.Diagnostics;

namespace DeZero.Benchmarks;

/// <summary>
/// Quick GFLOP/s table (<c>-- gflops [n …]</c>): square MatMul timed as the median of 5 runs after a warm-up,
/// 2n³ flops per run, beside the FMA peak measured in the same run. On a shared machine the best run and the
/// flops per CPU-second of the process (time the cores gave to other processes is not counted) help reading it.
/// <c>-- gflops shapes</c> times the float32 products of the mlp and cnn workloads instead.
/// </summary>
static class GflopsRunner
{
    // The products of one mlp training step (784-1000-1000-10, batch 100: forward, then gx = gy·Wᵀ and gW = xᵀ·gy)
    // and of the cnn's convolutions (batch 64 in chunks of 8 samples for conv1, 4 for conv2, each chunk's product
    // on one core) and its last linear layer. Parallel products may use every core.
    static readonly (string Name, int M, int N, int K, bool TransA, bool TransB, bool Parallel)[] Shapes =
    [
        ("mlp x·W1", 100, 1000, 784, false, false, true),
        ("mlp h1·W2", 100, 1000, 1000, false, false, true),
        ("mlp h2·W3", 100, 10, 1000, false, false, true),
        ("mlp gy·W3ᵀ", 100, 1000, 10, false, true, true),
        ("mlp h2ᵀ·gy", 1000, 10, 100, true, false, true),
        ("mlp gy·W2ᵀ", 100, 1000, 1000, false, true, true),
        ("mlp h1ᵀ·gy", 1000, 1000, 100, true, false, true),
        ("mlp xᵀ·gy", 784, 1000, 100, true, false, true),
        ("cnn conv1 W·col", 32, 6272, 9, false, false, false),
        ("cnn conv1 col·gyᵀ", 9, 32, 6272, false, true, false),
        ("cnn conv2 W·col", 64, 784, 288, false, false, false),
        ("cnn conv2 Wᵀ·gy", 288, 784, 64, true, false, false),
        ("cnn conv2 col·gyᵀ", 288, 64, 784, false, true, false),
        ("cnn fc x·W", 64, 10, 3136, false, false, true),
        ("cnn fc xᵀ·gy", 3136, 10, 64, true, false, true),
    ];

    public static int Run(string[] args)
    {
        if (args is ["shapes"]) return RunShapes();
        int[] sizes = args.Length > 0 ? args.Select(int.Parse).ToArray() : [256, 1024, 2048, 4096];
        int cores = Environment.ProcessorCount;
        double peak1 = FmaPeak.Measure(1), peak = FmaPeak.Measure(cores);
        Console.WriteLine($"measured float32 FMA peak: {peak1:F1} GFLOP/s on 1 core, {peak:F1} GFLOP/s on {cores} cores (float64: half)");
        Console.WriteLine($"{"dtype",-8} {"n",5} {"median ms",10} {"GFLOP/s",8} {"of peak",8} {"best",8} {"per CPU-s",10}");
        foreach (var type in new[] { DType.Float32, DType.Float64 })
            foreach (int n in sizes)
            {
                var a = Matrices.Random(n, type, 1);
                var b = Matrices.Random(n, type, 2);
                NDArray.MatMul(a, b);
                var times = new double[5];
                double cpu0 = CpuTime.Seconds();
                for (int r = 0; r < times.Length; r++)
                {
                    long t0 = Stopwatch.GetTimestamp();
                    NDArray.MatMul(a, b);
                    times[r] = Stopwatch.GetElapsedTime(t0).TotalSeconds;
                }
                double cpu = CpuTime.Seconds() - cpu0;
                Array.Sort(times);
                double flop = 2.0 * n * n * n / 1e9, median = flop / times[2];
                double typePeak = type == DType.Float32 ? peak : peak / 2;
                Console.WriteLine($"{type,-8} {n,5} {times[2] * 1e3,10:F2} {median,8:F1} {median / typePeak,8:P0} " +
                    $"{flop / times[0],8:F1} {flop * times.Length / cpu,10:F1}");
            }
        return 0;
    }

    // Each product timed on preallocated arrays (so the table shows the GEMM, not the allocation of its result):
    // median of 7 batches of repeats after a warm-up batch, each batch at least ~20 ms.
    static int RunShapes()
    {
        Console.WriteLine($"{"float32 product",-20} {"m",5} {"n",5} {"k",5} {"median µs",10} {"GFLOP/s",8} {"best",8} {"per CPU-s",10}");
        foreach (var (name, m, n, k, transA, transB, parallel) in Shapes)
        {
            var rng = new Random(1);
            float[] a = Fill(rng, m * k), b = Fill(rng, k * n), c = new float[m * n];
            int lda = transA ? m : k, ldb = transB ? k : n;
            double flop = 2.0 * m * n * k;
            int repeats = Math.Max(1, (int)(4e9 / flop));
            void Batch()
            {
                for (int r = 0; r < repeats; r++) Numerics.Kernels.Gemm.Multiply<float>(transA, transB, m, n, k, a, lda, b, ldb, c, n, parallel: parallel);
            }
            Batch();
            var times = new double[7];
            double cpu0 = CpuTime.Seconds();
            for (int i = 0; i < times.Length; i++)
            {
                long t0 = Stopwatch.GetTimestamp();
                Batch();
                times[i] = Stopwatch.GetElapsedTime(t0).TotalSeconds / repeats;
            }
            double cpu = (CpuTime.Seconds() - cpu0) / repeats;
            Array.Sort(times);
            Console.WriteLine($"{name,-20} {m,5} {n,5} {k,5} {times[3] * 1e6,10:F1} {flop / times[3] / 1e9,8:F1} " +
                $"{flop / times[0] / 1e9,8:F1} {flop * times.Length / cpu / 1e9,10:F1}");
        }
        return 0;

        static float[] Fill(Random rng, int length)
        {
            var x = new float[length];
            for (int i = 0; i < length; i++) x[i] = 2 * rng.NextSingle() - 1;
            return x;
        }
    }
}
