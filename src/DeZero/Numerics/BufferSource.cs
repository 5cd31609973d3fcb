using System.Runtime.CompilerServices;

namespace DeZero;

/// <summary>
/// Where operations take the buffer of a float result they are about to overwrite whole. Without an installed
/// source they allocate a new array; a layer above may install one that hands out buffers it got back (the autograd
/// engine's gradient memory does). Numerics only asks; it never decides when a buffer is free.
/// </summary>
internal abstract class BufferSource
{
    /// <summary>The source in use, or null for plain allocation.</summary>
    internal static volatile BufferSource? Installed;

    /// <summary>Results of at least this many elements ask the source; smaller ones are allocated.</summary>
    internal abstract int MinSize { get; }

    /// <summary>A buffer of exactly <paramref name="size"/> elements of <paramref name="dtype"/> (Float32 or Float64), contents unspecified.</summary>
    internal abstract Array Rent(DType dtype, int size);

    /// <summary>A new float32 or float64 buffer, contents unspecified.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static Array Allocate(DType dtype, int size)
    {
        LargeArrays.Allocating(dtype, size);
        // Below the large-object heap's threshold a buffer is a plain allocation: the GC clears it as part of the memory it
        // hands out, which then sits in the cache, and the kernel's writes hit it there. GC.AllocateUninitializedArray
        // takes the runtime's slower path and leaves the first writes to the kernel, on memory the GC has not touched
        // lately (the seed network's step took 12.4 µs with its 8 KB buffers uninitialised, 9.9 µs with them cleared).
        // Large arrays skip the clearing pass.
        bool small = (long)size * dtype.ItemSize() < 85_000;
        if (dtype == DType.Float32) return small ? new float[size] : GC.AllocateUninitializedArray<float>(size);
        return small ? new double[size] : GC.AllocateUninitializedArray<double>(size);
    }
}
