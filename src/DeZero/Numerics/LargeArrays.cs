namespace DeZero;

/// <summary>
/// Keeps the dead large arrays of a program from piling up. The GC lets the large-object heap grow by several times
/// the size that survived the last full collection before it collects again, so a program that holds a dataset of a
/// few hundred MB lets gigabytes of dead activations, gradients and results accumulate. Once the large arrays made
/// since the last full collection exceed half the heap it left (and at least <see cref="MinBudget"/>), this asks for a
/// background full collection, so the peak stays within about 1.5 times the live data. Arrays of primitives hold no
/// references, so such a collection has little to mark.
/// </summary>
internal static class LargeArrays
{
    /// <summary>Arrays of at least this many bytes live on the large-object heap and are counted.</summary>
    public const int MinBytes = 85_000;

    /// <summary>The smallest allocation budget between collections, so small programs are left to the GC.</summary>
    public const long MinBudget = 64L << 20;

    static long s_bytes;
    static int s_fullCollections;

    /// <summary>Counts a newly allocated array and returns it.</summary>
    public static Array Track(Array array)
    {
        long bytes = Buffer.ByteLength(array);
        if (bytes >= MinBytes) Allocated(bytes);
        return array;
    }

    static void Allocated(long bytes)
    {
        int full = GC.CollectionCount(2);
        if (full != Volatile.Read(ref s_fullCollections))
        {
            Volatile.Write(ref s_fullCollections, full);
            Interlocked.Exchange(ref s_bytes, 0);
        }
        long total = Interlocked.Add(ref s_bytes, bytes);
        if (total < MinBudget || total < GC.GetGCMemoryInfo().HeapSizeBytes / 2) return;
        Interlocked.Exchange(ref s_bytes, 0);
        GC.Collect(2, GCCollectionMode.Forced, blocking: false);
    }
}
