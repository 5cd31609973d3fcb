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

    /// <summary>A new uninitialised float32 or float64 buffer.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static Array Allocate(DType dtype, int size)
    {
        LargeArrays.Allocating(dtype, size);
        // GC.AllocateUninitializedArray zeroes arrays under 2 KB anyway, through a generic method the runtime first runs
        // as tier-0 code: those are plain allocations.
        bool small = size < 2048 / dtype.ItemSize();
        if (dtype == DType.Float32) return small ? new float[size] : GC.AllocateUninitializedArray<float>(size);
        return small ? new double[size] : GC.AllocateUninitializedArray<double>(size);
    }
}
