namespace DeZero.Bench;

/// <summary>Prints the comparison table: workload, DeZero, TorchSharp, ratio, and the peak working set of each.</summary>
static class Table
{
    public static void Print(List<(WorkloadResult ours, WorkloadResult? theirs)> rows)
    {
        Console.WriteLine();
        Console.WriteLine($"| {"workload",-22} | {"unit",-10} | {"DeZero",10} | {"TorchSharp",10} | {"ratio",6} | {"DeZero peak WS",14} | {"Torch peak WS",13} |");
        Console.WriteLine($"|{new string('-', 24)}|{new string('-', 12)}|{new string('-', 12)}|{new string('-', 12)}|{new string('-', 8)}|{new string('-', 16)}|{new string('-', 15)}|");
        foreach (var (ours, theirs) in rows)
        {
            string t = theirs is null ? "—" : $"{theirs.Value:F1}";
            string ratio = theirs is null || theirs.Value == 0 ? "—" : $"{ours.Value / theirs.Value:F2}×";
            string tws = theirs is null ? "—" : Mb(theirs.PeakWorkingSetBytes);
            Console.WriteLine($"| {ours.Name,-22} | {ours.Unit,-10} | {ours.Value,10:F1} | {t,10} | {ratio,6} | {Mb(ours.PeakWorkingSetBytes),14} | {tws,13} |");
        }
    }

    static string Mb(long bytes) => $"{bytes / (1024.0 * 1024.0):F0} MB";
}
