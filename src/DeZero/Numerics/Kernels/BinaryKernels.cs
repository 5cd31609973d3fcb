using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace DeZero.Numerics.Kernels;

/// <summary>A binary operation with SIMD span forms: vector-vector, vector-scalar and scalar-vector.</summary>
internal interface ISpanOp<T>
{
    static abstract void VV(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> d);
    static abstract void VS(ReadOnlySpan<T> x, T y, Span<T> d);
    static abstract void SV(T x, ReadOnlySpan<T> y, Span<T> d);

    /// <summary>Whether <see cref="Op"/> gives exactly what the span forms give (true for IEEE arithmetic).</summary>
    static virtual bool HasOp => false;

    /// <summary>The operation on one pair of elements, for rows too short to pay a vectorised call.</summary>
    static virtual T Op(T x, T y) => throw new NotSupportedException();
}

/// <summary>A binary operation on one pair of elements.</summary>
internal interface IScalarOp<T, R>
{
    static abstract R Invoke(T x, T y);
}

internal struct SpanRow<T, TOp> : IRowKernel<T, T> where TOp : ISpanOp<T>
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Row(ReadOnlySpan<T> x, int sx, ReadOnlySpan<T> y, int sy, Span<T> d)
    {
        if (TOp.HasOp && d.Length < 16)
        {
            for (int i = 0; i < d.Length; i++) d[i] = TOp.Op(x[i * sx], y[i * sy]);
            return;
        }
        if (sx == 1 && sy == 1) TOp.VV(x, y, d);
        else if (sx == 1) TOp.VS(x, y[0], d);
        else if (sy == 1) TOp.SV(x[0], y, d);
        else { TOp.VS(x, y[0], d[..1]); d.Fill(d[0]); }
    }
}

internal struct ScalarRow<T, R, TOp> : IRowKernel<T, R> where TOp : IScalarOp<T, R>
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Row(ReadOnlySpan<T> x, int sx, ReadOnlySpan<T> y, int sy, Span<R> d)
    {
        for (int i = 0; i < d.Length; i++) d[i] = TOp.Invoke(x[i * sx], y[i * sy]);
    }
}

/// <summary>An IEEE arithmetic operation on one pair of elements and on Vector&lt;T&gt; lanes, which round alike.</summary>
internal interface ILaneOp<T>
{
    static abstract T Op(T x, T y);
    static abstract Vector<T> Op(Vector<T> x, Vector<T> y);
}

/// <summary>
/// The span forms of a lane operation, here rather than in TensorPrimitives: no instantiation over float or double of
/// a constrained generic method is precompiled, and TensorPrimitives' run as tier-0 code first, where their vector
/// loops are many times slower, for as long as the small-tensor workloads take to warm up. These loops are JIT'd
/// once, fully optimised. Every element is the scalar operation's exact result, whatever the split into lanes.
/// </summary>
internal static class Lanes<T, TOp> where TOp : ILaneOp<T>
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void VV(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> d) => Run(x, 1, y, 1, d);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void VS(ReadOnlySpan<T> x, T y, Span<T> d) => Run(x, 1, new ReadOnlySpan<T>(in y), 0, d);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void SV(T x, ReadOnlySpan<T> y, Span<T> d) => Run(new ReadOnlySpan<T>(in x), 0, y, 1, d);

    // An operand of stride 0 is one element repeated; the other holds the n elements.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static void Run(ReadOnlySpan<T> x, int sx, ReadOnlySpan<T> y, int sy, Span<T> d)
    {
        int n = sx == 1 ? x.Length : y.Length, i = 0;
        if (sx == sy && y.Length != n || d.Length < n) ThrowLengths(x.Length, y.Length, d.Length);
        ref T xr = ref MemoryMarshal.GetReference(x), yr = ref MemoryMarshal.GetReference(y), dr = ref MemoryMarshal.GetReference(d);
        if (Vector.IsHardwareAccelerated && Vector<T>.IsSupported)
        {
            Vector<T> vx = sx == 0 ? new(xr) : default, vy = sy == 0 ? new(yr) : default;
            for (; i <= n - Vector<T>.Count; i += Vector<T>.Count)
            {
                var a = sx == 1 ? Vector.LoadUnsafe(ref xr, (nuint)i) : vx;
                var b = sy == 1 ? Vector.LoadUnsafe(ref yr, (nuint)i) : vy;
                TOp.Op(a, b).StoreUnsafe(ref dr, (nuint)i);
            }
        }
        for (; i < n; i++) Unsafe.Add(ref dr, i) = TOp.Op(Unsafe.Add(ref xr, i * sx), Unsafe.Add(ref yr, i * sy));
    }

    static void ThrowLengths(int x, int y, int d) =>
        throw new ArgumentException($"Lanes: operands of {x} and {y} elements into a destination of {d}.");
}

