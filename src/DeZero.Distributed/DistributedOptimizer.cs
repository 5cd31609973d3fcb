using System.Diagnostics;
using System.Numerics;
using System.Numerics.Tensors;
using DeZero.Layers;
using DeZero.Optimizers;

namespace DeZero.Distributed;

/// <summary>
/// Data-parallel training (ChainerMN's multi-node optimizer, Horovod's <c>DistributedOptimizer</c>): every rank
/// computes gradients on its own part of the batch, <see cref="Update"/> replaces them by their mean over the ranks
/// and then runs the inner optimizer with its hooks, so every rank takes the same step.
/// </summary>
/// <remarks>
/// Gradients travel in buckets of about <see cref="BucketBytes"/> (one all-reduce per bucket, not one per parameter).
/// A parameter that has a gradient on some ranks only is averaged with zeros from the others, so the ranks stay equal.
/// </remarks>
public sealed class DistributedOptimizer
{
    readonly List<NDArray> _buffers = [];
    readonly Stopwatch _communication = new();

    /// <summary>Wraps <paramref name="inner"/> (with its hooks) to train on all ranks of <paramref name="comm"/>.</summary>
    /// <param name="inner">The optimizer that updates the parameters from the averaged gradients.</param>
    /// <param name="comm">The ranks to average over, usually <see cref="Communicator.World"/>.</param>
    /// <param name="bucketBytes">Gradient bytes fused into one all-reduce (positive; 4 MB by default).</param>
    public DistributedOptimizer(Optimizer inner, Communicator comm, int bucketBytes = 4 << 20)
    {
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentNullException.ThrowIfNull(comm);
        if (bucketBytes <= 0) throw new ArgumentOutOfRangeException(nameof(bucketBytes), bucketBytes, "DistributedOptimizer: bucketBytes must be positive.");
        Inner = inner;
        Communicator = comm;
        BucketBytes = bucketBytes;
    }

    /// <summary>The optimizer that makes the updates.</summary>
    public Optimizer Inner { get; }

    /// <summary>The ranks the gradients are averaged over.</summary>
    public Communicator Communicator { get; }

    /// <summary>Gradient bytes sent in one all-reduce.</summary>
    public int BucketBytes { get; }

    /// <summary>Total time spent averaging gradients in <see cref="Update"/> (waiting for slower ranks included).</summary>
    public TimeSpan CommunicationTime => _communication.Elapsed;

    /// <summary>
    /// Sets the model to train and overwrites its parameters with rank 0's, so every rank starts equal whatever its
    /// random seed. Every parameter must have data: run one forward pass first when a layer's input size is lazy.
    /// </summary>
    public DistributedOptimizer Setup(Layer model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var named = model.NamedParams().DistinctBy(e => e.Param, ReferenceEqualityComparer.Instance).ToList();
        var missing = named.Where(e => !e.Param.HasData).Select(e => e.Key).ToList();
        // Every rank must learn that some rank cannot go on, or the others would wait in the broadcast.
        long missingAnywhere = (long)Communicator.AllReduce(NDArray.FromArray((long)missing.Count));
        if (missingAnywhere > 0)
            throw new InvalidOperationException(
                $"DistributedOptimizer.Setup: {missingAnywhere} parameters over all ranks have no data yet (here: {(missing.Count == 0 ? "none" : string.Join(", ", missing))}). " +
                "Layers without an input size create their weights on the first forward pass: run one (model.Call(x)) or give the input size before Setup, so rank 0's values can be broadcast.");
        foreach (var (key, p) in named)
            Communicator.BroadcastInPlace(p.Data, 0, () => $"DistributedOptimizer.Setup (parameter '{key}')");
        Inner.Setup(model);
        return this;
    }

    /// <summary>Adds a hook to the inner optimizer; hooks see the gradients averaged over the ranks.</summary>
    public DistributedOptimizer AddHook(IOptimizerHook hook)
    {
        Inner.AddHook(hook);
        return this;
    }

