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
