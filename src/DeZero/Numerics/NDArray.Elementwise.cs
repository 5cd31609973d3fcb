using System.Numerics;
using System.Numerics.Tensors;

namespace DeZero;

public sealed partial class NDArray
{
    enum BinOp { Add, Sub, Mul, Div, Mod, FloorDiv, Pow, Max, Min }
    enum CmpOp { Gt, Ge, Lt, Le, Eq, Ne }

    static readonly string[] BinNames = ["add", "subtract", "multiply", "divide", "remainder", "floor_divide", "power", "maximum", "minimum"];
    static readonly string[] CmpNames = ["greater", "greater_equal", "less", "less_equal", "equal", "not_equal"];

    static NDArray Binary(NDArray a, NDArray b, BinOp op)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        string name = "NDArray." + BinNames[(int)op];
        var dt = DTypes.Result(a, b);
        if (op == BinOp.Div && !dt.IsFloat()) dt = DType.Float64;
        if (dt == DType.Bool)
        {
            if (op is BinOp.Add or BinOp.Max) return Logical(a, b, 1, name);
            if (op is BinOp.Mul or BinOp.Min) return Logical(a, b, 0, name);
            if (op == BinOp.Sub) throw new ArgumentException($"{name}: subtracting bool arrays is not supported (NumPy raises too); use LogicalXor or convert with AsType.");
            dt = DType.Int64;
        }
        var shape = ShapeUtil.Broadcast(a.Dims, b.Dims, name);
        var x = a.As(dt);
        var y = b.As(dt);
        var r = Empty(dt, shape);
        switch (dt)
        {
            case DType.Float64: Float<double>(op, x, y, r); break;
            case DType.Float32: Float<float>(op, x, y, r); break;
            case DType.Int64: Integer<long>(op, x, y, r); break;
            default: Integer<int>(op, x, y, r); break;
        }
        return r;
    }

    static void Float<T>(BinOp op, NDArray x, NDArray y, NDArray r) where T : unmanaged, IFloatingPointIeee754<T>
    {
        switch (op)
        {
            case BinOp.Add: Spans<T, AddOp<T>>(x, y, r); break;
            case BinOp.Sub: Spans<T, SubOp<T>>(x, y, r); break;
            case BinOp.Mul: Spans<T, MulOp<T>>(x, y, r); break;
            case BinOp.Div: Spans<T, DivOp<T>>(x, y, r); break;
            case BinOp.Max: Spans<T, MaxOp<T>>(x, y, r); break;
            case BinOp.Min: Spans<T, MinOp<T>>(x, y, r); break;
            case BinOp.Pow: Spans<T, PowOp<T>>(x, y, r); break;
            case BinOp.Mod: Scalars<T, T, ModOp<T>>(x, y, r); break;
            default: Scalars<T, T, FloorDivOp<T>>(x, y, r); break;
        }
    }

    static void Integer<T>(BinOp op, NDArray x, NDArray y, NDArray r) where T : unmanaged, IBinaryInteger<T>
    {
        switch (op)
        {
            case BinOp.Add: Spans<T, AddOp<T>>(x, y, r); break;
            case BinOp.Sub: Spans<T, SubOp<T>>(x, y, r); break;
            case BinOp.Mul: Spans<T, MulOp<T>>(x, y, r); break;
            case BinOp.Max: Spans<T, MaxOp<T>>(x, y, r); break;
            case BinOp.Min: Spans<T, MinOp<T>>(x, y, r); break;
            case BinOp.Pow: Scalars<T, T, IntPowOp<T>>(x, y, r); break;
            case BinOp.Mod: Scalars<T, T, ModOp<T>>(x, y, r); break;
            default: Scalars<T, T, IntFloorDivOp<T>>(x, y, r); break;
        }
    }

    static void Spans<T, TOp>(NDArray x, NDArray y, NDArray r) where TOp : ISpanOp<T> =>
        Broadcast.Run<T, T, SpanRow<T, TOp>>(x.Span<T>(), x.Dims, y.Span<T>(), y.Dims, r.Span<T>(), r.Dims);

    static void Scalars<T, R, TOp>(NDArray x, NDArray y, NDArray r) where TOp : IScalarOp<T, R> =>
        Broadcast.Run<T, R, ScalarRow<T, R, TOp>>(x.Span<T>(), x.Dims, y.Span<T>(), y.Dims, r.Span<R>(), r.Dims);

    // or = 1: logical or (bool add / maximum); 0: logical and (bool multiply / minimum); 2: xor.
    static NDArray Logical(NDArray a, NDArray b, int kind, string name)
    {
        var shape = ShapeUtil.Broadcast(a.Dims, b.Dims, name);
        var x = a.As(DType.Bool);
        var y = b.As(DType.Bool);
        var r = Empty(DType.Bool, shape);
        switch (kind)
        {
            case 0: Scalars<bool, bool, AndOp>(x, y, r); break;
            case 1: Scalars<bool, bool, OrOp>(x, y, r); break;
            default: Scalars<bool, bool, XorOp>(x, y, r); break;
        }
        return r;
    }

    static NDArray Compare(NDArray a, NDArray b, CmpOp op)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        string name = "NDArray." + CmpNames[(int)op];
        var dt = DTypes.Result(a, b);
        if (dt == DType.Bool) dt = DType.Int32;
        var shape = ShapeUtil.Broadcast(a.Dims, b.Dims, name);
        var x = a.As(dt);
        var y = b.As(dt);
        var r = Empty(DType.Bool, shape);
        switch (dt)
        {
            case DType.Float64: Cmp<double>(op, x, y, r); break;
            case DType.Float32: Cmp<float>(op, x, y, r); break;
            case DType.Int64: Cmp<long>(op, x, y, r); break;
            default: Cmp<int>(op, x, y, r); break;
        }
        return r;
    }

    static void Cmp<T>(CmpOp op, NDArray x, NDArray y, NDArray r) where T : unmanaged, INumber<T>
    {
        switch (op)
        {
            case CmpOp.Gt: Scalars<T, bool, GtOp<T>>(x, y, r); break;
            case CmpOp.Ge: Scalars<T, bool, GeOp<T>>(x, y, r); break;
            case CmpOp.Lt: Scalars<T, bool, LtOp<T>>(x, y, r); break;
            case CmpOp.Le: Scalars<T, bool, LeOp<T>>(x, y, r); break;
            case CmpOp.Eq: Scalars<T, bool, EqOp<T>>(x, y, r); break;
            default: Scalars<T, bool, NeOp<T>>(x, y, r); break;
        }
    }

    static NDArray S(double v) => Scalar(v);
    static NDArray S(long v) => new(new[] { v }, [], DType.Int64);

    /// <summary>Elementwise sum with broadcasting, NumPy's <c>np.add</c>.</summary>
    public static NDArray Add(NDArray a, NDArray b) => Binary(a, b, BinOp.Add);
    /// <summary>Elementwise difference, NumPy's <c>np.subtract</c>.</summary>
    public static NDArray Subtract(NDArray a, NDArray b) => Binary(a, b, BinOp.Sub);
    /// <summary>Elementwise product, NumPy's <c>np.multiply</c>.</summary>
    public static NDArray Multiply(NDArray a, NDArray b) => Binary(a, b, BinOp.Mul);
    /// <summary>True division (integers give float64), NumPy's <c>np.divide</c>.</summary>
    public static NDArray Divide(NDArray a, NDArray b) => Binary(a, b, BinOp.Div);
    /// <summary>Remainder with the sign of the divisor, NumPy's <c>np.remainder</c>.</summary>
    public static NDArray Mod(NDArray a, NDArray b) => Binary(a, b, BinOp.Mod);
    /// <summary>Floor division, NumPy's <c>np.floor_divide</c> (<c>//</c>).</summary>
    public static NDArray FloorDivide(NDArray a, NDArray b) => Binary(a, b, BinOp.FloorDiv);
    /// <summary>Elementwise power, NumPy's <c>np.power</c>.</summary>
    public static NDArray Power(NDArray a, NDArray b) => Binary(a, b, BinOp.Pow);
    /// <summary>Elementwise power with a scalar exponent.</summary>
    public static NDArray Power(NDArray a, double b) => Binary(a, S(b), BinOp.Pow);
    /// <summary>Elementwise maximum, NaN-propagating, NumPy's <c>np.maximum</c>.</summary>
    public static NDArray Maximum(NDArray a, NDArray b) => Binary(a, b, BinOp.Max);
    /// <summary>Elementwise maximum with a scalar.</summary>
    public static NDArray Maximum(NDArray a, double b) => Binary(a, S(b), BinOp.Max);
    /// <summary>Elementwise minimum, NaN-propagating, NumPy's <c>np.minimum</c>.</summary>
    public static NDArray Minimum(NDArray a, NDArray b) => Binary(a, b, BinOp.Min);
    /// <summary>Elementwise minimum with a scalar.</summary>
    public static NDArray Minimum(NDArray a, double b) => Binary(a, S(b), BinOp.Min);
    /// <summary>Limits values to [min, max], NumPy's <c>np.clip</c>.</summary>
    public static NDArray Clip(NDArray a, double min, double max) => Minimum(Maximum(a, min), max);

    /// <summary>Elementwise <c>a == b</c> as a Bool array.</summary>
    public static NDArray Equal(NDArray a, NDArray b) => Compare(a, b, CmpOp.Eq);
    /// <summary>Elementwise <c>a == b</c> against a scalar.</summary>
    public static NDArray Equal(NDArray a, double b) => Compare(a, S(b), CmpOp.Eq);
    /// <summary>Elementwise <c>a != b</c> as a Bool array.</summary>
    public static NDArray NotEqual(NDArray a, NDArray b) => Compare(a, b, CmpOp.Ne);
    /// <summary>Elementwise logical and of truth values.</summary>
    public static NDArray LogicalAnd(NDArray a, NDArray b) => Logical(a, b, 0, "NDArray.logical_and");
    /// <summary>Elementwise logical or of truth values.</summary>
    public static NDArray LogicalOr(NDArray a, NDArray b) => Logical(a, b, 1, "NDArray.logical_or");
    /// <summary>Elementwise logical xor of truth values.</summary>
    public static NDArray LogicalXor(NDArray a, NDArray b) => Logical(a, b, 2, "NDArray.logical_xor");
    /// <summary>Elementwise logical not.</summary>
    public static NDArray LogicalNot(NDArray a) => Logical(a, FromArray(true), 2, "NDArray.logical_not");

