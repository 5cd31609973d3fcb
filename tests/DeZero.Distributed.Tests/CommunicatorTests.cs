namespace DeZero.Distributed.Tests;

[Collection("Mpi")]
public class CommunicatorTests
{
    [Fact]
    public void WithoutMpirun_IsRankZeroOfOneWithoutMpi()
    {
        var c = Communicator.World;
        Assert.Equal((0, 1, false), (c.Rank, c.Size, c.UsesMpi));
    }

    [Fact]
    public void Collectives_OneProcess()
    {
        Scenarios.Collectives(Communicator.World);
        Scenarios.Sharding(Communicator.World);
        Scenarios.Buckets(Communicator.World);
    }

    [Fact]
    public void Collectives_TwoRanks()
    {
        var output = MpiRun.Succeed(2, "collectives");
        Assert.Contains("rank 0: collectives ok", output);
        Assert.Contains("rank 1: collectives ok", output);
    }

    [Fact]
    public void BadInput_OneProcess_ClearErrors()
    {
        var c = Communicator.World;
        Assert.Contains("null", Assert.Throws<ArgumentNullException>(() => c.AllReduce(null!)).Message);
        Assert.Contains("root must be a rank in 0 … 0", Assert.Throws<ArgumentOutOfRangeException>(() => c.Broadcast(NDArray.Zeros(2), root: 1)).Message);
        Assert.Contains("got bool", Assert.Throws<ArgumentException>(() => c.AllReduce(NDArray.Zeros([2], DType.Bool))).Message);
    }

    [Fact]
    public void DifferentShapesDtypesAndModels_TwoRanks_EveryRankReportsBoth()
    {
        using var dir = new TempDir();
        MpiRun.Succeed(2, "mismatch", dir.Path);
        foreach (var rank in (int[])[0, 1])
        {
            var lines = File.ReadAllLines(Path.Combine(dir.Path, $"rank{rank}.txt"));
            Assert.Equal(6, lines.Length);
            Assert.Contains("Communicator.AllReduce: the ranks disagree: rank 0 called AllReduce with float64 (2, 3); rank 1 called AllReduce with float64 (3, 2)", lines[0]);
            Assert.Contains("rank 0 called Broadcast(root 0) with float32 (4,); rank 1 called Broadcast(root 0) with float64 (4,)", lines[1]);
            Assert.Contains("the ranks disagree: rank 0 called Barrier; rank 1 called AllReduce with float64 (3,)", lines[2]);
            Assert.Contains("DistributedOptimizer.Setup (parameter 'l0/W'): the ranks disagree: rank 0 called Broadcast(root 0) with float32 (2, 10); rank 1 called Broadcast(root 0) with float32 (2, 11)", lines[3]);
            Assert.Contains("4 parameters over all ranks have no data yet (here: l0/W, l1/W)", lines[4]);
            Assert.Equal("done", lines[5]);
        }
    }

    [Fact]
    public void TwoThreadsAtOnce_TwoRanks_ClearError()
    {
        var output = MpiRun.Succeed(2, "threads");
        Assert.Matches(@"rank 0: InvalidOperationException: Communicator.AllReduce: called on thread \d+ while thread \d+ is inside Communicator.Barrier", output);
        Assert.Contains("rank 0: done", output);
        Assert.Contains("rank 1: done", output);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(0)]
    public void AfterShutdown_ClearError(int ranks)
    {
        var output = MpiRun.Succeed(ranks, "shutdown");
        Assert.Contains("rank 0: ObjectDisposedException: Communicator.Barrier: MPI has been finalised", output);
        Assert.Contains("rank 0: ObjectDisposedException: Communicator.World: MPI has been finalised", output);
    }

    [Fact]
    public void MissingLibmpi_SaysHowToInstall()
    {
        var e = Assert.Throws<DllNotFoundException>(() => Mpi.Open(["libmpi-not-installed.so.40"], "OMPI_COMM_WORLD_SIZE=2"));
        Assert.Contains("apt-get install openmpi-bin", e.Message);
        Assert.Contains("libmpi-not-installed.so.40", e.Message);
    }
}
