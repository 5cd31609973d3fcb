namespace DeZero.Bench;

/// <summary>Prints the comparison table: cold and steady rates of each side with their ratios, and peak working sets.</summary>
static class Table
{
    public static void Print(List<(WorkloadResult? Ours, WorkloadResult? Theirs)> rows)
    {
        Console.WriteLine("| workload | unit | DeZero cold | Torch cold | ratio | DeZero steady | Torch steady | ratio | DeZero peak WS | Torch peak WS |");
        Console.WriteLine("|---|---|--:|--:|--:|--:|--:|--:|--:|--:|");
        foreach (var (ours, theirs) in rows)
        {
            var any = ours ?? theirs;
            if (any is null) continue;
            Console.WriteLine($"| {any.Name} | {any.Unit} | {Rate(ours?.Cold)} | {Rate(theirs?.Cold)} | {Ratio(ours?.Cold, theirs?.Cold)} | " +
                              $"{Rate(ours?.Steady)} | {Rate(theirs?.Steady)} | {Ratio(ours?.Steady, theirs?.Steady)} | " +
                              $"{Mb(ours?.PeakWorkingSetBytes)} | {Mb(theirs?.PeakWorkingSetBytes)} |");
        }
    }

    static string Rate(double? v) => v is { } x ? x.ToString(x >= 1000 ? "F0" : "F1") : "—";
    static string Ratio(double? a, double? b) => a is { } x && b is { } y && y > 0 ? $"{x / y:F2}×" : "—";
    static string Mb(long? bytes) => bytes is { } b ? $"{b / (1024.0 * 1024.0):F0} MB" : "—";
}