#pragma warning disable CS1591 // operators are documented by the static methods they call
    public static NDArray operator +(NDArray a, NDArray b) => Binary(a, b, BinOp.Add);
    public static NDArray operator +(NDArray a, double b) => Binary(a, S(b), BinOp.Add);
    public static NDArray operator +(double a, NDArray b) => Binary(S(a), b, BinOp.Add);
    public static NDArray operator +(NDArray a, long b) => Binary(a, S(b), BinOp.Add);
    public static NDArray operator +(long a, NDArray b) => Binary(S(a), b, BinOp.Add);
    public static NDArray operator -(NDArray a, NDArray b) => Binary(a, b, BinOp.Sub);
    public static NDArray operator -(NDArray a, double b) => Binary(a, S(b), BinOp.Sub);
    public static NDArray operator -(double a, NDArray b) => Binary(S(a), b, BinOp.Sub);
    public static NDArray operator -(NDArray a, long b) => Binary(a, S(b), BinOp.Sub);
    public static NDArray operator -(long a, NDArray b) => Binary(S(a), b, BinOp.Sub);
    public static NDArray operator *(NDArray a, NDArray b) => Binary(a, b, BinOp.Mul);
    public static NDArray operator *(NDArray a, double b) => Binary(a, S(b), BinOp.Mul);
    public static NDArray operator *(double a, NDArray b) => Binary(S(a), b, BinOp.Mul);
    public static NDArray operator *(NDArray a, long b) => Binary(a, S(b), BinOp.Mul);
    public static NDArray operator *(long a, NDArray b) => Binary(S(a), b, BinOp.Mul);
    public static NDArray operator /(NDArray a, NDArray b) => Binary(a, b, BinOp.Div);
    public static NDArray operator /(NDArray a, double b) => Binary(a, S(b), BinOp.Div);
    public static NDArray operator /(double a, NDArray b) => Binary(S(a), b, BinOp.Div);
    public static NDArray operator /(NDArray a, long b) => Binary(a, S(b), BinOp.Div);
    public static NDArray operator /(long a, NDArray b) => Binary(S(a), b, BinOp.Div);
    public static NDArray operator %(NDArray a, NDArray b) => Binary(a, b, BinOp.Mod);
    public static NDArray operator %(NDArray a, double b) => Binary(a, S(b), BinOp.Mod);
    public static NDArray operator %(NDArray a, long b) => Binary(a, S(b), BinOp.Mod);
    public static NDArray operator -(NDArray a) => Negative(a);
    public static NDArray operator >(NDArray a, NDArray b) => Compare(a, b, CmpOp.Gt);
    public static NDArray operator <(NDArray a, NDArray b) => Compare(a, b, CmpOp.Lt);
    public static NDArray operator >=(NDArray a, NDArray b) => Compare(a, b, CmpOp.Ge);
    public static NDArray operator <=(NDArray a, NDArray b) => Compare(a, b, CmpOp.Le);
    public static NDArray operator >(NDArray a, double b) => Compare(a, S(b), CmpOp.Gt);
    public static NDArray operator <(NDArray a, double b) => Compare(a, S(b), CmpOp.Lt);
    public static NDArray operator >=(NDArray a, double b) => Compare(a, S(b), CmpOp.Ge);
    public static NDArray operator <=(NDArray a, double b) => Compare(a, S(b), CmpOp.Le);
    public static NDArray operator >(double a, NDArray b) => Compare(S(a), b, CmpOp.Gt);
    public static NDArray operator <(double a, NDArray b) => Compare(S(a), b, CmpOp.Lt);
    public static NDArray operator >=(double a, NDArray b) => Compare(S(a), b, CmpOp.Ge);
    public static NDArray operator <=(double a, NDArray b) => Compare(S(a), b, CmpOp.Le);
    public static NDArray operator >(NDArray a, long b) => Compare(a, S(b), CmpOp.Gt);
    public static NDArray operator <(NDArray a, long b) => Compare(a, S(b), CmpOp.Lt);
    public static NDArray operator >=(NDArray a, long b) => Compare(a, S(b), CmpOp.Ge);
    public static NDArray operator <=(NDArray a, long b) => Compare(a, S(b), CmpOp.Le);
