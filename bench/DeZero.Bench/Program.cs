using System.Diagnostics;
using System.Text.Json;
using DeZero.Bench;

// The workload runner: `dotnet run -c Release --project bench/DeZero.Bench -- [workload…]`.
// Each workload runs in a fresh worker process (so its peak working set is its own), first for DeZero and then,
// when bench/TorchSharpBench builds, for TorchSharp; one table compares them.
if (args.Length > 0 && args[0] == "--worker")
{
    foreach (var result in Measure.Run("DeZero", new Workloads(), args[1])) Console.WriteLine(JsonSerializer.Serialize(result));
    return 0;
}
if (args.Contains("--help") || args.Contains("-h"))
{
    Console.WriteLine($"usage: dotnet run -c Release --project bench/DeZero.Bench -- [{string.Join("|", Measure.Names)}]…  (default: all)");
    return 0;
}
var selected = args.Length == 0 ? Measure.Names : args;
foreach (var w in selected)
    if (!Measure.Names.Contains(w))
    {
        Console.Error.WriteLine($"unknown workload '{w}'; choose from {string.Join(", ", Measure.Names)}");
        return 2;
    }

var torch = TorchSide.Locate();
Console.WriteLine(torch is null
    ? "TorchSharp side not available (bench/TorchSharpBench did not build); printing DeZero alone."
    : $"TorchSharp side: {torch}");
var rows = new List<(WorkloadResult ours, WorkloadResult? theirs)>();
foreach (var w in selected)
{
    var ours = Worker.Run(Environment.ProcessPath!, [.. SelfArgs(), "--worker", w]);
    var theirs = torch is null ? [] : Worker.Run("dotnet", [torch, w]);
    foreach (var r in ours.Concat(theirs)) Console.WriteLine($"  {r.Side,-10} {r.Name,-22} {r.Value,12:F1} {r.Unit}");
    if (ours.Count == 0) Console.Error.WriteLine($"  DeZero worker failed on {w}");
    foreach (var o in ours) rows.Add((o, theirs.FirstOrDefault(t => t.Name == o.Name)));
}
Table.Print(rows);
return 0;

// When started through `dotnet DeZero.Bench.dll`, the worker needs the dll path too.
static string[] SelfArgs() =>
    Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet" ? [typeof(Measure).Assembly.Location] : [];

static class Worker
{
    // Runs one worker process and collects the JSON result lines it prints (none when it fails).
    public static List<WorkloadResult> Run(string file, string[] args)
    {
        var psi = new ProcessStartInfo(file, args) { RedirectStandardOutput = true, UseShellExecute = false };
        using var p = Process.Start(psi)!;
        var results = new List<WorkloadResult>();
        while (p.StandardOutput.ReadLine() is { } line)
            if (line.StartsWith('{')) results.Add(JsonSerializer.Deserialize<WorkloadResult>(line)!);
        p.WaitForExit();
        return p.ExitCode == 0 ? results : [];
    }
}
