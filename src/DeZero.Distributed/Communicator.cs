using System.Runtime.InteropServices;

namespace DeZero.Distributed;

/// <summary>
/// The processes of a data-parallel job and their collective operations (ChainerMN's communicator, PyTorch's process
/// group), over MPI. A program started by <c>mpirun -np N</c> is one of N ranks; started without <c>mpirun</c> it is
/// rank 0 of 1, needs no MPI library, and every collective returns its input.
/// </summary>
/// <remarks>
/// Every collective first exchanges what each rank is calling it with (operation, dtype, shape, root), so a rank
/// that disagrees makes every rank throw the same <see cref="InvalidOperationException"/> naming all the shapes,
/// rather than hang or mix up data. MPI is initialised by the first use of <see cref="World"/> and finalised at
/// process exit (or by <see cref="Shutdown"/>); under MPI an unhandled exception or a non-zero exit code on any rank
/// is printed and ends the whole job with <c>MPI_Abort</c>. Collectives on one communicator must not overlap: a call made while
/// another thread is inside one throws.
/// </remarks>
public sealed unsafe class Communicator
{
    static readonly Lazy<Communicator> s_world = new(CreateWorld);
    static readonly Lock s_shutdown = new();
    static volatile bool s_finalized;

    const int HeaderLength = 12, HeaderDims = 6;
    const long NoArray = -2, NullArray = -1;

    enum Op { AllReduce = 1, Broadcast, Barrier }

    readonly nint _comm; // 0 in a process started without mpirun: one rank, no MPI
    readonly int _initThread;
    readonly bool _anyThread;
    int _busyThread;
    string _busyOp = "";

    /// <summary>Collective calls made so far (tests count the all-reduces of a gradient update with it).</summary>
    internal int Calls { get; private set; }

    Communicator(nint comm, int rank, int size, bool anyThread)
    {
        _comm = comm;
        Rank = rank;
        Size = size;
        _anyThread = anyThread;
        _initThread = Environment.CurrentManagedThreadId;
    }

    /// <summary>Every process of the job (MPI's <c>MPI_COMM_WORLD</c>); the first use initialises MPI.</summary>
    public static Communicator World => s_finalized ? throw Finalized("World") : s_world.Value;

    /// <summary>This process's number, 0 … <see cref="Size"/> − 1.</summary>
    public int Rank { get; }

    /// <summary>Number of processes in the job.</summary>
    public int Size { get; }

    /// <summary>Whether the job runs over MPI (started by <c>mpirun</c>); false for a single process without MPI.</summary>
    public bool UsesMpi => _comm != 0;

    /// <summary>The element-wise sum of <paramref name="x"/> over all ranks, as a new array (float32, float64, int32 or int64).</summary>
    public NDArray AllReduce(NDArray x)
    {
        Enter(nameof(AllReduce));
        try
        {
            Agree(Op.AllReduce, x, 0, null);
            if (_comm == 0) return x.Copy();
            var y = NDArray.Zeros(x.Shape, x.DType);
            fixed (byte* src = Bytes(x))
            fixed (byte* dst = Bytes(y))
                Mpi.Check(Mpi.MPI_Allreduce(src, dst, x.Size, MpiType(x.DType), Mpi.Sum, _comm), "MPI_Allreduce");
            return y;
        }
        finally { Exit(); }
    }

    /// <summary>Replaces <paramref name="x"/> by its element-wise sum over all ranks (float32, float64, int32 or int64).</summary>
    public void AllReduceInPlace(NDArray x) => AllReduceInPlace(x, null);

    /// <summary>The mean of a scalar over all ranks, such as a loss or an accuracy for reporting.</summary>
    public double Mean(double value) => (double)AllReduce(NDArray.FromArray(value)) / Size;

    /// <summary>Rank <paramref name="root"/>'s <paramref name="x"/> on every rank, as a new array; every rank passes an array of the same shape and dtype.</summary>
    public NDArray Broadcast(NDArray x, int root = 0)
    {
        var y = x?.Copy()!;
        BroadcastInPlace(y, root);
        return y;
    }

    /// <summary>Overwrites <paramref name="x"/> on every rank with rank <paramref name="root"/>'s values.</summary>
    public void BroadcastInPlace(NDArray x, int root = 0) => BroadcastInPlace(x, root, null);

    /// <summary>Waits until every rank has called <see cref="Barrier"/>.</summary>
    public void Barrier()
    {
        Enter(nameof(Barrier));
        try { Agree(Op.Barrier, null, 0, null); } // the exchange of call descriptions is itself a barrier
        finally { Exit(); }
    }

