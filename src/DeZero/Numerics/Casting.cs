using System.Numerics;

namespace DeZero;

/// <summary>Element conversion between dtypes with NumPy's casting (truncation toward zero, bool as 0/1).</summary>
internal static class Casting
{
    public static void Into(NDArray src, NDArray dst)
    {
        switch (dst.DType)
        {
            case DType.Float64: To(src, dst.Span<double>()); break;
            case DType.Float32: To(src, dst.Span<float>()); break;
            case DType.Int64: To(src, dst.Span<long>()); break;
            case DType.Int32: To(src, dst.Span<int>()); break;
            default: ToBool(src, dst.Span<bool>()); break;
        }
    }

    static void To<T>(NDArray src, Span<T> dst) where T : unmanaged, INumber<T>
    {
        switch (src.DType)
        {
            case DType.Float64: Num(src.Span<double>(), dst); break;
            case DType.Float32: Num(src.Span<float>(), dst); break;
            case DType.Int64: Num(src.Span<long>(), dst); break;
            case DType.Int32: Num(src.Span<int>(), dst); break;
            default:
                var b = src.Span<bool>();
                for (int i = 0; i < b.Length; i++) dst[i] = b[i] ? T.One : T.Zero;
                break;
        }
    }

    static void Num<TFrom, TTo>(ReadOnlySpan<TFrom> s, Span<TTo> d)
        where TFrom : unmanaged, INumber<TFrom> where TTo : unmanaged, INumber<TTo>
    {
        if (typeof(TFrom) == typeof(TTo)) { System.Runtime.InteropServices.MemoryMarshal.Cast<TFrom, TTo>(s).CopyTo(d); return; }
        for (int i = 0; i < s.Length; i++) d[i] = TTo.CreateTruncating(s[i]);
    }

    static void ToBool(NDArray src, Span<bool> d)
    {
        if (src.DType == DType.Bool) { src.Span<bool>().CopyTo(d); return; }
        for (int i = 0; i < d.Length; i++) d[i] = src.GetFlat(i) != 0;
    }
}