    /// <summary>Averages every parameter's gradient over the ranks, then runs the inner optimizer's update (hooks included).</summary>
    public void Update()
    {
        var target = Inner.Target ?? throw new InvalidOperationException("DistributedOptimizer.Update: no target; call Setup(model) first.");
        if (Communicator.Size > 1)
        {
            _communication.Start();
            try { AverageGradients([.. target.Params()]); }
            finally { _communication.Stop(); }
        }
        Inner.Update();
    }

    // Consecutive parameters of one dtype share a bucket: their gradients (zeros where missing) followed by one
    // presence flag per parameter, so a single all-reduce also tells which parameters have a gradient anywhere.
    void AverageGradients(Parameter[] ps)
    {
        int bucket = 0;
        for (int start = 0; start < ps.Length;)
        {
            var dtype = GradType(ps[start]);
            int end = start, elements = 0;
            while (end < ps.Length && GradType(ps[end]) == dtype && (end == start || (long)(elements + ps[end].Data.Size) * dtype.ItemSize() <= BucketBytes))
                elements += ps[end++].Data.Size;
            if (dtype == DType.Float32) Average<float>(ps, start, end, elements, bucket++);
            else Average<double>(ps, start, end, elements, bucket++);
            start = end;
        }
    }

    static DType GradType(Parameter p)
    {
        var data = p.HasData ? p.Data : throw new InvalidOperationException($"DistributedOptimizer.Update: parameter {p.Name ?? "(unnamed)"} has no data.");
        var dtype = p.Grad?.Data.DType ?? data.DType;
        if (!dtype.IsFloat())
            throw new InvalidOperationException($"DistributedOptimizer.Update: parameter {p.Name ?? "(unnamed)"} has a {dtype.Name()} gradient; only float32 and float64 are averaged.");
        if (p.Grad is { } g && g.Data.Size != data.Size)
            throw new InvalidOperationException($"DistributedOptimizer.Update: the gradient of parameter {p.Name ?? "(unnamed)"} has {g.Data.Size} elements, the parameter {data.Size}.");
        return dtype;
    }

    void Average<T>(Parameter[] ps, int start, int end, int elements, int index) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var buffer = Buffer<T>(index, elements + end - start);
        var all = buffer.AsSpan<T>();
        int offset = 0;
        for (int i = start; i < end; i++)
        {
            var p = ps[i];
            int n = p.Data.Size;
            if (p.Grad is { } g) g.Data.AsSpan<T>().CopyTo(all.Slice(offset, n));
            else all.Slice(offset, n).Clear();
            all[elements + i - start] = p.Grad is null ? T.Zero : T.One;
            offset += n;
        }
        Communicator.AllReduceInPlace(buffer, () => $"DistributedOptimizer.Update (gradient bucket {index}: {Keys(ps[start..end])})");
        var scale = T.One / T.CreateChecked(Communicator.Size);
        offset = 0;
        for (int i = start; i < end; i++)
        {
            var p = ps[i];
            int n = p.Data.Size;
            if (all[elements + i - start] != T.Zero)
            {
                var mean = NDArray.Zeros(p.Data.Shape, DTypes.Of<T>());
                TensorPrimitives.Multiply(all.Slice(offset, n), scale, mean.AsSpan<T>());
                p.Grad = new Variable(mean);
            }
            offset += n;
        }
    }

    string Keys(Parameter[] ps)
    {
        var named = Inner.Target!.NamedParams().ToList();
        return string.Join(", ", ps.Select(p => named.Find(e => ReferenceEquals(e.Param, p)).Key ?? p.Name ?? "(unnamed)"));
    }

    NDArray Buffer<T>(int index, int length)
    {
        var dtype = DTypes.Of<T>();
        if (index == _buffers.Count) _buffers.Add(NDArray.Zeros([length], dtype));
        else if (_buffers[index].DType != dtype || _buffers[index].Size != length) _buffers[index] = NDArray.Zeros([length], dtype);
        return _buffers[index];
    }
}
