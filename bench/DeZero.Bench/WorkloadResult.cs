namespace DeZero.Bench;

/// <summary>
/// One workload measured in one worker process, as it prints it (one JSON line): the rate of each of its runs and the
/// process's peak working set. The first run is cold (JIT included); steady is the best of the later runs.
/// </summary>
public sealed record WorkloadResult(string Side, string Name, string Unit, double[] Runs, long PeakWorkingSetBytes)
{
    /// <summary>The first run's rate: what a short program gets.</summary>
    public double Cold => Runs[0];

    /// <summary>The best rate of the runs after the first.</summary>
    public double Steady => Runs.Skip(1).DefaultIfEmpty(Runs[0]).Max();
}
