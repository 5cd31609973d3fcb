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
    /// <summary>Runs of each workload in one process: the first is cold, the best of the others steady.</summary>
    public const int Runs = 3;

    /// <summary>The workloads, each measured in a process of its own (one per GEMM size).</summary>
    public static readonly string[] Names = ["seed", "mlp", "cnn", "lstm", "gemm256", "gemm1024", "gemm2048", "gemm4096", "higher-order"];

    /// <summary>
    /// Runs one workload <see cref="Runs"/> times in this process, each from scratch (model, data, graph) after a full
    /// collection, as BenchmarkDotNet does between iterations.
    /// </summary>
    public static WorkloadResult Run(string side, IWorkloads w, string name)
    {
        var (label, unit, run) = Workload(w, name);
        var rates = new double[Runs];
        for (int i = 0; i < Runs; i++)
        {
            // Each run starts from a collected heap, so one run's garbage does not count against the next.
            GC.Collect();
            GC.WaitForPendingFinalizers();
            GC.Collect();
            rates[i] = run();
        }
        return new(side, label, unit, rates, Process.GetCurrentProcess().PeakWorkingSet64);
    }

    static (string Label, string Unit, Func<double> Run) Workload(IWorkloads w, string name) => name switch
    {
        "seed" => (name, "it/s", w.Seed),
        "mlp" => (name, "samples/s", w.Mlp),
        "cnn" => (name, "images/s", w.Cnn),
        "lstm" => (name, "steps/s", w.Lstm),
        "higher-order" => (name, "graphs/s", w.HigherOrder),
        _ when name.StartsWith("gemm") && int.TryParse(name.AsSpan(4), out int n) && n > 0 =>
            ($"gemm n={n}", "GFLOP/s", () => Gemm(w, n)),
        _ => throw new ArgumentException($"unknown workload '{name}'; choose from {string.Join(", ", Names)}"),
    };

    /// <summary>
    /// Runs <paramref name="step"/> <paramref name="warmup"/> times untimed (one training iteration), then
    /// <paramref name="iters"/> times; returns steps per second of the timed loop.
    /// </summary>
    public static double Rate(int iters, Action step, int warmup = 1)
    {
        for (int i = 0; i < warmup; i++) step();
        var sw = Stopwatch.StartNew();
        for (int i = 0; i < iters; i++) step();
        return iters / sw.Elapsed.TotalSeconds;
    }

    // A float32 n×n product: median of 5 after a warm-up, GFLOP/s = 2n³/t. The operands' setup garbage is collected first.
    static double Gemm(IWorkloads w, int n)
    {
        var mm = w.MatMul(n);
        GC.Collect();
        mm();
        var times = new double[5];
        for (int i = 0; i < times.Length; i++)
        {
            var sw = Stopwatch.StartNew();
            mm();
            times[i] = sw.Elapsed.TotalSeconds;
        }
        Array.Sort(times);
        return 2.0 * n * n * n / times[2] / 1e9;
    }
}