#pragma warning restore CS1591

    // ---- unary math ----

    enum UnOp { Sin, Cos, Tan, Tanh, Exp, Log, Sqrt }

    static NDArray Unary(NDArray a, UnOp op)
    {
        ArgumentNullException.ThrowIfNull(a);
        var x = a.DType.IsFloat() ? a : a.AsType(DType.Float64);
        var r = Empty(x.DType, (int[])x.Dims.Clone());
        if (x.DType == DType.Float64) Unary<double>(op, x.Span<double>(), r.Span<double>());
        else Unary<float>(op, x.Span<float>(), r.Span<float>());
        return r;
    }

    static void Unary<T>(UnOp op, ReadOnlySpan<T> x, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T>
    {
        switch (op)
        {
            case UnOp.Sin: TensorPrimitives.Sin(x, d); break;
            case UnOp.Cos: TensorPrimitives.Cos(x, d); break;
            case UnOp.Tan: TensorPrimitives.Tan(x, d); break;
            case UnOp.Tanh: TensorPrimitives.Tanh(x, d); break;
            case UnOp.Exp: TensorPrimitives.Exp(x, d); break;
            case UnOp.Log: TensorPrimitives.Log(x, d); break;
            default: TensorPrimitives.Sqrt(x, d); break;
        }
    }

    /// <summary>Elementwise sine.</summary>
    public static NDArray Sin(NDArray a) => Unary(a, UnOp.Sin);
    /// <summary>Elementwise cosine.</summary>
    public static NDArray Cos(NDArray a) => Unary(a, UnOp.Cos);
    /// <summary>Elementwise tangent.</summary>
    public static NDArray Tan(NDArray a) => Unary(a, UnOp.Tan);
    /// <summary>Elementwise hyperbolic tangent.</summary>
    public static NDArray Tanh(NDArray a) => Unary(a, UnOp.Tanh);
    /// <summary>Elementwise exponential.</summary>
    public static NDArray Exp(NDArray a) => Unary(a, UnOp.Exp);
    /// <summary>Elementwise natural logarithm.</summary>
    public static NDArray Log(NDArray a) => Unary(a, UnOp.Log);
    /// <summary>Elementwise square root.</summary>
    public static NDArray Sqrt(NDArray a) => Unary(a, UnOp.Sqrt);

    /// <summary>Elementwise negation (bool arrays are refused, like NumPy).</summary>
    public static NDArray Negative(NDArray a)
    {
        ArgumentNullException.ThrowIfNull(a);
        if (a.DType == DType.Bool) throw new ArgumentException("NDArray.negative: negating a bool array is not supported; use LogicalNot.");
        var r = Empty(a.DType, (int[])a.Dims.Clone());
        switch (a.DType)
        {
            case DType.Float64: TensorPrimitives.Negate<double>(a.Span<double>(), r.Span<double>()); break;
            case DType.Float32: TensorPrimitives.Negate<float>(a.Span<float>(), r.Span<float>()); break;
            case DType.Int64: TensorPrimitives.Negate<long>(a.Span<long>(), r.Span<long>()); break;
            default: TensorPrimitives.Negate<int>(a.Span<int>(), r.Span<int>()); break;
        }
        return r;
    }

    /// <summary>Elementwise absolute value, keeping the dtype.</summary>
    public static NDArray Abs(NDArray a)
    {
        ArgumentNullException.ThrowIfNull(a);
        var r = Empty(a.DType, (int[])a.Dims.Clone());
        switch (a.DType)
        {
            case DType.Float64: TensorPrimitives.Abs<double>(a.Span<double>(), r.Span<double>()); break;
            case DType.Float32: TensorPrimitives.Abs<float>(a.Span<float>(), r.Span<float>()); break;
            case DType.Int64: for (int i = 0; i < a.Size; i++) r.Span<long>()[i] = Math.Abs(a.Span<long>()[i]); break;
            case DType.Int32: for (int i = 0; i < a.Size; i++) r.Span<int>()[i] = Math.Abs(a.Span<int>()[i]); break;
            default: a.Span<bool>().CopyTo(r.Span<bool>()); break;
        }
        return r;
    }

    /// <summary>Elementwise sign (−1, 0, +1; NaN stays NaN), keeping the dtype.</summary>
    public static NDArray Sign(NDArray a)
    {
        ArgumentNullException.ThrowIfNull(a);
        var r = Empty(a.DType, (int[])a.Dims.Clone());
        for (int i = 0; i < a.Size; i++)
        {
            double v = a.GetFlat(i);
            r.SetFlat(i, double.IsNaN(v) ? v : Math.Sign(v));
        }
        return r;
    }

    /// <summary>Picks from <paramref name="x"/> where <paramref name="cond"/> is true and from <paramref name="y"/> elsewhere, with broadcasting.</summary>
    public static NDArray Where(NDArray cond, NDArray x, NDArray y)
    {
        ArgumentNullException.ThrowIfNull(cond);
        var shape = ShapeUtil.Broadcast(ShapeUtil.Broadcast(cond.Dims, x.Dims, "NDArray.where"), y.Dims, "NDArray.where");
        var dt = DTypes.Result(x, y);
        var c = cond.As(DType.Bool).BroadcastTo(shape).Span<bool>();
        var xs = x.As(dt).BroadcastTo(shape);
        var ys = y.As(dt).BroadcastTo(shape);
        var r = Empty(dt, shape);
        int item = dt.ItemSize();
        for (int i = 0; i < c.Length; i++)
            System.Buffer.BlockCopy(c[i] ? xs.Buffer : ys.Buffer, i * item, r.Buffer, i * item, item);
        return r;
    }

    /// <summary>Where() with scalar alternatives.</summary>
    public static NDArray Where(NDArray cond, double x, double y) => Where(cond, S(x), S(y));

    /// <summary>True when every element of a and b satisfies |a−b| ≤ atol + rtol·|b| (NaNs equal only with equalNan).</summary>
    public static bool AllClose(NDArray a, NDArray b, double rtol = 1e-5, double atol = 1e-8, bool equalNan = false)
    {
        var shape = ShapeUtil.Broadcast(a.Dims, b.Dims, "NDArray.allclose");
        var x = a.AsType(DType.Float64).BroadcastTo(shape).Span<double>();
        var y = b.AsType(DType.Float64).BroadcastTo(shape).Span<double>();
        for (int i = 0; i < x.Length; i++)
        {
            double p = x[i], q = y[i];
            if (double.IsNaN(p) || double.IsNaN(q)) { if (equalNan && double.IsNaN(p) && double.IsNaN(q)) continue; return false; }
            if (p == q) continue;
            if (double.IsInfinity(p) || double.IsInfinity(q) || Math.Abs(p - q) > atol + rtol * Math.Abs(q)) return false;
        }
        return true;
    }
}
