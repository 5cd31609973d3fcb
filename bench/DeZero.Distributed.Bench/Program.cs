using System.Diagnostics;
using DeZero;
using DeZero.Distributed;
using DeZero.Models;
using DeZero.Optimizers;
using F = DeZero.Functions;

// Data-parallel figures: all-reduce time and bandwidth for 4 and 40 MB of float32, then the mlp workload of
// ARCHITECTURE.md, Benchmark workloads (784-1000-1000-10 ReLU MLP, SGD lr 0.01, global batch 100 shared by the ranks, 200 iterations).
// Run as `mpirun -np N dotnet run -c Release --project bench/DeZero.Distributed.Bench`; rank 0 prints.
var comm = Communicator.World;
void Say(string line)
{
    if (comm.Rank == 0) Console.WriteLine(line);
}

Say($"{comm.Size} rank(s), {(comm.UsesMpi ? "MPI" : "no MPI")}");
foreach (var (megabytes, repeats) in comm.Size > 1 ? new[] { (4, 30), (40, 8) } : [])
{
    var a = NDArray.Zeros([megabytes * 1_000_000 / 4], DType.Float32);
    for (int i = 0; i < 3; i++) comm.AllReduceInPlace(a);
    var times = new List<double>();
    for (int i = 0; i < repeats; i++)
    {
        comm.Barrier();
        var clock = Stopwatch.StartNew();
        comm.AllReduceInPlace(a);
        times.Add(clock.Elapsed.TotalSeconds);
    }
    times.Sort();
    double t = times[times.Count / 2], bytes = megabytes * 1e6;
    Say($"allreduce {megabytes,2} MB: median {t * 1e3,8:F2} ms, algorithm bandwidth {bytes / t / 1e9,6:F2} GB/s, " +
        $"bus bandwidth 2(p-1)/p·bytes/t {2.0 * (comm.Size - 1) / comm.Size * bytes / t / 1e9,6:F2} GB/s");
}

const int globalBatch = 100, iterations = 200;
int local = globalBatch / comm.Size;
var rng = new RandomState(comm.Rank);
var x = rng.Rand(local, 784).AsType(DType.Float32);
var labels = rng.RandInt(0, 10, local);
var model = new MLP([1000, 1000, 10], F.ReLU);
model.Call(x);
var optimizer = new DistributedOptimizer(new SGD(0.01), comm).Setup(model);
void Step()
{
    var loss = F.SoftmaxCrossEntropy(model.Call(x), labels);
    model.ClearGrads();
    loss.Backward();
    optimizer.Update();
}
Step();
var communication = optimizer.CommunicationTime;
comm.Barrier();
var watch = Stopwatch.StartNew();
for (int i = 0; i < iterations; i++) Step();
comm.Barrier();
double seconds = watch.Elapsed.TotalSeconds;
Say($"mlp: {globalBatch * iterations / seconds:F0} samples/s ({local} per rank and step), " +
    $"all-reduce {(optimizer.CommunicationTime - communication).TotalMilliseconds / iterations:F2} ms of {seconds * 1e3 / iterations:F2} ms per step");
