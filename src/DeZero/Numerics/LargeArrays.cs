using System.Runtime.CompilerServices;

namespace DeZero;

/// <summary>
/// Keeps the dead large arrays of a program from piling up. The GC lets the large-object heap grow by several times
/// the size that survived the last full collection before it collects again, so a program that holds a dataset of a
/// few hundred MB lets gigabytes of dead activations, gradients and results accumulate. Before an allocation that
/// brings the large arrays made since the last full collection over an eighth of the heap it left (and at least
/// <see cref="MinBudget"/>), this runs a full collection, so the new array can take the place of dead ones and the dead
/// large arrays never add more than an eighth (or 64 MB) to the heap.
/// </summary>
/// <remarks>
/// The collection blocks: a background one lets the program allocate while it marks, and on a busy machine, where its
/// thread waits for a core, the garbage kept growing (a GAN on Fashion-MNIST crept from 0.9 to 1.08 GB in ten
/// minutes). Arrays of primitives hold no references, so a full collection marks only the small objects (graph nodes,
/// layers) and its pause is short.
/// </remarks>
internal static class LargeArrays
{
    /// <summary>Arrays of at least this many bytes live on the large-object heap and are counted.</summary>
    public const int MinBytes = 85_000;

    /// <summary>The smallest allocation budget between collections, so small programs are left to the GC.</summary>
    public const long MinBudget = 64L << 20;

    static long s_bytes;
    static int s_fullCollections;

    /// <summary>Counts an array of <paramref name="size"/> elements of <paramref name="dtype"/> about to be allocated.</summary>
    public static void Allocating(DType dtype, int size) => Allocating((long)size * dtype.ItemSize());

    /// <summary>Counts an allocation of <paramref name="bytes"/> about to be made.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Allocating(long bytes)
    {
        if (bytes < MinBytes) return;
        int full = GC.CollectionCount(2);
        if (full != Volatile.Read(ref s_fullCollections))
        {
            Volatile.Write(ref s_fullCollections, full);
            Interlocked.Exchange(ref s_bytes, 0);
        }
        long total = Interlocked.Add(ref s_bytes, bytes);
        if (total < MinBudget || total < GC.GetGCMemoryInfo().HeapSizeBytes / 8) return;
        Interlocked.Exchange(ref s_bytes, 0);
        GC.Collect(2, GCCollectionMode.Forced, blocking: true);
    }
}
