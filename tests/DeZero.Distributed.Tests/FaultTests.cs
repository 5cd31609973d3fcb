using System.Diagnostics;

namespace DeZero.Distributed.Tests;

[Collection("Mpi")]
public class FaultTests
{
    // A rank that throws, and one that exits with code 2 (as the examples runner does on an error), end the job.
    [Theory]
    [InlineData("throw", "after an unhandled System.InvalidOperationException: rank 1 fails on purpose")]
    [InlineData("exit", "after exiting with code 2")]
    public void FailingRank_EndsTheJobWithItsReason(string scenario, string reason)
    {
        using var run = new MpiRun(2, scenario);
        var (code, stdout, stderr, elapsed) = run.Wait(TimeSpan.FromSeconds(60));
        Assert.NotEqual(0, code);
        Assert.Contains("rank 1 of 2 ends the job (MPI_Abort) " + reason, stdout + stderr);
        Assert.True(elapsed < TimeSpan.FromSeconds(30), $"the job took {elapsed.TotalSeconds:F1} s to end");
    }

    [Fact]
    public void RankKilledMidTraining_EndsTheJobWithin30Seconds()
    {
        using var dir = new TempDir();
        using var run = new MpiRun(2, "forever", dir.Path);
        var pidFile = Path.Combine(dir.Path, "pid1");
        var clock = Stopwatch.StartNew();
        while (!File.Exists(pidFile) || new FileInfo(pidFile).Length == 0)
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(90), "rank 1 did not start training");
            Thread.Sleep(100);
        }
        Process.GetProcessById(int.Parse(File.ReadAllText(pidFile))).Kill();
        var (code, _, _, elapsed) = run.Wait(TimeSpan.FromSeconds(60));
        Assert.NotEqual(0, code);
        Assert.True(elapsed < TimeSpan.FromSeconds(30), $"the job took {elapsed.TotalSeconds:F1} s to end");
    }
}
