using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace DeZero.Numerics.Kernels;

/// <summary>
/// Scaling of one row. Rows of at least <see cref="Long"/> elements go to TensorPrimitives, whose aligned loops stream
/// them faster; shorter ones take a Vector&lt;T&gt; loop inlined into the caller, where a library call per row would
/// cost more than the arithmetic (the book's networks work on rows of 1 to 100 elements) and TensorPrimitives' generic
/// loops run as tier-0 code in their first calls.
/// </summary>
internal static class Rows
{
    /// <summary>Rows shorter than this are summed in scalars, four at a time, by the direct GEMM loops.</summary>
    public const int Short = 64;

    /// <summary>Rows at least this long are scaled by TensorPrimitives.</summary>
    public const int Long = 1024;

    /// <summary>d = s·x, or d += s·x when accumulating (multiply then add, never fused, like TensorPrimitives).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Scale<T>(ReadOnlySpan<T> x, T s, Span<T> d, bool accumulate) where T : unmanaged, INumber<T>
    {
        int n = x.Length, i = 0;
        if (n >= Long)
        {
            if (accumulate) TensorPrimitives.MultiplyAdd(x, s, d, d);
            else TensorPrimitives.Multiply(x, s, d);
            return;
        }
        if (d.Length < n) ThrowShort();
        // Unchecked loads and stores: both rows hold n elements (checked above).
        ref T xr = ref MemoryMarshal.GetReference(x), dr = ref MemoryMarshal.GetReference(d);
        if (Vector.IsHardwareAccelerated && Vector<T>.IsSupported && n >= Vector<T>.Count)
        {
            // The last vector ends at n, overlapping the one before (no scalar tail on a row of 10): it is computed from
            // d as it was, so an element both cover gets the same value twice.
            var vs = new Vector<T>(s);
            nuint last = (nuint)(n - Vector<T>.Count);
            var tail = Vector.LoadUnsafe(ref xr, last) * vs;
            if (accumulate) tail += Vector.LoadUnsafe(ref dr, last);
            for (; i < n - Vector<T>.Count; i += Vector<T>.Count)
            {
                var v = Vector.LoadUnsafe(ref xr, (nuint)i) * vs;
                (accumulate ? v + Vector.LoadUnsafe(ref dr, (nuint)i) : v).StoreUnsafe(ref dr, (nuint)i);
            }
            tail.StoreUnsafe(ref dr, last);
            return;
        }
        for (; i < n; i++)
        {
            T v = Unsafe.Add(ref xr, i) * s;
            Unsafe.Add(ref dr, i) = accumulate ? Unsafe.Add(ref dr, i) + v : v;
        }
    }

    static void ThrowShort() => throw new ArgumentException("Rows.Scale: the destination is shorter than the row.");
}
