using System.Runtime.InteropServices;

namespace DeZero.Distributed;

/// <summary>
/// The few MPI calls the communicator needs, bound to Open MPI's <c>libmpi.so.40</c>. Open MPI's handles
/// (<c>MPI_COMM_WORLD</c>, <c>MPI_FLOAT</c>, <c>MPI_SUM</c>, …) are the addresses of exported globals such as
/// <c>ompi_mpi_comm_world</c>; every call returns an MPI error code, checked by <see cref="Check"/>.
/// </summary>
internal static unsafe partial class Mpi
{
    const string Lib = "mpi";
    internal const int ThreadSerialized = 2;
    internal static readonly nint InPlace = 1;

    static nint s_lib;

    internal static nint CommWorld, Float, Double, Int, Int64, Byte, Sum, ErrorsReturn;

    /// <summary>Loads libmpi and looks up the predefined handles; throws when Open MPI is not installed.</summary>
    internal static void Load(string launchedBy)
    {
        s_lib = Open(["libmpi.so.40", "libmpi.so"], launchedBy);
        NativeLibrary.SetDllImportResolver(typeof(Mpi).Assembly, (name, _, _) => name == Lib ? s_lib : 0);
        CommWorld = Export("ompi_mpi_comm_world");
        Float = Export("ompi_mpi_float");
        Double = Export("ompi_mpi_double");
        Int = Export("ompi_mpi_int");
        Int64 = Export("ompi_mpi_int64_t");
        Byte = Export("ompi_mpi_byte");
        Sum = Export("ompi_mpi_op_sum");
        ErrorsReturn = Export("ompi_mpi_errors_return");
    }

    // Open MPI loads its components with dlopen and they need libmpi's symbols to be global: hence dlopen, not NativeLibrary.
    internal static nint Open(string[] names, string launchedBy)
    {
        string? reason = null;
        foreach (var name in names)
        {
            try
            {
                nint lib = DlOpen(name, RtldNow | RtldGlobal);
                if (lib != 0) return lib;
                reason = Marshal.PtrToStringUTF8(DlError());
            }
            catch (DllNotFoundException e)
            {
                reason = e.Message;
            }
        }
        throw new DllNotFoundException(
            $"DeZero.Distributed: this process was started by mpirun ({launchedBy}) but Open MPI's {names[0]} could not be loaded ({reason}); " +
            "install Open MPI with `apt-get install openmpi-bin`.");
    }

    static nint Export(string symbol) => NativeLibrary.TryGetExport(s_lib, symbol, out var address) ? address
        : throw new EntryPointNotFoundException($"DeZero.Distributed: the loaded libmpi has no '{symbol}'; only Open MPI (libmpi.so.40) is supported.");

    /// <summary>Throws when an MPI call did not return MPI_SUCCESS, with MPI's own description of the error.</summary>
    internal static void Check(int code, string call)
    {
        if (code == 0) return;
        var text = new byte[256];
        int length = 0;
        fixed (byte* p = text)
            if (MPI_Error_string(code, p, &length) != 0) length = 0;
        throw new InvalidOperationException($"DeZero.Distributed: {call} failed with MPI error {code}: {System.Text.Encoding.UTF8.GetString(text, 0, length)}.");
    }

    const int RtldNow = 2, RtldGlobal = 0x100;

    [LibraryImport("libdl.so.2", EntryPoint = "dlopen", StringMarshalling = StringMarshalling.Utf8)]
    private static partial nint DlOpen(string file, int mode);

    [LibraryImport("libdl.so.2", EntryPoint = "dlerror")]
    private static partial nint DlError();

    [LibraryImport(Lib)] internal static partial int MPI_Init_thread(int* argc, byte*** argv, int required, int* provided);
    [LibraryImport(Lib)] internal static partial int MPI_Finalize();
    [LibraryImport(Lib)] internal static partial int MPI_Abort(nint comm, int errorCode);
    [LibraryImport(Lib)] internal static partial int MPI_Comm_rank(nint comm, int* rank);
    [LibraryImport(Lib)] internal static partial int MPI_Comm_size(nint comm, int* size);
    [LibraryImport(Lib)] internal static partial int MPI_Comm_set_errhandler(nint comm, nint errhandler);
    [LibraryImport(Lib)] internal static partial int MPI_Error_string(int code, byte* text, int* length);
    [LibraryImport(Lib)] internal static partial int MPI_Allreduce(void* send, void* recv, int count, nint type, nint op, nint comm);
    [LibraryImport(Lib)] internal static partial int MPI_Allgather(void* send, int sendCount, nint sendType, void* recv, int recvCount, nint recvType, nint comm);
    [LibraryImport(Lib)] internal static partial int MPI_Bcast(void* buffer, int count, nint type, int root, nint comm);
}