    /// <summary>
    /// Finalises MPI now rather than at process exit (<c>MPI_Finalize</c>); afterwards every use of a communicator
    /// throws <see cref="ObjectDisposedException"/>, since MPI cannot be initialised twice in a process.
    /// </summary>
    public static void Shutdown()
    {
        lock (s_shutdown)
        {
            if (s_finalized) return;
            if (s_world.IsValueCreated && s_world.Value is { _comm: not 0 } world)
            {
                world.Enter(nameof(Shutdown));
                try { Mpi.Check(Mpi.MPI_Finalize(), "MPI_Finalize"); }
                finally
                {
                    s_finalized = true;
                    world.Exit();
                }
            }
            s_finalized = true;
        }
    }

    internal void AllReduceInPlace(NDArray x, Func<string>? context)
    {
        Enter(nameof(AllReduceInPlace));
        try
        {
            Agree(Op.AllReduce, x, 0, context);
            if (_comm == 0) return;
            fixed (byte* p = Bytes(x))
                Mpi.Check(Mpi.MPI_Allreduce((void*)Mpi.InPlace, p, x.Size, MpiType(x.DType), Mpi.Sum, _comm), "MPI_Allreduce");
        }
        finally { Exit(); }
    }

    internal void BroadcastInPlace(NDArray x, int root, Func<string>? context)
    {
        Enter(nameof(Broadcast));
        try
        {
            Agree(Op.Broadcast, x, root, context);
            if (_comm == 0) return;
            fixed (byte* p = Bytes(x))
                Mpi.Check(Mpi.MPI_Bcast(p, x.Size * x.DType.ItemSize(), Mpi.Byte, root, _comm), "MPI_Bcast");
        }
        finally { Exit(); }
    }

    // Every rank learns what every other rank is calling: a mismatch throws the same message on all of them.
    void Agree(Op op, NDArray? x, int root, Func<string>? context)
    {
        var headers = new long[HeaderLength * Size];
        var mine = headers.AsSpan(HeaderLength * Rank, HeaderLength);
        Describe(op, x, root, mine);
        if (_comm != 0)
            fixed (long* all = headers)
                Mpi.Check(Mpi.MPI_Allgather((void*)Mpi.InPlace, 0, 0, all, HeaderLength, Mpi.Int64, _comm), "MPI_Allgather");
        string where = context?.Invoke() ?? $"Communicator.{op}";
        for (int r = 1; r < Size; r++)
            if (!headers.AsSpan(HeaderLength * r, HeaderLength).SequenceEqual(headers.AsSpan(0, HeaderLength)))
                throw new InvalidOperationException($"{where}: the ranks disagree: {Disagreement(headers)}. " +
                    "Every rank must make the same collective calls in the same order, with arrays of the same shape and dtype.");
        if (x is null && op != Op.Barrier)
            throw new ArgumentNullException(nameof(x), $"{where}: the array is null (on every rank).");
        if (root < 0 || root >= Size)
            throw new ArgumentOutOfRangeException(nameof(root), root, $"{where}: root must be a rank in 0 … {Size - 1}.");
        if (op == Op.AllReduce && x!.DType == DType.Bool)
            throw new ArgumentException($"{where}: sums float32, float64, int32 or int64 arrays, got bool.", nameof(x));
    }

    static void Describe(Op op, NDArray? x, int root, Span<long> h)
    {
        h[0] = (long)op;
        h[1] = x is null ? (op == Op.Barrier ? NoArray : NullArray) : (long)x.DType;
        h[2] = root;
        if (x is null) return;
        var shape = x.Shape;
        h[3] = shape.Length;
        h[4] = x.Size;
        long hash = 17; // the same on every rank (HashCode is seeded per process)
        foreach (var d in shape) hash = hash * 1_000_003 + d;
        h[5] = hash;
        for (int i = 0; i < Math.Min(shape.Length, HeaderDims); i++) h[6 + i] = shape[i];
    }

    string Disagreement(long[] headers)
    {
        var calls = new List<(string Call, List<int> Ranks)>();
        for (int r = 0; r < Size; r++)
        {
            string call = CallText(headers.AsSpan(HeaderLength * r, HeaderLength));
            if (calls.Find(c => c.Call == call) is { Ranks: { } ranks }) ranks.Add(r);
            else calls.Add((call, [r]));
        }
        return string.Join("; ", calls.Select(c => $"{(c.Ranks.Count == 1 ? "rank" : "ranks")} {string.Join(", ", c.Ranks)} called {c.Call}"));
    }