internal struct AddOp<T> : ISpanOp<T>, ILaneOp<T> where T : INumber<T>
{
    public static bool HasOp => true;
    public static T Op(T x, T y) => x + y;
    public static Vector<T> Op(Vector<T> x, Vector<T> y) => x + y;
    public static void VV(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> d) => Lanes<T, AddOp<T>>.VV(x, y, d);
    public static void VS(ReadOnlySpan<T> x, T y, Span<T> d) => Lanes<T, AddOp<T>>.VS(x, y, d);
    public static void SV(T x, ReadOnlySpan<T> y, Span<T> d) => Lanes<T, AddOp<T>>.SV(x, y, d);
}

internal struct SubOp<T> : ISpanOp<T>, ILaneOp<T> where T : INumber<T>
{
    public static bool HasOp => true;
    public static T Op(T x, T y) => x - y;
    public static Vector<T> Op(Vector<T> x, Vector<T> y) => x - y;
    public static void VV(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> d) => Lanes<T, SubOp<T>>.VV(x, y, d);
    public static void VS(ReadOnlySpan<T> x, T y, Span<T> d) => Lanes<T, SubOp<T>>.VS(x, y, d);
    public static void SV(T x, ReadOnlySpan<T> y, Span<T> d) => Lanes<T, SubOp<T>>.SV(x, y, d);
}

internal struct MulOp<T> : ISpanOp<T>, ILaneOp<T> where T : INumber<T>
{
    public static bool HasOp => true;
    public static T Op(T x, T y) => x * y;
    public static Vector<T> Op(Vector<T> x, Vector<T> y) => x * y;
    public static void VV(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> d) => Lanes<T, MulOp<T>>.VV(x, y, d);
    public static void VS(ReadOnlySpan<T> x, T y, Span<T> d) => Lanes<T, MulOp<T>>.VS(x, y, d);
    public static void SV(T x, ReadOnlySpan<T> y, Span<T> d) => Lanes<T, MulOp<T>>.SV(x, y, d);
}

internal struct DivOp<T> : ISpanOp<T>, ILaneOp<T> where T : INumber<T>
{
    public static bool HasOp => true;
    public static T Op(T x, T y) => x / y;
    public static Vector<T> Op(Vector<T> x, Vector<T> y) => x / y;
    public static void VV(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> d) => Lanes<T, DivOp<T>>.VV(x, y, d);
    public static void VS(ReadOnlySpan<T> x, T y, Span<T> d) => Lanes<T, DivOp<T>>.VS(x, y, d);
    public static void SV(T x, ReadOnlySpan<T> y, Span<T> d) => Lanes<T, DivOp<T>>.SV(x, y, d);
}

internal struct MaxOp<T> : ISpanOp<T> where T : INumber<T>
{
    public static bool HasOp => true;
    public static T Op(T x, T y) => T.Max(x, y);
    public static void VV(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> d) => TensorPrimitives.Max(x, y, d);
    public static void VS(ReadOnlySpan<T> x, T y, Span<T> d) => TensorPrimitives.Max(x, y, d);
    public static void SV(T x, ReadOnlySpan<T> y, Span<T> d) => TensorPrimitives.Max(y, x, d);
}

internal struct MinOp<T> : ISpanOp<T> where T : INumber<T>
{
    public static bool HasOp => true;
    public static T Op(T x, T y) => T.Min(x, y);
    public static void VV(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> d) => TensorPrimitives.Min(x, y, d);
    public static void VS(ReadOnlySpan<T> x, T y, Span<T> d) => TensorPrimitives.Min(x, y, d);
    public static void SV(T x, ReadOnlySpan<T> y, Span<T> d) => TensorPrimitives.Min(y, x, d);
}

internal struct PowOp<T> : ISpanOp<T> where T : IFloatingPointIeee754<T>
{
    public static void VV(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> d) => TensorPrimitives.Pow(x, y, d);
    public static void VS(ReadOnlySpan<T> x, T y, Span<T> d)
    {
        // x ** 2 is by far the most common power; a multiply is exact where pow may differ by an ulp.
        if (y == T.CreateTruncating(2)) TensorPrimitives.Multiply(x, x, d);
        else TensorPrimitives.Pow(x, y, d);
    }
    public static void SV(T x, ReadOnlySpan<T> y, Span<T> d) => TensorPrimitives.Pow(x, y, d);
}

