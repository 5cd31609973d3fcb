using System.Numerics;
using System.Numerics.Tensors;

namespace DeZero;

/// <summary>A binary operation with SIMD span forms: vector-vector, vector-scalar and scalar-vector.</summary>
internal interface ISpanOp<T>
{
    static abstract void VV(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> d);
    static abstract void VS(ReadOnlySpan<T> x, T y, Span<T> d);
    static abstract void SV(T x, ReadOnlySpan<T> y, Span<T> d);
}

/// <summary>A binary operation on one pair of elements.</summary>
internal interface IScalarOp<T, R>
{
    static abstract R Invoke(T x, T y);
}

internal struct SpanRow<T, TOp> : IRowKernel<T, T> where TOp : ISpanOp<T>
{
    public static void Row(ReadOnlySpan<T> x, int sx, ReadOnlySpan<T> y, int sy, Span<T> d)
    {
        if (sx == 1 && sy == 1) TOp.VV(x, y, d);
        else if (sx == 1) TOp.VS(x, y[0], d);
        else if (sy == 1) TOp.SV(x[0], y, d);
        else { TOp.VS(x, y[0], d[..1]); d.Fill(d[0]); }
    }
}

internal struct ScalarRow<T, R, TOp> : IRowKernel<T, R> where TOp : IScalarOp<T, R>
{
    public static void Row(ReadOnlySpan<T> x, int sx, ReadOnlySpan<T> y, int sy, Span<R> d)
    {
        for (int i = 0; i < d.Length; i++) d[i] = TOp.Invoke(x[i * sx], y[i * sy]);
    }
}

internal struct AddOp<T> : ISpanOp<T> where T : INumber<T>
{
    public static void VV(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> d) => TensorPrimitives.Add(x, y, d);
    public static void VS(ReadOnlySpan<T> x, T y, Span<T> d) => TensorPrimitives.Add(x, y, d);
    public static void SV(T x, ReadOnlySpan<T> y, Span<T> d) => TensorPrimitives.Add(y, x, d);
}

internal struct SubOp<T> : ISpanOp<T> where T : INumber<T>
{
    public static void VV(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> d) => TensorPrimitives.Subtract(x, y, d);
    public static void VS(ReadOnlySpan<T> x, T y, Span<T> d) => TensorPrimitives.Subtract(x, y, d);
    public static void SV(T x, ReadOnlySpan<T> y, Span<T> d) => TensorPrimitives.Subtract(x, y, d);
}

internal struct MulOp<T> : ISpanOp<T> where T : INumber<T>
{
    public static void VV(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> d) => TensorPrimitives.Multiply(x, y, d);
    public static void VS(ReadOnlySpan<T> x, T y, Span<T> d) => TensorPrimitives.Multiply(x, y, d);
    public static void SV(T x, ReadOnlySpan<T> y, Span<T> d) => TensorPrimitives.Multiply(y, x, d);
}

internal struct DivOp<T> : ISpanOp<T> where T : INumber<T>
{
    public static void VV(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> d) => TensorPrimitives.Divide(x, y, d);
    public static void VS(ReadOnlySpan<T> x, T y, Span<T> d) => TensorPrimitives.Divide(x, y, d);
    public static void SV(T x, ReadOnlySpan<T> y, Span<T> d) => TensorPrimitives.Divide(x, y, d);
}

internal struct MaxOp<T> : ISpanOp<T> where T : INumber<T>
{
    public static void VV(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> d) => TensorPrimitives.Max(x, y, d);
    public static void VS(ReadOnlySpan<T> x, T y, Span<T> d) => TensorPrimitives.Max(x, y, d);
    public static void SV(T x, ReadOnlySpan<T> y, Span<T> d) => TensorPrimitives.Max(y, x, d);
}

internal struct MinOp<T> : ISpanOp<T> where T : INumber<T>
{
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

/// <summary>Integer power by squaring (NumPy raises for negative exponents).</summary>
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

/// <summary>NumPy's remainder: the result has the sign of the divisor.</summary>
internal struct ModOp<T> : IScalarOp<T, T> where T : INumber<T>
{
    public static T Invoke(T x, T y)
    {
        if (y == T.Zero) return T.IsInteger(y) ? T.Zero : T.CreateTruncating(double.NaN);
        T r = x % y;
        if (r != T.Zero && (T.IsNegative(r) != T.IsNegative(y))) r += y;
        return r;
    }
}

/// <summary>NumPy's floor_divide (<c>//</c>) on floats.</summary>
internal struct FloorDivOp<T> : IScalarOp<T, T> where T : IFloatingPointIeee754<T>
{
    public static T Invoke(T x, T y) => T.Floor(x / y);
}

/// <summary>NumPy's floor_divide on integers: rounds toward −∞; division by zero gives 0.</summary>
internal struct IntFloorDivOp<T> : IScalarOp<T, T> where T : IBinaryInteger<T>
{
    public static T Invoke(T x, T y)
    {
        if (y == T.Zero) return T.Zero;
        T q = x / y;
        return (x % y != T.Zero && (T.IsNegative(x) != T.IsNegative(y))) ? q - T.One : q;
    }
}

internal struct GtOp<T> : IScalarOp<T, bool> where T : INumber<T> { public static bool Invoke(T x, T y) => x > y; }
internal struct GeOp<T> : IScalarOp<T, bool> where T : INumber<T> { public static bool Invoke(T x, T y) => x >= y; }
internal struct LtOp<T> : IScalarOp<T, bool> where T : INumber<T> { public static bool Invoke(T x, T y) => x < y; }
internal struct LeOp<T> : IScalarOp<T, bool> where T : INumber<T> { public static bool Invoke(T x, T y) => x <= y; }
internal struct EqOp<T> : IScalarOp<T, bool> where T : IEquatable<T> { public static bool Invoke(T x, T y) => x.Equals(y) && !(x is double dx && double.IsNaN(dx)) && !(x is float fx && float.IsNaN(fx)); }
internal struct NeOp<T> : IScalarOp<T, bool> where T : IEquatable<T> { public static bool Invoke(T x, T y) => !EqOp<T>.Invoke(x, y); }
internal struct AndOp : IScalarOp<bool, bool> { public static bool Invoke(bool x, bool y) => x & y; }
internal struct OrOp : IScalarOp<bool, bool> { public static bool Invoke(bool x, bool y) => x | y; }
internal struct XorOp : IScalarOp<bool, bool> { public static bool Invoke(bool x, bool y) => x ^ y; }
