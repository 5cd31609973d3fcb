using System.Diagnostics;

namespace DeZero.Distributed.Tests;

/// <summary>Tests that start MPI jobs or touch RandomState.Global run one at a time.</summary>
[CollectionDefinition("Mpi", DisableParallelization = true)]
public class MpiCollection;

/// <summary>
/// Starts this test assembly as an MPI job, <c>mpirun -np N dotnet DeZero.Distributed.Tests.dll args</c>, with the
/// environment that lets Open MPI run as root on an oversubscribed machine over shared memory.
/// </summary>
public sealed class MpiRun : IDisposable
{
    readonly Process _process;
    readonly Task<string> _stdout, _stderr;

    /// <summary>Starts the job; with <paramref name="ranks"/> 0 the same program runs as one process without mpirun.</summary>
    public MpiRun(int ranks, params string[] args)
    {
        var dotnet = Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet" ? Environment.ProcessPath! : "dotnet";
        string[] command = ranks == 0 ? [dotnet, typeof(Worker).Assembly.Location, .. args]
            : ["mpirun", "-np", $"{ranks}", dotnet, typeof(Worker).Assembly.Location, .. args];
        var info = new ProcessStartInfo(command[0]) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in command[1..]) info.ArgumentList.Add(a);
        info.Environment["OMPI_ALLOW_RUN_AS_ROOT"] = "1";
        info.Environment["OMPI_ALLOW_RUN_AS_ROOT_CONFIRM"] = "1";
        info.Environment["OMPI_MCA_rmaps_base_oversubscribe"] = "1";
        info.Environment["OMPI_MCA_btl"] = "self,vader";
        info.Environment["OMPI_MCA_mpi_yield_when_idle"] = "1"; // waiting ranks give the shared cores to the others
        info.Environment["TERM"] = "dumb"; // Open MPI gives ranks a pseudo-terminal: no control codes in the output
        try
        {
            _process = Process.Start(info)!;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException($"mpirun could not be started ({e.Message}); install Open MPI with `apt-get install openmpi-bin`.", e);
        }
        _stdout = _process.StandardOutput.ReadToEndAsync();
        _stderr = _process.StandardError.ReadToEndAsync();
    }

    /// <summary>Waits for the job to end (killing it after <paramref name="timeout"/>) and returns its exit code and output.</summary>
    public (int ExitCode, string Stdout, string Stderr, TimeSpan Elapsed) Wait(TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        if (!_process.WaitForExit(timeout))
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
            Assert.Fail($"the MPI job did not end within {timeout.TotalSeconds} s; output:\n{_stdout.Result}\n{_stderr.Result}");
        }
        return (_process.ExitCode, _stdout.Result, _stderr.Result, clock.Elapsed);
    }

    /// <summary>Runs a job that must succeed and returns its standard output.</summary>
    public static string Succeed(int ranks, params string[] args)
    {
        using var run = new MpiRun(ranks, args);
        var (code, stdout, stderr, _) = run.Wait(TimeSpan.FromSeconds(120));
        Assert.True(code == 0, $"mpirun exited with {code}:\n{stdout}\n{stderr}");
        return stdout;
    }

    public void Dispose()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        _process.Dispose();
    }
}

/// <summary>A temporary folder for the ranks' files, deleted at the end of the test.</summary>
public sealed class TempDir : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("dezero-mpi-").FullName;

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
