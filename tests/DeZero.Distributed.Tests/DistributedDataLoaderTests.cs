using DeZero.Data;

namespace DeZero.Distributed.Tests;

[Collection("Mpi")]
public class DistributedDataLoaderTests
{
    [Fact]
    public void Shard_TakesEverySizethPaddedWithTheStart()
    {
        long[] order = [6, 5, 4, 3, 2, 1, 0];
        Assert.Equal([6, 3, 0], DistributedDataLoader.Shard(order, 0, 3));
        Assert.Equal([5, 2, 6], DistributedDataLoader.Shard(order, 1, 3));
        Assert.Equal([4, 1, 5], DistributedDataLoader.Shard(order, 2, 3));
        Assert.Equal([6, 5, 4, 3, 2, 1, 0], DistributedDataLoader.Shard(order, 0, 1));
    }

    [Fact]
    public void OneProcess_GivesTheBatchesOfDataLoader()
    {
        var dataset = new Dataset(NDArray.Arange(10).Reshape(5, 2), NDArray.Arange(5));
        RandomState.Global.Seed(3);
        var expected = new DataLoader(dataset, 2).ToList();
        RandomState.Global.Seed(3);
        var loader = new DistributedDataLoader(dataset, 2, Communicator.World);
        Assert.Equal(3, loader.MaxIter);
        var actual = loader.ToList();
        Assert.Equal(expected.Count, actual.Count);
        foreach (var ((x, t), (ex, et)) in actual.Zip(expected))
        {
            Assert.Equal(ex.ToArray<double>(), x.ToArray<double>());
            Assert.Equal(et.ToArray<long>(), t.ToArray<long>());
        }
    }

    [Fact]
    public void BadArguments_Throw()
    {
        var dataset = new Dataset(NDArray.Zeros(4, 2));
        Assert.Throws<ArgumentNullException>(() => new DistributedDataLoader(null!, 2, Communicator.World));
        Assert.Throws<ArgumentNullException>(() => new DistributedDataLoader(dataset, 2, null!));
        Assert.Contains("DistributedDataLoader: batchSize must be a positive integer", Assert.Throws<ArgumentOutOfRangeException>(() => new DistributedDataLoader(dataset, 0, Communicator.World)).Message);
    }
}
