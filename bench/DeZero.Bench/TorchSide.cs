using System.Diagnostics;

namespace DeZero.Bench;

/// <summary>
/// Finds the TorchSharp worker: bench/TorchSharpBench, built on demand. It is a separate project (libtorch is
/// several hundred MB) that the library never references; when it cannot be built the table has one column.
/// </summary>
static class TorchSide
{
    public static string? Locate()
    {
        var dir = AppContext.BaseDirectory;
        while (dir is not null && !File.Exists(Path.Combine(dir, "DeZero.sln"))) dir = Path.GetDirectoryName(dir);
        if (dir is null) return null;
        var project = Path.Combine(dir, "bench", "TorchSharpBench");
        if (!Directory.Exists(project)) return null;
        var psi = new ProcessStartInfo("dotnet", ["build", "-c", "Release", project, "-v", "quiet", "-nologo"])
        { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        using var p = Process.Start(psi)!;
        p.StandardOutput.ReadToEnd();
        p.StandardError.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0) return null;
        var dll = Directory.GetFiles(Path.Combine(project, "bin", "Release"), "TorchSharpBench.dll", SearchOption.AllDirectories).FirstOrDefault();
        return dll;
    }
}
