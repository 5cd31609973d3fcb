using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;

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

internal struct AddOp<T> : ISpanOp<T> where T : INumber<T>
{
    public static bool HasOp => true;
    public static T Op(T x, T y) => x + y;
    public static void VV(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> d) => TensorPrimitives.Add(x, y, d);
    public static void VS(ReadOnlySpan<T> x, T y, Span<T> d) => TensorPrimitives.Add(x, y, d);
    public static void SV(T x, ReadOnlySpan<T> y, Span<T> d) => TensorPrimitives.Add(y, x, d);
}

internal struct SubOp<T> : ISpanOp<T> where T : INumber<T>
{
    public static bool HasOp => true;
    public static T Op(T x, T y) => x - y;
    public static void VV(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> d) => TensorPrimitives.Subtract(x, y, d);
    public static void VS(ReadOnlySpan<T> x, T y, Span<T> d) => TensorPrimitives.Subtract(x, y, d);
    public static void SV(T x, ReadOnlySpan<T> y, Span<T> d) => TensorPrimitives.Subtract(x, y, d);
}

internal struct MulOp<T> : ISpanOp<T> where T : INumber<T>
{
    public static bool HasOp => true;
    public static T Op(T x, T y) => x * y;
    public static void VV(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> d) => TensorPrimitives.Multiply(x, y, d);
    public static void VS(ReadOnlySpan<T> x, T y, Span<T> d) => TensorPrimitives.Multiply(x, y, d);
    public static void SV(T x, ReadOnlySpan<T> y, Span<T> d) => TensorPrimitives.Multiply(y, x, d);
}

internal struct DivOp<T> : ISpanOp<T> where T : INumber<T>
{
    public static bool HasOp => true;
    public static T Op(T x, T y) => x / y;
    public static void VV(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> d) => TensorPrimitives.Divide(x, y, d);
    public static void VS(ReadOnlySpan<T> x, T y, Span<T> d) => TensorPrimitives.Divide(x, y, d);
    public static void SV(T x, ReadOnlySpan<T> y, Span<T> d) => TensorPrimitives.Divide(x, y, d);
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
