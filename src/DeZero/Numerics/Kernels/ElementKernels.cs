using System.Numerics;
using System.Runtime.CompilerServices;

namespace DeZero.Numerics.Kernels;

/// <summary>Elementwise loops that System.Numerics.Tensors does not have.</summary>
internal static class ElementKernels
{
    /// <summary>d = s ≠ 0, so NaN is true and ±0 false, like Python's <c>bool()</c>.</summary>
    public static void NonZero<T>(ReadOnlySpan<T> s, Span<bool> d) where T : INumber<T>
    {
        for (int i = 0; i < s.Length; i++) d[i] = s[i] != T.Zero;
    }

    // Elements from which an update is split over the cores: a large parameter (an MLP's 784×1000 weight) streams from
    // beyond the L2 cache, and one core alone reaches only part of the memory bandwidth.
    const int ParallelLength = 1 << 18;

    /// <summary>
    /// p[..length] −= alpha·x[..length] as <see cref="SubtractScaled{T}(Span{T}, T, ReadOnlySpan{T})"/>, in parts on all
    /// cores when long (each element is computed the same way, so the result does not depend on the split).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void SubtractScaled<T>(T[] p, T alpha, T[] x, int length) where T : unmanaged, INumber<T> =>
        Workers.InParts(length, ParallelLength, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (from, n) =>
            SubtractScaled(p.AsSpan(from, n), alpha, x.AsSpan(from, n)));

    /// <summary>
    /// p −= alpha·x in one pass. Reference formula: NumPy's <c>p -= alpha * x</c>, i.e. the product is rounded
    /// first and then subtracted, exactly as here (a test compares the two bit for bit).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void SubtractScaled<T>(Span<T> p, T alpha, ReadOnlySpan<T> x) where T : unmanaged, INumber<T>
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var a = new Vector<T>(alpha);
            for (; i <= p.Length - Vector<T>.Count; i += Vector<T>.Count)
            {
                var t = new Vector<T>(x[i..]) * a; // rounded like NumPy's temporary alpha * x
                (new Vector<T>(p[i..]) - t).CopyTo(p[i..]);
            }
        }
        for (; i < p.Length; i++) p[i] -= x[i] * alpha;
    }
}
