using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace DeZero.Numerics.Kernels;

/// <summary>
/// The sigmoid, ReLU and the fused activation gradients. Each gradient kernel computes, in one pass and one result array,
/// the composite it replaces (named in its summary) with the same roundings in the same order, so its results are
/// identical to the composite's; the sigmoid is the logistic function with the library's own vector exp, not a composite.
/// </summary>
internal static class ActivationKernels
{
    /// <summary>
    /// 1 / (1 + e⁻ˣ), the logistic function (see <see cref="Logistic{T}(ReadOnlySpan{T}, Span{T})"/>). The book computes
    /// tanh(x·0.5)·0.5 + 0.5, which never overflows in NumPy; the vectorised logistic function saturates cleanly too, is
    /// within a few ulps of it (a test compares them) and costs two thirds of a vectorised tanh.
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
    /// 1 / (1 + e⁻ˣ) for every element, with the library's own <see cref="Exp(Vector512{double})"/> on 512-bit lanes
    /// where the CPU has them (AVX-512), else on Vector&lt;T&gt; lanes; the last vector overlaps the one before, and below one
    /// vector the scalar formula runs. Float32 lanes are computed in float64 and rounded to float32, which then overflows
    /// where float32's exp does. It is the library's own so that it is JIT'd once, fully optimised: CoreLib's vector exp
    /// behind TensorPrimitives.Sigmoid is not precompiled for these types and ran as instrumented tier-0 code for the
    /// whole of a short program (a tenth of the seed workload's time). FusedKernelTests holds it within 4 ulps of
    /// TensorPrimitives. <paramref name="y"/> must not overlap <paramref name="x"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void Logistic<T>(ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = x.Length;
        if (y.Length < n) throw new ArgumentException($"ActivationKernels.Logistic: a destination of {y.Length} elements for {n}.");
        ref T xr = ref MemoryMarshal.GetReference(x), yr = ref MemoryMarshal.GetReference(y);
        if (Vector512.IsHardwareAccelerated && n >= Vector512<T>.Count)
        {
            int w = Vector512<T>.Count;
            for (int i = 0; i < n; i += w)
            {
                var at = (nuint)Math.Min(i, n - w);
                var v = Vector512.LoadUnsafe(ref xr, at);
                if (typeof(T) == typeof(double)) Logistic(v.As<T, double>()).As<double, T>().StoreUnsafe(ref yr, at);
                else
                {
                    var (low, high) = Vector512.Widen(-v.As<T, float>());
                    var e = Vector512.Narrow(Exp(low), Exp(high));
                    (Vector512<float>.One / (Vector512<float>.One + e)).As<float, T>().StoreUnsafe(ref yr, at);
                }
            }
        }
        else if (Vector.IsHardwareAccelerated && n >= Vector<T>.Count)
        {
            int w = Vector<T>.Count;
            for (int i = 0; i < n; i += w)
            {
                var at = (nuint)Math.Min(i, n - w);
                var v = Vector.LoadUnsafe(ref xr, at);
                if (typeof(T) == typeof(double)) Logistic(v.As<T, double>()).As<double, T>().StoreUnsafe(ref yr, at);
                else
                {
                    Vector.Widen(-v.As<T, float>(), out var low, out var high);
                    var e = Vector.Narrow(Exp(low), Exp(high));
                    (Vector<float>.One / (Vector<float>.One + e)).As<float, T>().StoreUnsafe(ref yr, at);
                }
            }
        }
        else
            for (int i = 0; i < n; i++) Unsafe.Add(ref yr, i) = T.One / (T.One + T.Exp(-Unsafe.Add(ref xr, i)));
    }

    static Vector512<double> Logistic(Vector512<double> x) => Vector512<double>.One / (Vector512<double>.One + Exp(-x));

    static Vector<double> Logistic(Vector<double> x) => Vector<double>.One / (Vector<double>.One + Exp(-x));

    // The exp below, in constants: ln 2 in two parts (the high part has zeros in its low bits, so n·Ln2Hi is exact),
    // 1/ln 2, and 1.5·2⁵²: added to a double of magnitude below 2⁵¹ it rounds it to an integer held in the low mantissa bits.
    const double Ln2Hi = 6.93147180369123816490e-01, Ln2Lo = 1.90821492927058770002e-10, Log2E = 1.4426950408889634, Shifter = 6755399441055744.0;

    /// <summary>
    /// eˣ in every lane: 2ⁿ·eʳ with n = round(x / ln 2) (by adding and subtracting 1.5·2⁵², which leaves n in the low bits
    /// too) and r = x − n·ln 2 (ln 2 in two parts, so r is exact), |r| ≤ ln 2 / 2; eʳ = 1 + (r + r²·q) with q the Taylor
    /// terms from 1/2! to r¹¹/13! (the rest is below 2⁻⁵⁸ there) summed in Estrin's scheme,
    /// q = (c₂ + c₃r) + r²(c₄ + c₅r) + r⁴[(c₆ + c₇r) + r²(c₈ + c₉r)] + r⁸[(c₁₀ + c₁₁r) + r²(c₁₂ + c₁₃r)], so that its
    /// multiplications do not wait on each other; 2ⁿ as two factors built in the exponent bits, so that a subnormal
    /// result is rounded once. Overflows to +∞ above 709.78, 0 below −745.13, NaN stays NaN. Reference: Math.Exp, which
    /// FusedKernelTests holds both widths to within 2 ulps of.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector512<double> Exp(Vector512<double> x)
    {
        var c = Vector512.MinNative(Vector512.MaxNative(x, Vector512.Create(-746.0)), Vector512.Create(710.0));
        var t = Vector512.FusedMultiplyAdd(c, Vector512.Create(Log2E), Vector512.Create(Shifter));
        var n = t - Vector512.Create(Shifter);
        var r = Vector512.FusedMultiplyAdd(n, Vector512.Create(-Ln2Lo), Vector512.FusedMultiplyAdd(n, Vector512.Create(-Ln2Hi), c));
        Vector512<double> r2 = r * r, r4 = r2 * r2;
        var q = Vector512.FusedMultiplyAdd(Vector512.FusedMultiplyAdd(Line(r, 1.0 / 479001600, 1.0 / 6227020800), r2, Line(r, 1.0 / 3628800, 1.0 / 39916800)), r4 * r4,
            Vector512.FusedMultiplyAdd(Vector512.FusedMultiplyAdd(Line(r, 1.0 / 40320, 1.0 / 362880), r2, Line(r, 1.0 / 720, 1.0 / 5040)), r4,
                Vector512.FusedMultiplyAdd(Line(r, 1.0 / 24, 1.0 / 120), r2, Line(r, 0.5, 1.0 / 6))));
        var p = Vector512<double>.One + Vector512.FusedMultiplyAdd(q, r2, r);
        var ni = t.AsInt64() - Vector512.Create(Shifter).AsInt64();
        var half = Vector512.ShiftRightArithmetic(ni, 1);
        var bias = Vector512.Create(1023L);
        var y = p * Vector512.ShiftLeft(half + bias, 52).AsDouble() * Vector512.ShiftLeft(ni - half + bias, 52).AsDouble();
        return Vector512.ConditionalSelect(Vector512.Equals(x, x), y, x);
    }

    /// <summary>eˣ in every lane of a Vector&lt;double&gt;: the steps of <see cref="Exp(Vector512{double})"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector<double> Exp(Vector<double> x)
    {
        var c = Vector.MinNative(Vector.MaxNative(x, new Vector<double>(-746.0)), new Vector<double>(710.0));
        var t = Vector.FusedMultiplyAdd(c, new Vector<double>(Log2E), new Vector<double>(Shifter));
        var n = t - new Vector<double>(Shifter);
        var r = Vector.FusedMultiplyAdd(n, new Vector<double>(-Ln2Lo), Vector.FusedMultiplyAdd(n, new Vector<double>(-Ln2Hi), c));
        Vector<double> r2 = r * r, r4 = r2 * r2;
        var q = Vector.FusedMultiplyAdd(Vector.FusedMultiplyAdd(Line(r, 1.0 / 479001600, 1.0 / 6227020800), r2, Line(r, 1.0 / 3628800, 1.0 / 39916800)), r4 * r4,
            Vector.FusedMultiplyAdd(Vector.FusedMultiplyAdd(Line(r, 1.0 / 40320, 1.0 / 362880), r2, Line(r, 1.0 / 720, 1.0 / 5040)), r4,
                Vector.FusedMultiplyAdd(Line(r, 1.0 / 24, 1.0 / 120), r2, Line(r, 0.5, 1.0 / 6))));
        var p = Vector<double>.One + Vector.FusedMultiplyAdd(q, r2, r);
        var ni = Vector.AsVectorInt64(t) - Vector.AsVectorInt64(new Vector<double>(Shifter));
        var half = Vector.ShiftRightArithmetic(ni, 1);
        var bias = new Vector<long>(1023);
        var y = p * Vector.AsVectorDouble(Vector.ShiftLeft(half + bias, 52)) * Vector.AsVectorDouble(Vector.ShiftLeft(ni - half + bias, 52));
        return Vector.ConditionalSelect(Vector.Equals(x, x), y, x);
    }

    // a + b·r in every lane.
    static Vector512<double> Line(Vector512<double> r, double a, double b) => Vector512.FusedMultiplyAdd(r, Vector512.Create(b), Vector512.Create(a));

    static Vector<double> Line(Vector<double> r, double a, double b) => Vector.FusedMultiplyAdd(r, new Vector<double>(b), new Vector<double>(a));

    /// <summary>
    /// The sigmoid's gradient from its output; reference formula gy·y·(1 − y). Null when the operands need broadcasting.
    /// </summary>
    public static NDArray? SigmoidGrad(NDArray y, NDArray gy, NDArray? into = null) => Fused<SigmoidGradOp>(y, gy, into);

    readonly struct SigmoidGradOp : IGradKernel
    {
        public static T Op<T>(T y, T gy) where T : unmanaged, IFloatingPointIeee754<T> => gy * y * (T.One - y);
        public static Vector<T> Op<T>(Vector<T> y, Vector<T> gy) where T : unmanaged, IFloatingPointIeee754<T> => gy * y * (Vector<T>.One - y);
    }

    /// <summary>tanh's gradient from its output; reference formula gy·(1 − y·y). Null when the operands need broadcasting.</summary>
    public static NDArray? TanhGrad(NDArray y, NDArray gy, NDArray? into = null) => Fused<TanhGradOp>(y, gy, into);

    readonly struct TanhGradOp : IGradKernel
    {
        public static T Op<T>(T y, T gy) where T : unmanaged, IFloatingPointIeee754<T> => gy * (T.One - y * y);
        public static Vector<T> Op<T>(Vector<T> y, Vector<T> gy) where T : unmanaged, IFloatingPointIeee754<T> => gy * (Vector<T>.One - y * y);
    }

    /// <summary>
    /// ReLU of a float array, max(x, 0) as NumPy's maximum and TensorPrimitives.Max give it (NaN stays NaN, −0 becomes
    /// +0), in parts on all cores for large arrays. Null for other dtypes. A <paramref name="mask"/> of
    /// <see cref="MaskBytes"/> bytes gets bit i (of byte i / 8) set where x[i] &gt; 0, so that the gradient need not read
    /// x again.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static NDArray? ReLU(NDArray x, byte[]? mask = null)
    {
        if (!x.DType.IsFloat()) return null;
        if (mask is not null && mask.Length < MaskBytes(x.Size)) throw new ArgumentException($"ActivationKernels.ReLU: a mask of {mask.Length} bytes for {x.Size} elements.");
        var y = NDArray.Uninitialized(x.DType, x.Dims);
        DTypeSwitch.Float(x.DType, new ReLUOp(x, y, mask));
        return y;
    }

    /// <summary>The bytes of a ReLU mask of <paramref name="size"/> elements.</summary>
    public static int MaskBytes(int size) => (size + 7) / 8;

    readonly struct ReLUOp(NDArray x, NDArray y, byte[]? mask) : IFloatOp
    {
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Invoke<T>() where T : unmanaged, IFloatingPointIeee754<T>
        {
            var (a, d, bits) = (x, y, mask);
            Workers.InParts(d.Size, ParallelLength, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (from, length) =>
                ReLU<T>(a.Span<T>().Slice(from, length), d.Span<T>().Slice(from, length), bits is null ? default : bits.AsSpan(from / 8, MaskBytes(length))));
        }
    }

    // y = x where x > 0 or x is NaN, else +0 (x AND'ed with that mask); bit i of bits set where x[i] > 0, when bits is
    // not empty (a byte per 8 elements; parts start at multiples of 8).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static void ReLU<T>(ReadOnlySpan<T> x, Span<T> y, Span<byte> bits) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = x.Length, i = 0;
        bool record = !bits.IsEmpty;
        if (y.Length < n || record && bits.Length < MaskBytes(n)) throw new ArgumentException($"ActivationKernels.ReLU: {y.Length} outputs and {bits.Length} mask bytes for {n} elements.");
        ref T xr = ref MemoryMarshal.GetReference(x), yr = ref MemoryMarshal.GetReference(y);
        if (Vector256.IsHardwareAccelerated)
            for (; i + 8 <= n; i += 8)
            {
                var v = Vector256.LoadUnsafe(ref xr, (nuint)i);
                var positive = Vector256.GreaterThan(v, Vector256<T>.Zero);
                (v & (positive | ~Vector256.Equals(v, v))).StoreUnsafe(ref yr, (nuint)i);
                uint b = positive.ExtractMostSignificantBits();
                if (Vector256<T>.Count == 4)
                {
                    var w = Vector256.LoadUnsafe(ref xr, (nuint)(i + 4));
                    var p = Vector256.GreaterThan(w, Vector256<T>.Zero);
                    (w & (p | ~Vector256.Equals(w, w))).StoreUnsafe(ref yr, (nuint)(i + 4));
                    b |= p.ExtractMostSignificantBits() << 4;
                }
                if (record) bits[i >> 3] = (byte)b;
            }
        for (; i < n; i += 8)
        {
            int b = 0;
            for (int j = 0; j < 8 && i + j < n; j++)
            {
                T v = x[i + j];
                y[i + j] = v > T.Zero || T.IsNaN(v) ? v : T.Zero;
                b |= (v > T.Zero ? 1 : 0) << j;
            }
            if (record) bits[i >> 3] = (byte)b;
        }
    }

    /// <summary>
    /// ReLU's gradient from the mask <see cref="ReLU"/> recorded for x: gy where x &gt; 0, else 0, in gy's dtype; the
    /// same as <see cref="ReLUGrad(NDArray, NDArray)"/> without reading x.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static NDArray ReLUGrad(byte[] mask, NDArray gy)
    {
        if (!gy.DType.IsFloat() || mask.Length < MaskBytes(gy.Size))
            throw new ArgumentException($"ActivationKernels.ReLUGrad: a float gradient and a mask for its {gy.Size} elements, got {gy.DType.Name()} and {mask.Length} bytes.");
        var d = NDArray.Uninitialized(gy.DType, gy.Dims);
        DTypeSwitch.Float(gy.DType, new MaskedOp(mask, gy, d));
        return d;
    }

    readonly struct MaskedOp(byte[] mask, NDArray gy, NDArray d) : IFloatOp
    {
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Invoke<T>() where T : unmanaged, IFloatingPointIeee754<T>
        {
            var (bits, g, r) = (mask, gy, d);
            Workers.InParts(r.Size, ParallelLength, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (from, length) =>
                Masked<T>(bits.AsSpan(from / 8, MaskBytes(length)), g.Span<T>().Slice(from, length), r.Span<T>().Slice(from, length)));
        }
    }

    // d[i] = gy[i] where bit i is set, else +0: a byte's bits broadcast to 8 lanes and tested against one bit each.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static void Masked<T>(ReadOnlySpan<byte> bits, ReadOnlySpan<T> gy, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = d.Length, i = 0;
        if (gy.Length < n || bits.Length < MaskBytes(n)) throw new ArgumentException($"ActivationKernels: operands of {gy.Length} elements and {bits.Length} mask bytes for {n}.");
        ref T gr = ref MemoryMarshal.GetReference(gy), dr = ref MemoryMarshal.GetReference(d);
        if (Vector256.IsHardwareAccelerated)
        {
            var lanes = Vector256.Create(1, 2, 4, 8, 16, 32, 64, 128);
            var low = Vector256.Create(1L, 2, 4, 8);
            var high = Vector256.Create(16L, 32, 64, 128);
            for (; i + 8 <= n; i += 8)
            {
                int b = bits[i >> 3];
                if (Vector256<T>.Count == 8)
                    (Vector256.LoadUnsafe(ref gr, (nuint)i) & Vector256.Equals(Vector256.Create(b) & lanes, lanes).As<int, T>()).StoreUnsafe(ref dr, (nuint)i);
                else
                {
                    (Vector256.LoadUnsafe(ref gr, (nuint)i) & Vector256.Equals(Vector256.Create((long)b) & low, low).As<long, T>()).StoreUnsafe(ref dr, (nuint)i);
                    (Vector256.LoadUnsafe(ref gr, (nuint)(i + 4)) & Vector256.Equals(Vector256.Create((long)b) & high, high).As<long, T>()).StoreUnsafe(ref dr, (nuint)(i + 4));
                }
            }
        }
        for (; i < n; i++) d[i] = (bits[i >> 3] >> (i & 7) & 1) != 0 ? gy[i] : T.Zero;
    }

    // Elementwise loops over at least this many elements run in parts on all cores (Workers.InParts): one core does not
    // keep the memory bus busy, and the other cores wait idle between the products of a training step anyway.
    const int ParallelLength = 1 << 17;

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
    static NDArray? Fused<TKernel>(NDArray a, NDArray gy, NDArray? into = null) where TKernel : IGradKernel
    {
        if (a.DType != gy.DType || !a.DType.IsFloat() || !ShapeUtil.SameShape(a.Dims, gy.Dims)) return null;
        var d = into ?? NDArray.Uninitialized(a.DType, a.Dims);
        DTypeSwitch.Float(a.DType, new FusedOp<TKernel>(a, gy, d));
        return d;
    }

    readonly struct FusedOp<TKernel>(NDArray a, NDArray gy, NDArray d) : IFloatOp where TKernel : IGradKernel
    {
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Invoke<T>() where T : unmanaged, IFloatingPointIeee754<T>
        {
            var (x, g, r) = (a, gy, d);
            Workers.InParts(r.Size, ParallelLength, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (from, length) =>
                Run<T, TKernel>(x.Span<T>().Slice(from, length), g.Span<T>().Slice(from, length), r.Span<T>().Slice(from, length)));
        }
    }

    // d = op(a, gy) element by element; d is a new array or one of the operands (in place), never a part of one.
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
            // The last vector ends at n, overlapping the one before instead of a scalar tail; it is computed first, so
            // that in place it reads the operands as they were.
            var last = (nuint)(n - Vector<T>.Count);
            var tail = TKernel.Op(Vector.LoadUnsafe(ref ar, last), Vector.LoadUnsafe(ref gr, last));
            for (; i < n - Vector<T>.Count; i += Vector<T>.Count)
                TKernel.Op(Vector.LoadUnsafe(ref ar, (nuint)i), Vector.LoadUnsafe(ref gr, (nuint)i)).StoreUnsafe(ref dr, (nuint)i);
            tail.StoreUnsafe(ref dr, last);
            return;
        }
        for (; i < n; i++) Unsafe.Add(ref dr, i) = TKernel.Op(Unsafe.Add(ref ar, i), Unsafe.Add(ref gr, i));
    }
}