    static string CallText(ReadOnlySpan<long> h)
    {
        var op = (Op)h[0];
        string root = op == Op.Broadcast ? $"(root {h[2]})" : "";
        if (h[1] == NoArray) return $"{op}";
        if (h[1] == NullArray) return $"{op}{root} with null";
        int ndim = (int)h[3];
        var dims = new List<string>();
        for (int i = 0; i < Math.Min(ndim, HeaderDims); i++) dims.Add(h[6 + i].ToString());
        if (ndim > HeaderDims) dims.Add("…");
        string shape = ndim == 1 ? $"({dims[0]},)" : $"({string.Join(", ", dims)})";
        return $"{op}{root} with {((DType)h[1]).Name()} {shape}";
    }

    void Enter(string op)
    {
        if (s_finalized) throw Finalized(op);
        int me = Environment.CurrentManagedThreadId;
        if (!_anyThread && me != _initThread)
            throw new InvalidOperationException(
                $"Communicator.{op}: called on thread {me}, but this MPI library only lets the thread that initialised MPI (thread {_initThread}) communicate.");
        int other = Interlocked.CompareExchange(ref _busyThread, me, 0);
        if (other != 0)
            throw new InvalidOperationException(
                $"Communicator.{op}: called on thread {me} while thread {other} is inside Communicator.{_busyOp}; " +
                "collectives on one communicator must not overlap (every rank must run them in the same order), so communicate from one thread at a time.");
        _busyOp = op;
        Calls++;
        if (s_finalized)
        {
            Exit();
            throw Finalized(op);
        }
    }

    void Exit() => Volatile.Write(ref _busyThread, 0);

    static ObjectDisposedException Finalized(string op) =>
        new(nameof(Communicator), $"Communicator.{op}: MPI has been finalised (Communicator.Shutdown or process exit) and cannot be used again in this process.");

    static nint MpiType(DType t) => t switch
    {
        DType.Float32 => Mpi.Float,
        DType.Float64 => Mpi.Double,
        DType.Int64 => Mpi.Int64,
        DType.Int32 => Mpi.Int,
        _ => Mpi.Byte,
    };

    static Span<byte> Bytes(NDArray a) => a.DType switch
    {
        DType.Float32 => MemoryMarshal.AsBytes(a.AsSpan<float>()),
        DType.Float64 => MemoryMarshal.AsBytes(a.AsSpan<double>()),
        DType.Int64 => MemoryMarshal.AsBytes(a.AsSpan<long>()),
        DType.Int32 => MemoryMarshal.AsBytes(a.AsSpan<int>()),
        _ => MemoryMarshal.AsBytes(a.AsSpan<bool>()),
    };

    static Communicator CreateWorld()
    {
        string? launcher = Environment.GetEnvironmentVariable("OMPI_COMM_WORLD_SIZE") is { } n ? $"OMPI_COMM_WORLD_SIZE={n}"
            : Environment.GetEnvironmentVariable("PMIX_RANK") is { } r ? $"PMIX_RANK={r}" : null;
        if (launcher is null) return new Communicator(0, 0, 1, anyThread: true);
        Mpi.Load(launcher);
        int provided, rank, size;
        Mpi.Check(Mpi.MPI_Init_thread(null, null, Mpi.ThreadSerialized, &provided), "MPI_Init_thread");
        Mpi.Check(Mpi.MPI_Comm_set_errhandler(Mpi.CommWorld, Mpi.ErrorsReturn), "MPI_Comm_set_errhandler");
        Mpi.Check(Mpi.MPI_Comm_rank(Mpi.CommWorld, &rank), "MPI_Comm_rank");
        Mpi.Check(Mpi.MPI_Comm_size(Mpi.CommWorld, &size), "MPI_Comm_size");
        var world = new Communicator(Mpi.CommWorld, rank, size, provided >= Mpi.ThreadSerialized);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => AtExit(world);
        AppDomain.CurrentDomain.UnhandledException += (_, e) =>
            world.Abort(e.ExceptionObject is Exception x ? $"an unhandled {x.GetType().FullName}: {x.Message}" : $"an unhandled {e.ExceptionObject}", 1);
        return world;
    }

    // A rank that exits with an error would leave the others waiting in their next collective: it ends the job. A
    // collective still running on another thread would make MPI_Finalize wait for ever: MPI is then left as it is.
    static void AtExit(Communicator world)
    {
        if (s_finalized) return;
        if (Environment.ExitCode != 0) world.Abort($"exiting with code {Environment.ExitCode}", Environment.ExitCode);
        else if (Volatile.Read(ref world._busyThread) == 0) Shutdown();
    }

    // One failed rank would leave the others waiting in their next collective: end the whole job instead.
    void Abort(string reason, int exitCode)
    {
        if (s_finalized) return;
        Console.Error.WriteLine($"DeZero.Distributed: rank {Rank} of {Size} ends the job (MPI_Abort) after {reason}");
        Console.Error.Flush();
        Mpi.MPI_Abort(_comm, exitCode);
    }
}
