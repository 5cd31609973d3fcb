using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace DeZero.Numerics.Kernels;

/// <summary>
/// Scaling of one row. Rows of at least <see cref="Short"/> elements go to TensorPrimitives; shorter ones take
/// Vector&lt;T&gt; loops, where a library call per row would cost more than the arithmetic (the book's 1-10-1
/// network works on rows of 1 to 100 elements).
/// </summary>
internal static class Rows
{
    public const int Short = 64;

    /// <summary>d = s·x, or d += s·x when accumulating (multiply then add, never fused, like TensorPrimitives).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Scale<T>(ReadOnlySpan<T> x, T s, Span<T> d, bool accumulate) where T : unmanaged, INumber<T>
    {
        int n = x.Length, i = 0;
        if (n >= Short)
        {
            if (accumulate) TensorPrimitives.MultiplyAdd(x, s, d, d);
            else TensorPrimitives.Multiply(x, s, d);
            return;
        }
        if (d.Length < n) ThrowShort();
        // Unchecked loads and stores: both rows hold n elements (checked above).
        ref T xr = ref MemoryMarshal.GetReference(x), dr = ref MemoryMarshal.GetReference(d);
        if (Vector.IsHardwareAccelerated && Vector<T>.IsSupported)
        {
            var vs = new Vector<T>(s);
            for (; i <= n - Vector<T>.Count; i += Vector<T>.Count)
            {
                var v = Vector.LoadUnsafe(ref xr, (nuint)i) * vs;
                (accumulate ? v + Vector.LoadUnsafe(ref dr, (nuint)i) : v).StoreUnsafe(ref dr, (nuint)i);
            }
        }
        for (; i < n; i++)
        {
            T v = Unsafe.Add(ref xr, i) * s;
            Unsafe.Add(ref dr, i) = accumulate ? Unsafe.Add(ref dr, i) + v : v;
        }
    }

    static void ThrowShort() => throw new ArgumentException("Rows.Scale: the destination is shorter than the row.");
}
