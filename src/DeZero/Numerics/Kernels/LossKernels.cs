using System.Buffers;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace DeZero.Numerics.Kernels;

/// <summary>Fused losses and loss gradients.</summary>
internal static class LossKernels
{
    /// <summary>
    /// The mean squared error Σ(x0 − x1)² / N, N the length of the first axis, as a 0-d array, without the difference
    /// and square arrays. Reference formula: the composite forward of F.MeanSquaredError (difference, square, NumPy's
    /// pairwise sum, division by N in the same dtype), whose roundings it repeats in the same order (a test compares the
    /// two). Null unless x0 and x1 share a float dtype and a shape of at least one axis.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static NDArray? MeanSquaredError(NDArray x0, NDArray x1)
    {
        if (x0.DType != x1.DType || !x0.DType.IsFloat() || x0.Ndim == 0 || !ShapeUtil.SameShape(x0.Dims, x1.Dims)) return null;
        var r = NDArray.Uninitialized(x0.DType, []);
        DTypeSwitch.Float(x0.DType, new MeanSquaredErrorOp(x0, x1, r));
        return r;
    }

    readonly struct MeanSquaredErrorOp(NDArray x0, NDArray x1, NDArray r) : IFloatOp
    {
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Invoke<T>() where T : unmanaged, IFloatingPointIeee754<T>
        {
            ReadOnlySpan<T> a = x0.Span<T>(), b = x1.Span<T>();
            int n = a.Length, i = 0;
            // The squares in a scratch row (on the stack for a small batch), summed in NumPy's order.
            T[]? rented = n * Unsafe.SizeOf<T>() <= 4096 ? null : ArrayPool<T>.Shared.Rent(n);
            Span<T> sq = rented is null ? stackalloc T[n] : rented.AsSpan(0, n);
            if (Vector.IsHardwareAccelerated)
                for (; i <= n - Vector<T>.Count; i += Vector<T>.Count)
                {
                    var d = new Vector<T>(a[i..]) - new Vector<T>(b[i..]);
                    (d * d).CopyTo(sq[i..]);
                }
            for (; i < n; i++)
            {
                T d = a[i] - b[i];
                sq[i] = d * d;
            }
            r.Span<T>()[0] = NDArray.PairwiseSum<T>(sq) / T.CreateTruncating(x0.Dims[0]);
            if (rented is not null) ArrayPool<T>.Shared.Return(rented);
        }
    }

    /// <summary>
    /// The gradients of the mean squared error in one pass: t = gy·(x0 − x1)·(2/N), g0 = t, g1 = −t, with N the
    /// length of the first axis; a null g0 or g1 is not computed. Reference formula: the composite backward of
    /// F.MeanSquaredError, which rounds in the same order (a test compares the two). x0, x1, g0 and g1 share a float
    /// dtype and shape; gy is one element.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void MeanSquaredErrorGrad(NDArray x0, NDArray x1, NDArray gy, NDArray? g0, NDArray? g1) =>
        DTypeSwitch.Float(x0.DType, new MeanSquaredErrorGradOp(x0, x1, gy, g0, g1));

    readonly struct MeanSquaredErrorGradOp(NDArray x0, NDArray x1, NDArray gy, NDArray? g0, NDArray? g1) : IFloatOp
    {
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Invoke<T>() where T : unmanaged, IFloatingPointIeee754<T>
        {
            ReadOnlySpan<T> a = x0.Span<T>(), b = x1.Span<T>();
            Span<T> d0 = g0 is null ? default : g0.Span<T>(), d1 = g1 is null ? default : g1.Span<T>();
            T s = gy.Span<T>()[0], c = T.CreateTruncating(2.0 / x0.Dims[0]);
            int i = 0;
            if (Vector.IsHardwareAccelerated)
                for (; i <= a.Length - Vector<T>.Count; i += Vector<T>.Count)
                {
                    var t = new Vector<T>(s) * (new Vector<T>(a[i..]) - new Vector<T>(b[i..])) * new Vector<T>(c);
                    if (g0 is not null) t.CopyTo(d0[i..]);
                    if (g1 is not null) (-t).CopyTo(d1[i..]);
                }
            for (; i < a.Length; i++)
            {
                T t = s * (a[i] - b[i]) * c;
                if (g0 is not null) d0[i] = t;
                if (g1 is not null) d1[i] = -t;
            }
        }
    }
}