/// <summary>Integer power by squaring, wrapping on overflow (NumPy raises for negative exponents).</summary>
internal struct IntPowOp<T> : IScalarOp<T, T> where T : IBinaryInteger<T>
{
    public static T Invoke(T x, T y)
    {
        if (T.IsNegative(y)) throw new ArgumentException("NDArray.Power: integers to negative integer powers are not allowed.");
        T r = T.One;
        while (y != T.Zero)
        {
            if (T.IsOddInteger(y)) r *= x;
            x *= x;
            y >>= 1;
        }
        return r;
    }
}

/// <summary>NumPy's divmod on floats (npy_divmod): fmod adjusted to the sign of the divisor, and a floor quotient snapped to an integer.</summary>
internal static class FloatDivMod<T> where T : IFloatingPointIeee754<T>
{
    static readonly T Half = T.CreateTruncating(0.5);

    public static T FloorDivide(T a, T b, out T mod)
    {
        mod = a % b;
        if (b == T.Zero) return a / b;
        T div = (a - mod) / b;
        if (mod != T.Zero)
        {
            if (b < T.Zero != mod < T.Zero) { mod += b; div -= T.One; }
        }
        else mod = T.CopySign(T.Zero, b);
        if (div == T.Zero) return T.CopySign(T.Zero, a / b);
        T floor = T.Floor(div);
        return div - floor > Half ? floor + T.One : floor;
    }
}

/// <summary>NumPy's remainder on floats: the result has the sign of the divisor; x % 0 is NaN.</summary>
internal struct FloatModOp<T> : IScalarOp<T, T> where T : IFloatingPointIeee754<T>
{
    public static T Invoke(T x, T y)
    {
        if (y == T.Zero) return x % y;
        FloatDivMod<T>.FloorDivide(x, y, out var mod);
        return mod;
    }
}

/// <summary>NumPy's floor_divide (<c>//</c>) on floats.</summary>
internal struct FloatFloorDivOp<T> : IScalarOp<T, T> where T : IFloatingPointIeee754<T>
{
    public static T Invoke(T x, T y) => FloatDivMod<T>.FloorDivide(x, y, out _);
}

/// <summary>NumPy's remainder on integers: the sign of the divisor; x % 0 is 0.</summary>
internal struct IntModOp<T> : IScalarOp<T, T> where T : IBinaryInteger<T>
{
    public static T Invoke(T x, T y)
    {
        // y = −1 also avoids the overflow of MinValue % −1.
        if (y == T.Zero || y == -T.One) return T.Zero;
        T r = x % y;
        return r != T.Zero && T.IsNegative(r) != T.IsNegative(y) ? r + y : r;
    }
}

/// <summary>NumPy's floor_divide on integers: rounds toward −∞; x // 0 is 0 and MinValue // −1 wraps.</summary>
internal struct IntFloorDivOp<T> : IScalarOp<T, T> where T : IBinaryInteger<T>
{
    public static T Invoke(T x, T y)
    {
        if (y == T.Zero) return T.Zero;
        if (y == -T.One) return -x;
        T q = x / y;
        return x % y != T.Zero && T.IsNegative(x) != T.IsNegative(y) ? q - T.One : q;
    }
}

internal struct GtOp<T> : IScalarOp<T, bool> where T : INumber<T> { public static bool Invoke(T x, T y) => x > y; }
internal struct GeOp<T> : IScalarOp<T, bool> where T : INumber<T> { public static bool Invoke(T x, T y) => x >= y; }
internal struct LtOp<T> : IScalarOp<T, bool> where T : INumber<T> { public static bool Invoke(T x, T y) => x < y; }
internal struct LeOp<T> : IScalarOp<T, bool> where T : INumber<T> { public static bool Invoke(T x, T y) => x <= y; }
internal struct EqOp<T> : IScalarOp<T, bool> where T : INumber<T> { public static bool Invoke(T x, T y) => x == y; }
internal struct NeOp<T> : IScalarOp<T, bool> where T : INumber<T> { public static bool Invoke(T x, T y) => x != y; }
internal struct AndOp : IScalarOp<bool, bool> { public static bool Invoke(bool x, bool y) => x & y; }
internal struct OrOp : IScalarOp<bool, bool> { public static bool Invoke(bool x, bool y) => x | y; }
internal struct XorOp : IScalarOp<bool, bool> { public static bool Invoke(bool x, bool y) => x ^ y; }
