using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace DeZero.Benchmarks;

/// <summary>
/// Measures the machine's float32 FMA peak: every core runs 16 independent chains of 512-bit (else 256-bit)
/// fused multiply-adds, enough to cover the FMA latency on all FMA pipes, and the flops are counted as 2 per lane.
/// </summary>
static class FmaPeak
{
    const long Iterations = 20_000_000;

    /// <summary>GFLOP/s of <paramref name="threads"/> threads of FMA chains, the best of three runs (the clock ramps up).</summary>
    public static double Measure(int threads)
    {
        double best = double.MaxValue;
        for (int run = 0; run < 3; run++)
        {
            long t0 = Stopwatch.GetTimestamp();
            Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, _ => Chains(Iterations));
            best = Math.Min(best, Stopwatch.GetElapsedTime(t0).TotalSeconds);
        }
        int lanes = Vector512.IsHardwareAccelerated ? 16 : 8;
        return threads * Iterations * 16.0 * lanes * 2 / best / 1e9;
    }

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    static float Chains(long iterations)
    {
        if (Vector512.IsHardwareAccelerated)
        {
            var x = Vector512.Create(0.999f);
            var y = Vector512.Create(1e-3f);
            Vector512<float> a0 = x, a1 = x, a2 = x, a3 = x, a4 = x, a5 = x, a6 = x, a7 = x,
                a8 = x, a9 = x, a10 = x, a11 = x, a12 = x, a13 = x, a14 = x, a15 = x;
            for (long i = 0; i < iterations; i++)
            {
                a0 = Vector512.FusedMultiplyAdd(a0, x, y); a1 = Vector512.FusedMultiplyAdd(a1, x, y);
                a2 = Vector512.FusedMultiplyAdd(a2, x, y); a3 = Vector512.FusedMultiplyAdd(a3, x, y);
                a4 = Vector512.FusedMultiplyAdd(a4, x, y); a5 = Vector512.FusedMultiplyAdd(a5, x, y);
                a6 = Vector512.FusedMultiplyAdd(a6, x, y); a7 = Vector512.FusedMultiplyAdd(a7, x, y);
                a8 = Vector512.FusedMultiplyAdd(a8, x, y); a9 = Vector512.FusedMultiplyAdd(a9, x, y);
                a10 = Vector512.FusedMultiplyAdd(a10, x, y); a11 = Vector512.FusedMultiplyAdd(a11, x, y);
                a12 = Vector512.FusedMultiplyAdd(a12, x, y); a13 = Vector512.FusedMultiplyAdd(a13, x, y);
                a14 = Vector512.FusedMultiplyAdd(a14, x, y); a15 = Vector512.FusedMultiplyAdd(a15, x, y);
            }
            return Vector512.Sum(a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7 + a8 + a9 + a10 + a11 + a12 + a13 + a14 + a15);
        }
        var u = Vector256.Create(0.999f);
        var v = Vector256.Create(1e-3f);
        Vector256<float> b0 = u, b1 = u, b2 = u, b3 = u, b4 = u, b5 = u, b6 = u, b7 = u,
            b8 = u, b9 = u, b10 = u, b11 = u, b12 = u, b13 = u, b14 = u, b15 = u;
        for (long i = 0; i < iterations; i++)
        {
            b0 = Vector256.FusedMultiplyAdd(b0, u, v); b1 = Vector256.FusedMultiplyAdd(b1, u, v);
            b2 = Vector256.FusedMultiplyAdd(b2, u, v); b3 = Vector256.FusedMultiplyAdd(b3, u, v);
            b4 = Vector256.FusedMultiplyAdd(b4, u, v); b5 = Vector256.FusedMultiplyAdd(b5, u, v);
            b6 = Vector256.FusedMultiplyAdd(b6, u, v); b7 = Vector256.FusedMultiplyAdd(b7, u, v);
            b8 = Vector256.FusedMultiplyAdd(b8, u, v); b9 = Vector256.FusedMultiplyAdd(b9, u, v);
            b10 = Vector256.FusedMultiplyAdd(b10, u, v); b11 = Vector256.FusedMultiplyAdd(b11, u, v);
            b12 = Vector256.FusedMultiplyAdd(b12, u, v); b13 = Vector256.FusedMultiplyAdd(b13, u, v);
            b14 = Vector256.FusedMultiplyAdd(b14, u, v); b15 = Vector256.FusedMultiplyAdd(b15, u, v);
        }
        return Vector256.Sum(b0 + b1 + b2 + b3 + b4 + b5 + b6 + b7 + b8 + b9 + b10 + b11 + b12 + b13 + b14 + b15);
    }
}
