using DeZero.Models;
using DeZero.Optimizers;
using F = DeZero.Functions;

namespace DeZero.Distributed.Tests;

/// <summary>
/// The program every rank runs when a test starts <c>mpirun -np N dotnet DeZero.Distributed.Tests.dll scenario …</c>
/// (see <see cref="MpiRun"/>). Lines printed to the standard output start with the rank.
/// </summary>
public static class Worker
{
    public static int Main(string[] args)
    {
        var c = Communicator.World;
        switch (args[0])
        {
            case "collectives":
                Scenarios.Collectives(c);
                Scenarios.Sharding(c);
                Scenarios.Buckets(c);
                Say(c, "collectives ok");
                break;
            case "train":
                Scenarios.Train(c, args[1], int.Parse(args[2]), bucketBytes: int.Parse(args[4])).SaveWeights(Path.Combine(args[3], $"rank{c.Rank}.npz"));
                break;
            case "mismatch":
                File.WriteAllLines(Path.Combine(args[1], $"rank{c.Rank}.txt"), Mismatch(c));
                break;
            case "throw":
                c.Barrier();
                if (c.Rank == 1) throw new InvalidOperationException("rank 1 fails on purpose");
                c.AllReduce(NDArray.Zeros(3));
                break;
            case "exit":
                c.Barrier();
                if (c.Rank == 1) return 2;
                c.AllReduce(NDArray.Zeros(3));
                break;
            case "forever":
                Forever(c, args[1]);
                break;
            case "threads":
                Threads(c);
                break;
            case "shutdown":
                Communicator.Shutdown();
                Say(c, Message(() => c.Barrier()));
                Say(c, Message(() => _ = Communicator.World));
                break;
            default:
                throw new ArgumentException($"unknown scenario '{args[0]}'");
        }
        return 0;
    }

    static void Say(Communicator c, string line) => Console.WriteLine($"rank {c.Rank}: {line}");

    static string Message(Action action)
    {
        try
        {
            action();
            return "no exception";
        }
        catch (Exception e)
        {
            return $"{e.GetType().Name}: {e.Message}";
        }
    }

    // Shapes, dtypes and models that differ between ranks: every rank reports the same errors, and goes on. The long
    // lines go to a file per rank, since mpirun may interleave the ranks' output within a line.
    static List<string> Mismatch(Communicator c)
    {
        var lines = new List<string>
        {
            Message(() => c.AllReduce(c.Rank == 0 ? NDArray.Zeros(2, 3) : NDArray.Zeros(3, 2))),
            Message(() => c.Broadcast(NDArray.Zeros([4], c.Rank == 0 ? DType.Float32 : DType.Float64))),
            Message(() =>
            {
                if (c.Rank == 0) c.Barrier();
                else c.AllReduce(NDArray.Zeros(3));
            }),
        };
        var model = new MLP([c.Rank == 0 ? 10 : 11, 3]);
        model.Call(NDArray.Zeros(1, 2));
        lines.Add(Message(() => new DistributedOptimizer(new SGD(), c).Setup(model)));
        lines.Add(Message(() => new DistributedOptimizer(new SGD(), c).Setup(new MLP([10, 3]))));
        c.Barrier();
        lines.Add("done");
        return lines;
    }

    // Trains until killed: writes its process id once training runs, so the test can kill one rank mid-training.
    static void Forever(Communicator c, string dir)
    {
        var model = new MLP([100, 10]);
        model.Call(NDArray.Zeros(1, 20));
        var optimizer = new DistributedOptimizer(new SGD(), c).Setup(model);
        var x = new RandomState(c.Rank).Rand(32, 20);
        var t = NDArray.Zeros([32], DType.Int64);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        for (int step = 0; clock.Elapsed < TimeSpan.FromMinutes(2); step++)
        {
            var loss = F.SoftmaxCrossEntropy(model.Call(x), t);
            model.ClearGrads();
            loss.Backward();
            optimizer.Update();
            if (step == 10) File.WriteAllText(Path.Combine(dir, $"pid{c.Rank}"), $"{Environment.ProcessId}");
        }
    }

    // Rank 0 calls AllReduce while its other thread waits in a Barrier that rank 1 joins late.
    static void Threads(Communicator c)
    {
        if (c.Rank == 0)
        {
            var waiting = new Thread(c.Barrier);
            waiting.Start();
            Thread.Sleep(300);
            Say(c, Message(() => c.AllReduce(NDArray.Zeros(3))));
            waiting.Join();
        }
        else
        {
            Thread.Sleep(1500);
            c.Barrier();
        }
        c.Barrier();
        Say(c, "done");
    }
}
