using System.Diagnostics;

namespace DeZero.Bench;

/// <summary>The six workloads of ARCHITECTURE.md (Benchmark workloads), implemented once per framework.</summary>
public interface IWorkloads
{
    /// <summary>The book's step-43 network, 10 000 iterations; iterations per second.</summary>
    double Seed();
    /// <summary>784-1000-1000-10 ReLU MLP, batch 100, 200 SGD steps; samples per second.</summary>
    double Mlp();
    /// <summary>Two conv–ReLU–pool blocks and a linear layer, batch 64, 30 SGD steps; images per second.</summary>
    double Cnn();
    /// <summary>
    /// LSTM(100) + linear on a sine wave, truncated backprop and Adam every 30 steps, 1000 steps; steps per second.
    /// Its training iteration, and so its warm-up, is one 30-step chunk ending in an update.
    /// </summary>
    double Lstm();
    /// <summary>A float32 n×n matrix product of fixed random operands, ready to time.</summary>
    Action MatMul(int n);
    /// <summary>The 6th derivative of tanh at 1.0, 200 times; graphs per second.</summary>
    double HigherOrder();
}

/// <summary>Timing shared by both sides, so they measure the same way.</summary>
public static class Measure
{
    public static readonly string[] Names = ["seed", "mlp", "cnn", "lstm", "gemm", "higher-order"];

    /// <summary>Runs one workload and returns its result rows (gemm gives one row per size).</summary>
    public static IEnumerable<WorkloadResult> Run(string side, IWorkloads w, string name) => name switch
    {
        "seed" => [Result(side, name, w.Seed(), "it/s")],
        "mlp" => [Result(side, name, w.Mlp(), "samples/s")],
        "cnn" => [Result(side, name, w.Cnn(), "images/s")],
        "lstm" => [Result(side, name, w.Lstm(), "steps/s")],
        "gemm" => Gemm(side, w),
        "higher-order" => [Result(side, name, w.HigherOrder(), "graphs/s")],
        _ => throw new ArgumentException($"unknown workload {name}; choose from {string.Join(", ", Names)}"),
    };

    /// <summary>
    /// Runs <paramref name="step"/> <paramref name="warmup"/> times untimed (one training iteration, so every code path
    /// is compiled before timing), then <paramref name="iters"/> times; returns steps per second of the timed loop.
    /// </summary>
    public static double Rate(int iters, Action step, int warmup = 1)
    {
        for (int i = 0; i < warmup; i++) step();
        var sw = Stopwatch.StartNew();
        for (int i = 0; i < iters; i++) step();
        return iters / sw.Elapsed.TotalSeconds;
    }

    // float32 n×n products: median of 5 after a warm-up, GFLOP/s = 2n³/t, one row per n.
    static IEnumerable<WorkloadResult> Gemm(string side, IWorkloads w)
    {
        foreach (var n in new[] { 256, 1024, 2048, 4096 })
        {
            var mm = w.MatMul(n);
            mm();
            var times = new double[5];
            for (int i = 0; i < times.Length; i++)
            {
                var sw = Stopwatch.StartNew();
                mm();
                times[i] = sw.Elapsed.TotalSeconds;
            }
            Array.Sort(times);
            yield return Result(side, $"gemm n={n}", 2.0 * n * n * n / times[2] / 1e9, "GFLOP/s");
        }
    }

    static WorkloadResult Result(string side, string name, double value, string unit) =>
        new(side, name, value, unit, Process.GetCurrentProcess().PeakWorkingSet64);
}
