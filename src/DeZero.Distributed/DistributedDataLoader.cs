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
public sealed class DistributedDataLoader : DataLoader
{
    int[] _part = [];

    /// <summary>A loader giving this rank batches of <paramref name="batchSize"/> examples from its share of <paramref name="dataset"/>.</summary>
    /// <param name="dataset">The whole dataset (the same on every rank), with at least one example.</param>
    /// <param name="batchSize">Examples per batch on each rank (positive); the global batch is <c>batchSize · comm.Size</c>.</param>
    /// <param name="comm">The ranks that share the data.</param>
    /// <param name="shuffle">Whether each epoch visits the examples in a new random order.</param>
    public DistributedDataLoader(Dataset dataset, int batchSize, Communicator comm, bool shuffle = true)
        : base(dataset, batchSize, shuffle, ShardSizeOf(dataset, comm))
    {
        Communicator = comm;
        Reset();
    }

    static int ShardSizeOf(Dataset dataset, Communicator comm)
    {
        ArgumentNullException.ThrowIfNull(comm);
        return dataset is null ? 0 : (int)((dataset.Count + (long)comm.Size - 1) / comm.Size);
    }

    /// <summary>The ranks that share the data.</summary>
    public Communicator Communicator { get; }

    /// <summary>Examples this rank visits per epoch, ceil(DataSize / Size).</summary>
    public int ShardSize => _part.Length;

    /// <summary>Takes rank 0's order of the new epoch (a collective call on every rank) and this rank's share of it.</summary>
    protected override void NewEpoch()
    {
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

    /// <inheritdoc/>
    protected override int[] BatchIndices(int iteration)
    {
        int start = iteration * BatchSize;
        return _part[start..Math.Min(start + BatchSize, ShardSize)];
    }
}
