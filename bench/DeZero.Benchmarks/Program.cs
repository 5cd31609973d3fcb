using BenchmarkDotNet.Running;
using DeZero.Benchmarks;

if (args.Length > 0 && args[0] == "gflops")
    return GflopsRunner.Run(args[1..]);
BenchmarkSwitcher.FromAssembly(typeof(GemmBenchmarks).Assembly).Run(args);
return 0;
