using System.Diagnostics;

namespace DeZero.Benchmarks;

/// <summary>
/// Quick GFLOP/s table (<c>-- gflops [n …]</c>): square MatMul timed as the median of 5 runs after a warm-up,
/// 2n³ flops per run, beside the FMA peak measured in the same run. On a shared machine the best run and the
/// flops per CPU-second of the process (time the cores gave to other processes is not counted) help reading it.
/// </summary>
static class GflopsRunner
{
    public static int Run(string[] args)
    {
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
}
