using DeZero.IO;
using DeZero.Models;
using DeZero.Optimizers;

namespace DeZero.Distributed.Tests;

[Collection("Mpi")]
public class DistributedOptimizerTests
{
    const int Epochs = 30;

    [Theory]
    [InlineData("sgd", 4 << 20)]
    [InlineData("adam", 200)]
    public void TwoRanksOnHalfBatches_EqualOneProcessOnWholeBatches(string optimizer, int bucketBytes)
    {
        using var dir = new TempDir();
        MpiRun.Succeed(2, "train", optimizer, $"{Epochs}", dir.Path, $"{bucketBytes}");
        var alone = Scenarios.TrainAlone(optimizer, Epochs);
        var rank0 = Npz.Load(Path.Combine(dir.Path, "rank0.npz"));
        var rank1 = Npz.Load(Path.Combine(dir.Path, "rank1.npz"));
        foreach (var (key, p) in alone.NamedParams())
        {
            Assert.Equal(rank0[key].ToArray<double>(), rank1[key].ToArray<double>());
            AssertClose(p.Data, rank0[key], key);
        }
    }

    [Theory]
    [InlineData("sgd")]
    [InlineData("adam")]
    public void OneProcess_EqualsTheBookLoop(string optimizer)
    {
        var distributed = Scenarios.Train(Communicator.World, optimizer, Epochs);
        var alone = Scenarios.TrainAlone(optimizer, Epochs);
        foreach (var ((key, a), (_, b)) in distributed.NamedParams().Zip(alone.NamedParams()))
            AssertClose(b.Data, a.Data, key);
    }

    [Fact]
    public void Setup_LazyParameters_SaysToRunAForwardPassFirst()
    {
        var e = Assert.Throws<InvalidOperationException>(() => new DistributedOptimizer(new SGD(), Communicator.World).Setup(new MLP([10, 3])));
        Assert.Contains("(here: l0/W, l1/W)", e.Message);
        Assert.Contains("run one (model.Call(x))", e.Message);
    }

    [Fact]
    public void Setup_ReturnsItselfAndSetsTheInnerTarget()
    {
        var model = new MLP([3]);
        model.Call(NDArray.Zeros(1, 2));
        var sgd = new SGD();
        var optimizer = new DistributedOptimizer(sgd, Communicator.World);
        Assert.Same(optimizer, optimizer.Setup(model));
        Assert.Same(model, sgd.Target);
    }

    [Fact]
    public void BadArguments_Throw()
    {
        Assert.Throws<ArgumentNullException>(() => new DistributedOptimizer(null!, Communicator.World));
        Assert.Throws<ArgumentNullException>(() => new DistributedOptimizer(new SGD(), null!));
        Assert.Throws<ArgumentOutOfRangeException>(() => new DistributedOptimizer(new SGD(), Communicator.World, bucketBytes: 0));
        Assert.Contains("call Setup(model) first", Assert.Throws<InvalidOperationException>(() => new DistributedOptimizer(new SGD(), Communicator.World).Update()).Message);
    }

    static void AssertClose(NDArray expected, NDArray actual, string key)
    {
        Assert.Equal(expected.Shape, actual.Shape);
        double worst = (double)NDArray.Abs(expected - actual).Max();
        Assert.True(worst <= 1e-10, $"{key}: differs by {worst:G3}");
    }
}
