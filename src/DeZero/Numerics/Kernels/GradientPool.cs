namespace DeZero;

/// <summary>
/// Recycles the buffers of large intermediate gradients within the training loop. A fresh large array costs a page
/// fault per 4 KB (the GC resets the memory of large objects it frees), so the backward pass hands the buffers of
/// gradients it has finished with to the next allocations of the same size, typically the next forward pass.
/// </summary>
/// <remarks>
/// Only a buffer nobody else can reach is returned: one made during the running backward pass (without
/// createGraph), never shared by a view, held as a gradient by library functions' results only, and dropped by the
/// engine from every variable that held it (see <see cref="Variable.Backward"/>).
/// </remarks>
internal static class GradientPool
{
    /// <summary>Arrays of at least this many elements (256 KB of float) are pooled.</summary>
    public const int MinSize = 1 << 16;

    const long MaxBytes = 64L << 20;
    static readonly Dictionary<(DType, int), Stack<Array>> s_free = [];
    static long s_bytes;

    /// <summary>A buffer of exactly <paramref name="size"/> elements of <paramref name="dtype"/>, uninitialised.</summary>
    public static Array Rent(DType dtype, int size)
    {
        lock (s_free)
            if (s_free.TryGetValue((dtype, size), out var stack) && stack.Count > 0)
            {
                s_bytes -= Bytes(dtype, size);
                return stack.Pop();
            }
        return LargeArrays.Track(dtype == DType.Float32 ? GC.AllocateUninitializedArray<float>(size) : GC.AllocateUninitializedArray<double>(size));
    }

    /// <summary>Takes back the buffer of an array nobody can reach any more.</summary>
    public static void Return(NDArray a)
    {
        if (a.Buffer.Length != a.Size) return;
        long bytes = Bytes(a.DType, a.Size);
        lock (s_free)
        {
            if (s_bytes + bytes > MaxBytes) return;
            if (!s_free.TryGetValue((a.DType, a.Size), out var stack)) s_free[(a.DType, a.Size)] = stack = new Stack<Array>();
            stack.Push(a.Buffer);
            s_bytes += bytes;
        }
    }

    /// <summary>Bytes held for reuse (for tests).</summary>
    internal static long PooledBytes
    {
        get { lock (s_free) return s_bytes; }
    }

    static long Bytes(DType dtype, int size) => (long)size * (dtype == DType.Float32 ? 4 : 8);
}
