using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using DeZero.Numerics.Kernels;

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
        if (dst.DType == DType.Bool) DTypeSwitch.Number(src.DType, new ToBool(src, dst));
        else DTypeSwitch.Number(dst.DType, new To(src, dst));
    }

    readonly struct To(NDArray src, NDArray dst) : INumberOp
    {
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Invoke<TTo>() where TTo : unmanaged, INumber<TTo>, IMinMaxValue<TTo>
        {
            // A bool is stored as the byte 0 or 1.
            if (src.DType == DType.Bool) TensorPrimitives.ConvertTruncating<byte, TTo>(MemoryMarshal.Cast<bool, byte>(src.Span<bool>()), dst.Span<TTo>());
            else DTypeSwitch.Number(src.DType, new From<TTo>(src, dst));
        }
    }

    readonly struct From<TTo>(NDArray src, NDArray dst) : INumberOp where TTo : unmanaged, INumber<TTo>
    {
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Invoke<T>() where T : unmanaged, INumber<T>, IMinMaxValue<T> => TensorPrimitives.ConvertTruncating<T, TTo>(src.Span<T>(), dst.Span<TTo>());
    }

    readonly struct ToBool(NDArray src, NDArray dst) : INumberOp
    {
        public void Invoke<T>() where T : unmanaged, INumber<T>, IMinMaxValue<T> => ElementKernels.NonZero<T>(src.Span<T>(), dst.Span<bool>());
    }
}
