using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;

namespace DeZero;

/// <summary>
/// Fused activation kernels: one pass and one result array where the composite would make several. Each
/// performs the same roundings in the same order as the composite it replaces, so results are unchanged.
/// </summary>
internal static class ActivationKernels
{
    /// <summary>
    /// 1 / (1 + e⁻ˣ). The book computes tanh(x·0.5)·0.5 + 0.5, which never overflows in NumPy; the vectorised logistic
    /// function saturates cleanly too, is within a few ulps of it and costs two thirds of a vectorised tanh.
    /// </summary>
    public static NDArray Sigmoid(NDArray x)
    {
        var a = x.DType.IsFloat() ? x : x.AsType(DType.Float64);
        var y = NDArray.Uninitialized(a.DType, a.Dims);
        if (a.DType == DType.Float64) TensorPrimitives.Sigmoid(a.Span<double>(), y.Span<double>());
        else TensorPrimitives.Sigmoid(a.Span<float>(), y.Span<float>());
        return y;
    }

    /// <summary>gy·y·(1 − y), the sigmoid's gradient from its output; null when the operands need broadcasting.</summary>
    public static NDArray? SigmoidGrad(NDArray y, NDArray gy) => Fused(y, gy, static (y, g, d) => SigmoidGrad<double>(y, g, d), static (y, g, d) => SigmoidGrad<float>(y, g, d));

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static void SigmoidGrad<T>(ReadOnlySpan<T> y, ReadOnlySpan<T> gy, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated)
            for (var one = Vector<T>.One; i <= d.Length - Vector<T>.Count; i += Vector<T>.Count)
            {
                var yv = new Vector<T>(y[i..]);
                (new Vector<T>(gy[i..]) * yv * (one - yv)).CopyTo(d[i..]);
            }
        for (; i < d.Length; i++) d[i] = gy[i] * y[i] * (T.One - y[i]);
    }

    /// <summary>gy·(1 − y·y), tanh's gradient from its output; null when the operands need broadcasting.</summary>
    public static NDArray? TanhGrad(NDArray y, NDArray gy) => Fused(y, gy, static (y, g, d) => TanhGrad<double>(y, g, d), static (y, g, d) => TanhGrad<float>(y, g, d));

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static void TanhGrad<T>(ReadOnlySpan<T> y, ReadOnlySpan<T> gy, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated)
            for (var one = Vector<T>.One; i <= d.Length - Vector<T>.Count; i += Vector<T>.Count)
            {
                var yv = new Vector<T>(y[i..]);
                (new Vector<T>(gy[i..]) * (one - yv * yv)).CopyTo(d[i..]);
            }
        for (; i < d.Length; i++) d[i] = gy[i] * (T.One - y[i] * y[i]);
    }

    /// <summary>gy where x &gt; 0, else 0: ReLU's gradient; null when the operands need broadcasting.</summary>
    public static NDArray? ReLUGrad(NDArray x, NDArray gy) => Fused(x, gy, static (x, g, d) => ReLUGrad<double>(x, g, d), static (x, g, d) => ReLUGrad<float>(x, g, d));

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static void ReLUGrad<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> gy, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated)
            for (; i <= d.Length - Vector<T>.Count; i += Vector<T>.Count)
            {
                var positive = Vector.GreaterThan(new Vector<T>(x[i..]), Vector<T>.Zero);
                Vector.ConditionalSelect(positive, new Vector<T>(gy[i..]), Vector<T>.Zero).CopyTo(d[i..]);
            }
        for (; i < d.Length; i++) d[i] = x[i] > T.Zero ? gy[i] : T.Zero;
    }

    delegate void Kernel<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> gy, Span<T> d);

    // Runs a kernel when both operands are float arrays of one shape and dtype (the case backprop produces).
    static NDArray? Fused(NDArray a, NDArray gy, Kernel<double> f64, Kernel<float> f32)
    {
        if (a.DType != gy.DType || !a.DType.IsFloat() || !ShapeUtil.SameShape(a.Dims, gy.Dims)) return null;
        var d = NDArray.Uninitialized(a.DType, a.Dims);
        if (a.DType == DType.Float64) f64(a.Span<double>(), gy.Span<double>(), d.Span<double>());
        else f32(a.Span<float>(), gy.Span<float>(), d.Span<float>());
        return d;
    }
}
