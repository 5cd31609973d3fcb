using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;

namespace DeZero.Numerics.Kernels;

/// <summary>
/// The sigmoid and the fused activation gradients. Each gradient kernel computes, in one pass and one result array,
/// the composite it replaces (named in its summary) with the same roundings in the same order, so its results are
/// identical to the composite's; the sigmoid is System.Numerics.Tensors' logistic function, not a composite.
/// </summary>
internal static class ActivationKernels
{
    /// <summary>
    /// 1 / (1 + e⁻ˣ) by TensorPrimitives.Sigmoid. The book computes tanh(x·0.5)·0.5 + 0.5, which never overflows in
    /// NumPy; the vectorised logistic function saturates cleanly too, is within a few ulps of it (a test compares them)
    /// and costs two thirds of a vectorised tanh.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static NDArray Sigmoid(NDArray x)
    {
        var a = x.DType.IsFloat() ? x : x.AsType(DType.Float64);
        var y = NDArray.Uninitialized(a.DType, a.Dims);
        DTypeSwitch.Float(a.DType, new SigmoidOp(a, y));
        return y;
    }

    readonly struct SigmoidOp(NDArray x, NDArray y) : IFloatOp
    {
        // TensorPrimitives.Sigmoid refuses empty spans.
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Invoke<T>() where T : unmanaged, IFloatingPointIeee754<T>
        {
            if (x.Size > 0) TensorPrimitives.Sigmoid<T>(x.Span<T>(), y.Span<T>());
        }
    }

    /// <summary>
    /// The sigmoid's gradient from its output; reference formula gy·y·(1 − y). Null when the operands need broadcasting.
    /// </summary>
    public static NDArray? SigmoidGrad(NDArray y, NDArray gy) => Fused<SigmoidGradOp>(y, gy);

    readonly struct SigmoidGradOp : IGradKernel
    {
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public static void Run<T>(ReadOnlySpan<T> y, ReadOnlySpan<T> gy, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T>
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
    }

    /// <summary>tanh's gradient from its output; reference formula gy·(1 − y·y). Null when the operands need broadcasting.</summary>
    public static NDArray? TanhGrad(NDArray y, NDArray gy) => Fused<TanhGradOp>(y, gy);

    readonly struct TanhGradOp : IGradKernel
    {
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public static void Run<T>(ReadOnlySpan<T> y, ReadOnlySpan<T> gy, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T>
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
    }

    /// <summary>ReLU's gradient; reference formula gy·(x &gt; 0). Null when the operands need broadcasting.</summary>
    public static NDArray? ReLUGrad(NDArray x, NDArray gy) => Fused<ReLUGradOp>(x, gy);

    readonly struct ReLUGradOp : IGradKernel
    {
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public static void Run<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> gy, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T>
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
    }

    interface IGradKernel
    {
        static abstract void Run<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> gy, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T>;
    }

    // Runs a kernel when both operands are float arrays of one shape and dtype (the case backprop produces).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static NDArray? Fused<TKernel>(NDArray a, NDArray gy) where TKernel : IGradKernel
    {
        if (a.DType != gy.DType || !a.DType.IsFloat() || !ShapeUtil.SameShape(a.Dims, gy.Dims)) return null;
        var d = NDArray.Uninitialized(a.DType, a.Dims);
        DTypeSwitch.Float(a.DType, new FusedOp<TKernel>(a, gy, d));
        return d;
    }

    readonly struct FusedOp<TKernel>(NDArray a, NDArray gy, NDArray d) : IFloatOp where TKernel : IGradKernel
    {
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Invoke<T>() where T : unmanaged, IFloatingPointIeee754<T> => TKernel.Run<T>(a.Span<T>(), gy.Span<T>(), d.Span<T>());
    }
}
