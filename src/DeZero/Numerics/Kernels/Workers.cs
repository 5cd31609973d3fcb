using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;

namespace DeZero.Numerics.Kernels;

/// <summary>
/// Runs the parts of a parallel kernel (GEMM parts, convolution chunks, pooling samples, parts of long elementwise
/// loops) on the calling thread and on dedicated worker threads, one per other core.
/// A worker spins for a while after each product before it blocks: a training step's products come a few hundred
/// microseconds apart, and a blocked thread (a pool thread too) takes some 100 µs to wake on this kind of virtual
/// machine, a sixth of an MLP product. Parts are claimed one at a time, so the caller takes the part of a worker that
/// is late or preempted. One product at a time uses the workers; a product started meanwhile (from another thread,
/// or from inside a part) runs its parts on its own thread.
/// </summary>
internal static class Workers
{
    // How long an idle worker waits spinning for the next product before it blocks.
    static readonly long SpinTicks = Stopwatch.Frequency / 1000;

    static readonly object s_gate = new();
    static Job? s_job;
    static int s_busy, s_sleepers, s_workers;

    // Compiled optimized at its first call, as StartWorkers and Job.Work: precompiled, each was compiled twice more
    // (instrumented, then with its profile) on a background thread competing for the cores in a program's first products.
    /// <summary>Runs <paramref name="body"/>(i) for every i below <paramref name="count"/> and returns when all have.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run(int count, Action<int> body)
    {
        if (Interlocked.CompareExchange(ref s_busy, 1, 0) != 0)
        {
            for (int i = 0; i < count; i++) body(i);
            return;
        }
        try
        {
            StartWorkers();
            var job = new Job(count, body);
            // The exchange and the workers' count of sleepers are both full fences: either a worker about to block
            // sees the job, or this thread sees the sleeper and wakes it.
            Interlocked.Exchange(ref s_job, job);
            if (Volatile.Read(ref s_sleepers) > 0)
                lock (s_gate) Monitor.PulseAll(s_gate);
            job.Work();
            var wait = new SpinWait();
            while (!job.Done) wait.SpinOnce(sleep1Threshold: -1);
            Volatile.Write(ref s_job, null);
            if (job.Error is { } error) ExceptionDispatchInfo.Throw(error);
        }
        finally
        {
            Volatile.Write(ref s_busy, 0);
        }
    }

    // Elements per part of an elementwise loop run in parts: a multiple of 16, so in either float type parts begin on a
    // 64-byte boundary and the cores share at most one cache line at each end.
    const int PartLength = 1 << 15;

    /// <summary>
    /// Runs <paramref name="body"/>(from, length) over [0, <paramref name="n"/>): in parts on all cores when n is at least
    /// <paramref name="minLength"/>, else in one call. For elementwise loops, whose elements come out alike whatever the parts.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void InParts(int n, int minLength, Action<int, int> body)
    {
        if (n < minLength || Environment.ProcessorCount == 1)
        {
            body(0, n);
            return;
        }
        Run((n + PartLength - 1) / PartLength, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (p) =>
            body(p * PartLength, Math.Min(PartLength, n - p * PartLength)));
    }

    // The workers start with the first parallel product (s_busy keeps this to one thread at a time).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static void StartWorkers()
    {
        for (; s_workers < Environment.ProcessorCount - 1; s_workers++)
            new Thread(Worker) { IsBackground = true, Name = "DeZero worker" }.Start();
    }

    static void Worker()
    {
        Job? last = null;
        long deadline = Stopwatch.GetTimestamp() + SpinTicks;
        var wait = new SpinWait();
        while (true)
        {
            var job = Volatile.Read(ref s_job);
            if (job is not null && job != last)
            {
                job.Work();
                last = job;
                deadline = Stopwatch.GetTimestamp() + SpinTicks;
                wait.Reset();
            }
            else if (Stopwatch.GetTimestamp() < deadline) wait.SpinOnce(sleep1Threshold: -1);
            else
            {
                lock (s_gate)
                {
                    Interlocked.Increment(ref s_sleepers);
                    while (Volatile.Read(ref s_job) is not { } next || next == last) Monitor.Wait(s_gate);
                    Interlocked.Decrement(ref s_sleepers);
                }
                deadline = Stopwatch.GetTimestamp() + SpinTicks;
            }
        }
    }

    // One product's parts: each participant claims the next unclaimed part until none is left.
    sealed class Job(int count, Action<int> body)
    {
        readonly int _count = count;
        int _next = -1, _pending = count;
        public Exception? Error;

        public bool Done => Volatile.Read(ref _pending) == 0;

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Work()
        {
            for (int i; (i = Interlocked.Increment(ref _next)) < _count;)
            {
                try
                {
                    body(i);
                }
                catch (Exception e)
                {
                    Interlocked.CompareExchange(ref Error, e, null);
                }
                Interlocked.Decrement(ref _pending);
            }
        }
    }
}
