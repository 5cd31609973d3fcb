using System.Collections;
using DeZero.Data;

namespace DeZero.Distributed;

/// <summary>
/// A <c>DataLoader</c> that gives each rank its own part of every epoch (PyTorch's <c>DistributedSampler</c>):
/// rank 0 draws the epoch's order like <c>DataLoader</c> (<c>RandomState.Global.Permutation</c>) and broadcasts it,
/// and rank r takes examples r, r + Size, r + 2·Size, … of it, the order padded with its first examples so that every
/// rank gets the same number of batches.
/// </summary>
/// <remarks>
/// Batch i of all ranks together is batch i of a <c>DataLoader</c> with batch size <c>BatchSize · Size</c> seeded alike,
/// so averaging the ranks' gradients trains exactly as one process on the whole batch.
/// </remarks>
public sealed class DistributedDataLoader : IEnumerable<(NDArray x, NDArray t)>
{
    int[] _part = [];

    /// <summary>A loader giving this rank batches of <paramref name="batchSize"/> examples from its share of <paramref name="dataset"/>.</summary>
    /// <param name="dataset">The whole dataset (the same on every rank), with at least one example.</param>
    /// <param name="batchSize">Examples per batch on each rank (positive); the global batch is <c>batchSize · comm.Size</c>.</param>
    /// <param name="comm">The ranks that share the data.</param>
    /// <param name="shuffle">Whether each epoch visits the examples in a new random order.</param>
    public DistributedDataLoader(Dataset dataset, int batchSize, Communicator comm, bool shuffle = true)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(comm);
        if (batchSize <= 0) throw new ArgumentException($"DistributedDataLoader: batchSize must be positive, got {batchSize}.", nameof(batchSize));
        if (dataset.Count == 0) throw new ArgumentException($"DistributedDataLoader: the dataset {dataset.GetType().Name} has no examples.", nameof(dataset));
        Dataset = dataset;
        BatchSize = batchSize;
        Communicator = comm;
        Shuffle = shuffle;
        DataSize = dataset.Count;
        ShardSize = (int)((DataSize + (long)comm.Size - 1) / comm.Size);
        MaxIter = (ShardSize + batchSize - 1) / batchSize;
        Reset();
    }

    /// <summary>The dataset the shares are taken from.</summary>
    public Dataset Dataset { get; }

    /// <summary>Examples per batch on this rank.</summary>
    public int BatchSize { get; }

    /// <summary>The ranks that share the data.</summary>
    public Communicator Communicator { get; }

    /// <summary>Whether each epoch shuffles the examples.</summary>
    public bool Shuffle { get; }

    /// <summary>Number of examples in the whole dataset.</summary>
    public int DataSize { get; }

    /// <summary>Examples this rank visits per epoch, ceil(DataSize / Size).</summary>
    public int ShardSize { get; }

    /// <summary>Batches per epoch, the same on every rank.</summary>
    public int MaxIter { get; }

    /// <summary>Batches already given in the current epoch.</summary>
    public int Iteration { get; private set; }

    /// <summary>Starts a new epoch: rewinds and, when shuffling, takes rank 0's new order (a collective call on every rank).</summary>
    public void Reset()
    {
        Iteration = 0;
        NDArray order;
        if (!Shuffle) order = NDArray.Arange(DataSize).AsType(DType.Int64);
        else
        {
            order = Communicator.Rank == 0 ? RandomState.Global.Permutation(DataSize) : NDArray.Zeros([DataSize], DType.Int64);
            Communicator.BroadcastInPlace(order, 0, () => "DistributedDataLoader.Reset (the epoch's order)");
        }
        _part = Shard(order.AsSpan<long>(), Communicator.Rank, Communicator.Size);
    }

    /// <summary>Rank <paramref name="rank"/>'s examples: every <paramref name="size"/>-th of the order padded with its start to a multiple of <paramref name="size"/>.</summary>
    internal static int[] Shard(ReadOnlySpan<long> order, int rank, int size)
    {
        int shard = (order.Length + size - 1) / size;
        var part = new int[shard];
        for (int k = 0; k < shard; k++) part[k] = (int)order[(k * size + rank) % order.Length];
        return part;
    }

    /// <summary>The remaining batches of this rank's share of the epoch; reaching the end starts the next epoch.</summary>
    public IEnumerator<(NDArray x, NDArray t)> GetEnumerator()
    {
        while (Iteration < MaxIter)
        {
            int start = Iteration * BatchSize;
            var batch = Dataset.GetBatch(_part.AsSpan(start, Math.Min(BatchSize, ShardSize - start)));
            Iteration++;
            yield return batch;
        }
        Reset();
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
