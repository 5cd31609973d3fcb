using DeZero.Data;
using DeZero.Layers;
using DeZero.Models;
using DeZero.Optimizers;
using F = DeZero.Functions;

namespace DeZero.Distributed.Tests;

/// <summary>
/// Programs that run unchanged as one process (in the test) and on every rank under mpirun (through
/// <see cref="Worker"/>); each throws when a rank sees a wrong value.
/// </summary>
public static class Scenarios
{
    /// <summary>Every collective on every dtype, with values that depend on the rank, checked against their sums.</summary>
    public static void Collectives(Communicator c)
    {
        int p = c.Size, r = c.Rank;
        var ones = NDArray.Arange(6).Reshape(2, 3) + 1;
        foreach (var dtype in (DType[])[DType.Float32, DType.Float64, DType.Int64, DType.Int32])
        {
            var x = (ones * (r + 1)).AsType(dtype);
            var expected = (ones * (p * (p + 1) / 2)).AsType(dtype);
            var sum = c.AllReduce(x);
            Expect(sum, expected, $"AllReduce {dtype}");
            Expect(x, (ones * (r + 1)).AsType(dtype), $"AllReduce {dtype} leaves its input");
            c.AllReduceInPlace(x);
            Expect(x, expected, $"AllReduceInPlace {dtype}");
        }
        Expect(c.AllReduce(NDArray.Zeros([0, 3], DType.Float32)), NDArray.Zeros([0, 3], DType.Float32), "AllReduce of an empty array");
        var fromLast = c.Broadcast(NDArray.Full([3], r, DType.Float64), root: p - 1);
        Expect(fromLast, NDArray.Full([3], p - 1, DType.Float64), "Broadcast from the last rank");
        var flags = NDArray.FromArray(new[] { r == 0, r != 0, true });
        c.BroadcastInPlace(flags);
        Expect(flags, NDArray.FromArray(new[] { true, false, true }), "BroadcastInPlace of bool");
        c.Barrier();
        double mean = c.Mean(r);
        if (mean != (p - 1) / 2.0) throw new InvalidOperationException($"rank {r}: Mean gave {mean}, expected {(p - 1) / 2.0}.");
    }

    /// <summary>A gradient update of a 100-parameter model makes one all-reduce (none in a single process).</summary>
    public static void Buckets(Communicator c)
    {
        var model = new MLP(Enumerable.Repeat(4, 50).ToArray());
        model.Call(NDArray.Zeros(1, 4));
        var optimizer = new DistributedOptimizer(new SGD(), c).Setup(model);
        var loss = F.Sum(model.Call(NDArray.Ones(2, 4)));
        model.ClearGrads();
        loss.Backward();
        int before = c.Calls;
        optimizer.Update();
        int calls = c.Calls - before, expected = c.Size > 1 ? 1 : 0;
        if (model.Params().Count() != 100 || calls != expected)
            throw new InvalidOperationException($"rank {c.Rank}: an update of {model.Params().Count()} parameters made {calls} collective calls, expected {expected}.");
    }

    /// <summary>
    /// One epoch of a shuffled <see cref="DistributedDataLoader"/> over 7 examples, 2 per rank and batch: the ranks'
    /// batches together are the batches of a <see cref="DataLoader"/> of 2·Size with the same seed (the order padded
    /// with its start).
    /// </summary>
    public static void Sharding(Communicator c)
    {
        const int n = 7, perRank = 2;
        var dataset = new Dataset(NDArray.Arange(n).AsType(DType.Int64));
        RandomState.Global.Seed(5);
        var loader = new DistributedDataLoader(dataset, perRank, c);
        var order = new RandomState(5).Permutation(n).ToArray<long>();
        int batches = 0, global = perRank * c.Size;
        foreach (var (x, _) in loader)
        {
            var counts = NDArray.Zeros([n], DType.Int64);
            foreach (var v in x.ToArray<long>()) counts.AsSpan<long>()[(int)v]++;
            var expected = NDArray.Zeros([n], DType.Int64);
            for (int k = batches * global; k < Math.Min((batches + 1) * global, loader.ShardSize * c.Size); k++)
                expected.AsSpan<long>()[(int)order[k % n]]++;
            Expect(c.AllReduce(counts), expected, $"examples of batch {batches} over all ranks");
            batches++;
        }
        if (batches != loader.MaxIter || loader.MaxIter != (loader.ShardSize + perRank - 1) / perRank)
            throw new InvalidOperationException($"rank {c.Rank}: {batches} batches, MaxIter {loader.MaxIter}.");
    }

    /// <summary>
    /// Spiral classification with MLP(10, 3) in float64, 30 examples per step shared by the ranks: the optimizer is
    /// SGD, or Adam with WeightDecay and ClipGrad. Ranks start from different seeds (Setup makes them equal).
    /// A small <paramref name="bucketBytes"/> splits the gradients over several all-reduce calls.
    /// </summary>
    public static Layer Train(Communicator c, string optimizer, int epochs, int globalBatch = 30, int bucketBytes = 4 << 20)
    {
        var data = SpiralFloat64();
        RandomState.Global.Seed(c.Rank == 0 ? 0 : 1000 + c.Rank);
        var model = NewModel();
        var distributed = new DistributedOptimizer(NewOptimizer(optimizer), c, bucketBytes).Setup(model);
        var loader = new DistributedDataLoader(data, globalBatch / c.Size, c);
        for (int epoch = 0; epoch < epochs; epoch++)
            foreach (var (x, t) in loader)
            {
                var loss = F.SoftmaxCrossEntropy(model.Call(x), t);
                model.ClearGrads();
                loss.Backward();
                distributed.Update();
            }
        return model;
    }

    /// <summary>The same training as one process with the book's DataLoader and the plain optimizer.</summary>
    public static Layer TrainAlone(string optimizer, int epochs, int batch = 30)
    {
        var data = SpiralFloat64();
        RandomState.Global.Seed(0);
        var model = NewModel();
        var opt = NewOptimizer(optimizer).Setup(model);
        var loader = new DataLoader(data, batch);
        for (int epoch = 0; epoch < epochs; epoch++)
            foreach (var (x, t) in loader)
            {
                var loss = F.SoftmaxCrossEntropy(model.Call(x), t);
                model.ClearGrads();
                loss.Backward();
                opt.Update();
            }
        return model;
    }

    static Dataset SpiralFloat64()
    {
        var spiral = new Spiral();
        return new Dataset(spiral.Data.AsType(DType.Float64), spiral.Label);
    }

    // MLP(10, 3) with its weights drawn as on the first forward pass, then kept in float64.
    static Model NewModel()
    {
        var model = new MLP([10, 3]);
        model.Call(NDArray.Zeros(1, 2));
        foreach (var p in model.Params()) p.Data = p.Data.AsType(DType.Float64);
        return model;
    }

    static Optimizer NewOptimizer(string kind)
    {
        if (kind == "sgd") return new SGD(1.0);
        var adam = new Adam(0.05);
        adam.AddHook(new WeightDecay(1e-3));
        adam.AddHook(new ClipGrad(0.2));
        return adam;
    }

    static void Expect(NDArray actual, NDArray expected, string what)
    {
        if (actual.DType != expected.DType || !actual.Shape.SequenceEqual(expected.Shape)
            || !actual.AsType(DType.Float64).ToArray<double>().SequenceEqual(expected.AsType(DType.Float64).ToArray<double>()))
            throw new InvalidOperationException($"{what}: got {actual.DType} {actual}, expected {expected.DType} {expected}.");
    }
}
