using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace DeZero.Numerics.Kernels;

/// <summary>
/// The sigmoid and the fused activation gradients. Each gradient kernel computes, in one pass and one result array,
/// the composite it replaces (named in its summary) with the same roundings in the same order, so its results are
/// identical to the composite's; the sigmoid is System.Numerics.Tensors' logistic function, not a composite.
/// </summary>
internal static class ActivationKernels
{
    /// <summary>
    /// 1 / (1 + e⁻ˣ), TensorPrimitives.Sigmoid's logistic function (see <see cref="Logistic{T}(ReadOnlySpan{T}, Span{T})"/>).
    /// The book computes tanh(x·0.5)·0.5 + 0.5, which never overflows in NumPy; the vectorised logistic function saturates cleanly too, is within a few ulps of it (a test compares them)
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
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Invoke<T>() where T : unmanaged, IFloatingPointIeee754<T> => Logistic(x.Span<T>(), y.Span<T>());
    }

    /// <summary>
    /// TensorPrimitives.Sigmoid's computation, here so that it is JIT'd once, fully optimised, instead of starting as
    /// tier-0 code (see <see cref="Lanes{T, TOp}"/>): 1 / (1 + Exp(−x)) lane by lane with the widest vector the length
    /// allows (the last vector overlapping the one before), and the scalar formula below one 128-bit vector. Its
    /// results are TensorPrimitives' bit for bit; FusedKernelTests compares them. <paramref name="y"/> must not
    /// overlap <paramref name="x"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void Logistic<T>(ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = x.Length;
        if (y.Length < n) throw new ArgumentException($"ActivationKernels.Logistic: a destination of {y.Length} elements for {n}.");
        ref T xr = ref MemoryMarshal.GetReference(x), yr = ref MemoryMarshal.GetReference(y);
        if (Vector512.IsHardwareAccelerated && n >= Vector512<T>.Count)
            for (int i = 0, w = Vector512<T>.Count; i < n; i += w)
            {
                var at = (nuint)Math.Min(i, n - w);
                Logistic(Vector512.LoadUnsafe(ref xr, at)).StoreUnsafe(ref yr, at);
            }
        else if (Vector256.IsHardwareAccelerated && n >= Vector256<T>.Count)
            for (int i = 0, w = Vector256<T>.Count; i < n; i += w)
            {
                var at = (nuint)Math.Min(i, n - w);
                Logistic(Vector256.LoadUnsafe(ref xr, at)).StoreUnsafe(ref yr, at);
            }
        else if (Vector128.IsHardwareAccelerated && n >= Vector128<T>.Count)
            for (int i = 0, w = Vector128<T>.Count; i < n; i += w)
            {
                var at = (nuint)Math.Min(i, n - w);
                Logistic(Vector128.LoadUnsafe(ref xr, at)).StoreUnsafe(ref yr, at);
            }
        else
            for (int i = 0; i < n; i++) Unsafe.Add(ref yr, i) = T.One / (T.One + T.Exp(-Unsafe.Add(ref xr, i)));
    }

    static Vector512<T> Logistic<T>(Vector512<T> x) => typeof(T) == typeof(double)
        ? (Vector512<double>.One / (Vector512<double>.One + Vector512.Exp(-x.AsDouble()))).As<double, T>()
        : (Vector512<float>.One / (Vector512<float>.One + Vector512.Exp(-x.AsSingle()))).As<float, T>();

    static Vector256<T> Logistic<T>(Vector256<T> x) => typeof(T) == typeof(double)
        ? (Vector256<double>.One / (Vector256<double>.One + Vector256.Exp(-x.AsDouble()))).As<double, T>()
        : (Vector256<float>.One / (Vector256<float>.One + Vector256.Exp(-x.AsSingle()))).As<float, T>();

    static Vector128<T> Logistic<T>(Vector128<T> x) => typeof(T) == typeof(double)
        ? (Vector128<double>.One / (Vector128<double>.One + Vector128.Exp(-x.AsDouble()))).As<double, T>()
        : (Vector128<float>.One / (Vector128<float>.One + Vector128.Exp(-x.AsSingle()))).As<float, T>();

    /// <summary>
    /// The sigmoid's gradient from its output; reference formula gy·y·(1 − y). Null when the operands need broadcasting.
    /// </summary>
    public static NDArray? SigmoidGrad(NDArray y, NDArray gy) => Fused<SigmoidGradOp>(y, gy);

    readonly struct SigmoidGradOp : IGradKernel
    {
        public static T Op<T>(T y, T gy) where T : unmanaged, IFloatingPointIeee754<T> => gy * y * (T.One - y);
        public static Vector<T> Op<T>(Vector<T> y, Vector<T> gy) where T : unmanaged, IFloatingPointIeee754<T> => gy * y * (Vector<T>.One - y);
    }

    /// <summary>tanh's gradient from its output; reference formula gy·(1 − y·y). Null when the operands need broadcasting.</summary>
    public static NDArray? TanhGrad(NDArray y, NDArray gy) => Fused<TanhGradOp>(y, gy);

    readonly struct TanhGradOp : IGradKernel
    {
        public static T Op<T>(T y, T gy) where T : unmanaged, IFloatingPointIeee754<T> => gy * (T.One - y * y);
        public static Vector<T> Op<T>(Vector<T> y, Vector<T> gy) where T : unmanaged, IFloatingPointIeee754<T> => gy * (Vector<T>.One - y * y);
    }

    /// <summary>ReLU's gradient; reference formula gy·(x &gt; 0). Null when the operands need broadcasting.</summary>
    public static NDArray? ReLUGrad(NDArray x, NDArray gy) => Fused<ReLUGradOp>(x, gy);

    readonly struct ReLUGradOp : IGradKernel
    {
        public static T Op<T>(T x, T gy) where T : unmanaged, IFloatingPointIeee754<T> => x > T.Zero ? gy : T.Zero;
        public static Vector<T> Op<T>(Vector<T> x, Vector<T> gy) where T : unmanaged, IFloatingPointIeee754<T> =>
            Vector.ConditionalSelect(Vector.GreaterThan(x, Vector<T>.Zero), gy, Vector<T>.Zero);
    }

    // A gradient formula of an operand and gy, on one element and on Vector<T> lanes, which round alike.
    interface IGradKernel
    {
        static abstract T Op<T>(T a, T gy) where T : unmanaged, IFloatingPointIeee754<T>;
        static abstract Vector<T> Op<T>(Vector<T> a, Vector<T> gy) where T : unmanaged, IFloatingPointIeee754<T>;
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
        public void Invoke<T>() where T : unmanaged, IFloatingPointIeee754<T> => Run<T, TKernel>(a.Span<T>(), gy.Span<T>(), d.Span<T>());
    }

    // d = op(a, gy) element by element; d is a new array, overlapping neither operand.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static void Run<T, TKernel>(ReadOnlySpan<T> a, ReadOnlySpan<T> gy, Span<T> d)
        where T : unmanaged, IFloatingPointIeee754<T> where TKernel : IGradKernel
    {
        int n = d.Length, i = 0;
        if (a.Length < n || gy.Length < n) throw new ArgumentException($"ActivationKernels: operands of {a.Length} and {gy.Length} elements for {n}.");
        // Unchecked loads and stores: the three hold n elements (checked above).
        ref T ar = ref MemoryMarshal.GetReference(a), gr = ref MemoryMarshal.GetReference(gy), dr = ref MemoryMarshal.GetReference(d);
        if (Vector.IsHardwareAccelerated && n >= Vector<T>.Count)
        {
            // The last vector ends at n, overlapping the one before instead of a scalar tail.
            for (; i < n - Vector<T>.Count; i += Vector<T>.Count)
                TKernel.Op(Vector.LoadUnsafe(ref ar, (nuint)i), Vector.LoadUnsafe(ref gr, (nuint)i)).StoreUnsafe(ref dr, (nuint)i);
            var last = (nuint)(n - Vector<T>.Count);
            TKernel.Op(Vector.LoadUnsafe(ref ar, last), Vector.LoadUnsafe(ref gr, last)).StoreUnsafe(ref dr, last);
            return;
        }
        for (; i < n; i++) Unsafe.Add(ref dr, i) = TKernel.Op(Unsafe.Add(ref ar, i), Unsafe.Add(ref gr, i));
    }
}
