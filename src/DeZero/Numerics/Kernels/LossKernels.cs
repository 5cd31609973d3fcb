using System.Numerics;
using System.Runtime.CompilerServices;

namespace DeZero.Numerics.Kernels;

/// <summary>Fused loss gradients.</summary>
internal static class LossKernels
{
    /// <summary>
    /// Both gradients of the mean squared error in one pass: t = gy·(x0 − x1)·(2/N), g0 = t, g1 = −t, with N the
    /// length of the first axis. Reference formula: the composite backward of F.MeanSquaredError, which rounds in the
    /// same order (a test compares the two). x0, x1, g0 and g1 share a float dtype and shape; gy is one element.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void MeanSquaredErrorGrad(NDArray x0, NDArray x1, NDArray gy, NDArray g0, NDArray g1) =>
        DTypeSwitch.Float(x0.DType, new MeanSquaredErrorGradOp(x0, x1, gy, g0, g1));

    readonly struct MeanSquaredErrorGradOp(NDArray x0, NDArray x1, NDArray gy, NDArray g0, NDArray g1) : IFloatOp
    {
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Invoke<T>() where T : unmanaged, IFloatingPointIeee754<T>
        {
            ReadOnlySpan<T> a = x0.Span<T>(), b = x1.Span<T>();
            Span<T> d0 = g0.Span<T>(), d1 = g1.Span<T>();
            T s = gy.Span<T>()[0], c = T.CreateTruncating(2.0 / x0.Dims[0]);
            int i = 0;
            if (Vector.IsHardwareAccelerated)
                for (; i <= a.Length - Vector<T>.Count; i += Vector<T>.Count)
                {
                    var t = new Vector<T>(s) * (new Vector<T>(a[i..]) - new Vector<T>(b[i..])) * new Vector<T>(c);
                    t.CopyTo(d0[i..]);
                    (-t).CopyTo(d1[i..]);
                }
            for (; i < a.Length; i++)
            {
                T t = s * (a[i] - b[i]) * c;
                d0[i] = t;
                d1[i] = -t;
            }
        }
    }
}
