namespace DeZero.Bench;

/// <summary>One measured workload, as a worker process prints it (one JSON line).</summary>
public sealed record WorkloadResult(string Side, string Name, double Value, string Unit, long PeakWorkingSetBytes);
