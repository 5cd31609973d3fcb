using System.Diagnostics;
using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace DeZero;

/// <summary>Element conversion between dtypes with NumPy's casting (truncation toward zero, bool as 0/1, nonzero as true).</summary>
internal static class Casting
{
    /// <summary>Converts every element of <paramref name="src"/> into <paramref name="dst"/>, which has the same size.</summary>
    public static void Into(NDArray src, NDArray dst)
    {
        if (src.DType == dst.DType)
        {
            Array.Copy(src.Buffer, dst.Buffer, src.Size);
            return;
        }
        switch (dst.DType)
        {
            case DType.Float64: To(src, dst.Span<double>()); break;
            case DType.Float32: To(src, dst.Span<float>()); break;
            case DType.Int64: To(src, dst.Span<long>()); break;
            case DType.Int32: To(src, dst.Span<int>()); break;
            default: ToBool(src, dst.Span<bool>()); break;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static void To<T>(NDArray src, Span<T> dst) where T : unmanaged, INumber<T>
    {
        switch (src.DType)
        {
            case DType.Float64: TensorPrimitives.ConvertTruncating<double, T>(src.Span<double>(), dst); break;
            case DType.Float32: TensorPrimitives.ConvertTruncating<float, T>(src.Span<float>(), dst); break;
            case DType.Int64: TensorPrimitives.ConvertTruncating<long, T>(src.Span<long>(), dst); break;
            case DType.Int32: TensorPrimitives.ConvertTruncating<int, T>(src.Span<int>(), dst); break;
            // A bool is stored as the byte 0 or 1.
            default: TensorPrimitives.ConvertTruncating<byte, T>(MemoryMarshal.Cast<bool, byte>(src.Span<bool>()), dst); break;
        }
    }

    static void ToBool(NDArray src, Span<bool> d)
    {
        switch (src.DType)
        {
            case DType.Float64: NonZero<double>(src.Span<double>(), d); break;
            case DType.Float32: NonZero<float>(src.Span<float>(), d); break;
            case DType.Int64: NonZero<long>(src.Span<long>(), d); break;
            case DType.Int32: NonZero<int>(src.Span<int>(), d); break;
            default: throw new UnreachableException();
        }
    }

    // NaN is true, ±0 false, like Python's bool().
    static void NonZero<T>(ReadOnlySpan<T> s, Span<bool> d) where T : INumber<T>
    {
        for (int i = 0; i < s.Length; i++) d[i] = s[i] != T.Zero;
    }
}
