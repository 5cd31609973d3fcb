using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text.Json;
using DeZero.Bench;

// The workload runner: `dotnet run -c Release --project bench/DeZero.Bench -- [options] [workload…]`.
// Each workload runs in a fresh worker process per side (so cold means cold and the peak working set is its own),
// three times; both sides run with the runtime's default settings unless --tiered-off adds a labelled second table.
if (args.Length == 2 && args[0] == "--worker")
{
    Console.WriteLine(JsonSerializer.Serialize(Measure.Run("DeZero", new Workloads(), args[1])));
    return 0;
}
if (args.Contains("--help") || args.Contains("-h"))
{
    Console.WriteLine($"""
        usage: dotnet run -c Release --project bench/DeZero.Bench -- [--side dezero|torch|both] [--tiered-off] [workload…]
          workloads: {string.Join(", ", Measure.Names)}; gemm = all four sizes (default: all)
          --side        measure one side only (default both; the TorchSharp side needs bench/TorchSharpBench to build)
          --tiered-off  also measure with DOTNET_TieredCompilation=0 in the workers, printed as a second, labelled table
        """);
    return 0;
}

string side = "both";
bool tieredOff = false;
var selected = new List<string>();
for (int i = 0; i < args.Length; i++)
{
    if (args[i] == "--side" && i + 1 < args.Length && args[i + 1] is "dezero" or "torch" or "both") side = args[++i];
    else if (args[i] == "--tiered-off") tieredOff = true;
    else if (args[i] == "gemm") selected.AddRange(Measure.Names.Where(n => n.StartsWith("gemm")));
    else if (Measure.Names.Contains(args[i])) selected.Add(args[i]);
    else
    {
        Console.Error.WriteLine($"unknown argument '{args[i]}'; --side takes dezero, torch or both; workloads are gemm, {string.Join(", ", Measure.Names)}");
        return 2;
    }
}
if (selected.Count == 0) selected.AddRange(Measure.Names);

string? torch = side == "dezero" ? null : TorchSide.Locate();
Console.WriteLine($"CPU: {CpuModel()}, {Environment.ProcessorCount} cores; {RuntimeInformation.FrameworkDescription}");
if (side != "dezero")
    Console.WriteLine(torch is null ? "TorchSharp side not available (bench/TorchSharpBench did not build)." : $"TorchSharp side: {torch}");

RunTable(null, "runtime defaults");
if (tieredOff) RunTable("0", "tiered compilation off (DOTNET_TieredCompilation=0 in both workers)");
return 0;

void RunTable(string? tieredCompilation, string label)
{
    Console.WriteLine($"\n{label}: {Measure.Runs} runs per process, cold = first run, steady = best of the others");
    var rows = new List<(WorkloadResult? Ours, WorkloadResult? Theirs)>();
    foreach (var w in selected)
    {
        var ours = side == "torch" ? null : Worker.Run(Environment.ProcessPath!, [.. SelfArgs(), "--worker", w], tieredCompilation);
        var theirs = torch is null ? null : Worker.Run("dotnet", [torch, w], tieredCompilation);
        foreach (var r in new[] { ours, theirs }.OfType<WorkloadResult>())
            Console.WriteLine($"  {r.Side,-10} {r.Name,-12} {string.Join(" ", r.Runs.Select(v => $"{v,10:F1}")),-34} {r.Unit}");
        if (ours is null && side != "torch") Console.Error.WriteLine($"  DeZero worker failed on {w}");
        if (theirs is null && torch is not null) Console.Error.WriteLine($"  TorchSharp worker failed on {w}");
        rows.Add((ours, theirs));
    }
    Console.WriteLine($"\n{label}:");
    Table.Print(rows);
}

// When started through `dotnet DeZero.Bench.dll`, the worker needs the dll path too.
static string[] SelfArgs() =>
    Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet" ? [typeof(Measure).Assembly.Location] : [];

static string CpuModel() =>
    File.Exists("/proc/cpuinfo")
        ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name"))?.Split(':', 2)[1].Trim() ?? "unknown"
        : RuntimeInformation.ProcessArchitecture.ToString();

static class Worker
{
    // Runs one worker process and reads the JSON line it prints (null when it fails).
    public static WorkloadResult? Run(string file, string[] args, string? tieredCompilation)
    {
        var psi = new ProcessStartInfo(file, args) { RedirectStandardOutput = true, UseShellExecute = false };
        if (tieredCompilation is not null) psi.Environment["DOTNET_TieredCompilation"] = tieredCompilation;
        using var p = Process.Start(psi)!;
        WorkloadResult? result = null;
        while (p.StandardOutput.ReadLine() is { } line)
            if (line.StartsWith('{')) result = JsonSerializer.Deserialize<WorkloadResult>(line);
        p.WaitForExit();
        return p.ExitCode == 0 ? result : null;
    }
}
