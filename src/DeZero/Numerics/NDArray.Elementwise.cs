using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using DeZero.Numerics.Kernels;

namespace DeZero;

public sealed partial class NDArray
{
    enum BinOp { Add, Sub, Mul, Div, Mod, FloorDiv, Pow, Max, Min }
    enum CmpOp { Gt, Ge, Lt, Le, Eq, Ne }

    // Operation names for error messages, built once rather than on every call.
    static readonly string[] BinNames = ["NDArray.Add", "NDArray.Subtract", "NDArray.Multiply", "NDArray.Divide", "NDArray.Mod",
        "NDArray.FloorDivide", "NDArray.Power", "NDArray.Maximum", "NDArray.Minimum"];
    static readonly string[] InPlaceNames = Array.ConvertAll(BinNames, n => n + "InPlace");
    static readonly string[] CmpNames = ["NDArray.Greater", "NDArray.GreaterEqual", "NDArray.Less", "NDArray.LessEqual", "NDArray.Equal", "NDArray.NotEqual"];

    // The dtype NumPy computes a binary operation in (and returns): promotion with value-based casting,
    // true division of integers in float64, bool arithmetic as logic. NumPy gives int8 for % // ** of
    // bools; int64 is our smallest fitting integer type.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static DType BinaryType(NDArray a, NDArray b, BinOp op, string name)
    {
        var dt = DTypes.Result(a, b);
        if (op == BinOp.Div && !dt.IsFloat()) return DType.Float64;
        if (dt != DType.Bool || op is BinOp.Add or BinOp.Mul or BinOp.Max or BinOp.Min) return dt;
        if (op == BinOp.Sub)
            throw new ArgumentException($"{name}: subtracting bool arrays (shapes {ShapeUtil.Str(a.Dims)} and {ShapeUtil.Str(b.Dims)}) is not supported, as in NumPy; use LogicalXor or convert with AsType.");
        return DType.Int64;
    }

    // Computes a op b into dst (a new array when null). dst must have the broadcast shape and the
    // operation's dtype; it may be a or b itself, as elements are read before they are written.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static NDArray Binary(NDArray a, NDArray b, BinOp op, NDArray? dst = null)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        // Same float dtype and shape (most autograd traffic): no promotion, no broadcasting, the shape is shared.
        if (dst is null && a.DType == b.DType && a.DType is DType.Float64 or DType.Float32 && ShapeUtil.SameShape(a.Dims, b.Dims))
        {
            var s = Uninitialized(a.DType, a.Dims);
            DTypeSwitch.Arithmetic(a.DType, new BinaryOperation(op, a, b, s));
            return s;
        }
        string name = BinNames[(int)op];
        var dt = BinaryType(a, b, op, name);
        var shape = ShapeUtil.Broadcast(a.Dims, b.Dims, name);
        var r = dst ?? Uninitialized(dt, shape);
        if (dt == DType.Bool) return Logical(a, b, op is BinOp.Add or BinOp.Max ? 1 : 0, name, r);
        DTypeSwitch.Arithmetic(dt, new BinaryOperation(op, a.As(dt), b.As(dt), r));
        return r;
    }

    readonly struct BinaryOperation(BinOp op, NDArray x, NDArray y, NDArray r) : IArithmeticOp
    {
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Float<T>() where T : unmanaged, IFloatingPointIeee754<T> => NDArray.Float<T>(op, x, y, r);
        public void Integer<T>() where T : unmanaged, IBinaryInteger<T> => NDArray.Integer<T>(op, x, y, r);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
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
            case BinOp.Mod: Scalars<T, T, FloatModOp<T>>(x, y, r); break;
            default: Scalars<T, T, FloatFloorDivOp<T>>(x, y, r); break;
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
            case BinOp.Mod: Scalars<T, T, IntModOp<T>>(x, y, r); break;
            default: Scalars<T, T, IntFloorDivOp<T>>(x, y, r); break;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static void Spans<T, TOp>(NDArray x, NDArray y, NDArray r) where TOp : ISpanOp<T> =>
        Broadcast.Run<T, T, SpanRow<T, TOp>>(x.Span<T>(), x.Dims, y.Span<T>(), y.Dims, r.Span<T>(), r.Dims);

    static void Scalars<T, R, TOp>(NDArray x, NDArray y, NDArray r) where TOp : IScalarOp<T, R> =>
        Broadcast.Run<T, R, ScalarRow<T, R, TOp>>(x.Span<T>(), x.Dims, y.Span<T>(), y.Dims, r.Span<R>(), r.Dims);

    // kind 0: logical and (bool multiply / minimum); 1: logical or (bool add / maximum); 2: xor.
    static NDArray Logical(NDArray a, NDArray b, int kind, string name, NDArray? dst = null)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        var r = dst ?? Empty(DType.Bool, ShapeUtil.Broadcast(a.Dims, b.Dims, name));
        var x = a.As(DType.Bool);
        var y = b.As(DType.Bool);
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
        string name = CmpNames[(int)op];
        var dt = DTypes.Result(a, b);
        if (dt == DType.Bool) dt = DType.Int32;
        var shape = ShapeUtil.Broadcast(a.Dims, b.Dims, name);
        var r = Empty(DType.Bool, shape);
        DTypeSwitch.Number(dt, new Comparison(op, a.As(dt), b.As(dt), r));
        return r;
    }

    readonly struct Comparison(CmpOp op, NDArray x, NDArray y, NDArray r) : INumberOp
    {
        public void Invoke<T>() where T : unmanaged, INumber<T>, IMinMaxValue<T> => Cmp<T>(op, x, y, r);
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

    // C# scalars become 0-d float64 / int64 arrays, like Python's float and int in NumPy.
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
    /// <summary>Remainder with the sign of the divisor, NumPy's <c>np.remainder</c> (<c>%</c>).</summary>
    public static NDArray Mod(NDArray a, NDArray b) => Binary(a, b, BinOp.Mod);
    /// <summary>Floor division, NumPy's <c>np.floor_divide</c> (<c>//</c>).</summary>
    public static NDArray FloorDivide(NDArray a, NDArray b) => Binary(a, b, BinOp.FloorDiv);
    /// <summary>Elementwise power, NumPy's <c>np.power</c>.</summary>
    public static NDArray Power(NDArray a, NDArray b) => Binary(a, b, BinOp.Pow);
    /// <summary>Elementwise power with a float exponent.</summary>
    public static NDArray Power(NDArray a, double b) => Binary(a, S(b), BinOp.Pow);
    /// <summary>Elementwise power with an integer exponent (integer arrays stay integer).</summary>
    public static NDArray Power(NDArray a, long b) => Binary(a, S(b), BinOp.Pow);
    /// <summary>Elementwise maximum, NaN-propagating, NumPy's <c>np.maximum</c>.</summary>
    public static NDArray Maximum(NDArray a, NDArray b) => Binary(a, b, BinOp.Max);
    /// <summary>Elementwise maximum with a float scalar.</summary>
    public static NDArray Maximum(NDArray a, double b) => Binary(a, S(b), BinOp.Max);
    /// <summary>Elementwise maximum with an integer scalar.</summary>
    public static NDArray Maximum(NDArray a, long b) => Binary(a, S(b), BinOp.Max);
    /// <summary>Elementwise minimum, NaN-propagating, NumPy's <c>np.minimum</c>.</summary>
    public static NDArray Minimum(NDArray a, NDArray b) => Binary(a, b, BinOp.Min);
    /// <summary>Elementwise minimum with a float scalar.</summary>
    public static NDArray Minimum(NDArray a, double b) => Binary(a, S(b), BinOp.Min);
    /// <summary>Elementwise minimum with an integer scalar.</summary>
    public static NDArray Minimum(NDArray a, long b) => Binary(a, S(b), BinOp.Min);
    /// <summary>Limits values to [min, max] (min(max(a, min), max)), NumPy's <c>np.clip</c>.</summary>
    public static NDArray Clip(NDArray a, double min, double max) => Minimum(Maximum(a, min), max);
    /// <summary>Limits values to integer bounds (integer arrays stay integer).</summary>
    public static NDArray Clip(NDArray a, long min, long max) => Minimum(Maximum(a, min), max);

    /// <summary>Elementwise <c>a == b</c> as a Bool array (NaN equals nothing), NumPy's <c>np.equal</c>.</summary>
    public static NDArray Equal(NDArray a, NDArray b) => Compare(a, b, CmpOp.Eq);
    /// <summary>Elementwise <c>a == b</c> against a scalar.</summary>
    public static NDArray Equal(NDArray a, double b) => Compare(a, S(b), CmpOp.Eq);
    /// <summary>Elementwise <c>a != b</c> as a Bool array, NumPy's <c>np.not_equal</c>.</summary>
    public static NDArray NotEqual(NDArray a, NDArray b) => Compare(a, b, CmpOp.Ne);
    /// <summary>Elementwise <c>a != b</c> against a scalar.</summary>
    public static NDArray NotEqual(NDArray a, double b) => Compare(a, S(b), CmpOp.Ne);
    /// <summary>Elementwise logical and of truth values (nonzero is true), NumPy's <c>np.logical_and</c>.</summary>
    public static NDArray LogicalAnd(NDArray a, NDArray b) => Logical(a, b, 0, "NDArray.LogicalAnd");
    /// <summary>Elementwise logical or of truth values.</summary>
    public static NDArray LogicalOr(NDArray a, NDArray b) => Logical(a, b, 1, "NDArray.LogicalOr");
    /// <summary>Elementwise logical xor of truth values.</summary>
    public static NDArray LogicalXor(NDArray a, NDArray b) => Logical(a, b, 2, "NDArray.LogicalXor");
    /// <summary>Elementwise logical not of truth values.</summary>
    public static NDArray LogicalNot(NDArray a) => Logical(a, FromArray(true), 2, "NDArray.LogicalNot");

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
    public static NDArray operator %(double a, NDArray b) => Binary(S(a), b, BinOp.Mod);
    public static NDArray operator %(NDArray a, long b) => Binary(a, S(b), BinOp.Mod);
    public static NDArray operator %(long a, NDArray b) => Binary(S(a), b, BinOp.Mod);
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
    public static NDArray operator >(long a, NDArray b) => Compare(S(a), b, CmpOp.Gt);
    public static NDArray operator <(long a, NDArray b) => Compare(S(a), b, CmpOp.Lt);
    public static NDArray operator >=(long a, NDArray b) => Compare(S(a), b, CmpOp.Ge);
    public static NDArray operator <=(long a, NDArray b) => Compare(S(a), b, CmpOp.Le);
#pragma warning restore CS1591

    // ---- in place (NumPy's a op= b) ----

    /// <summary>
    /// Adds <paramref name="other"/> into this array, NumPy's <c>a += b</c>: <paramref name="other"/> broadcasts to
    /// this array's shape, and the result must cast to this dtype by NumPy's same_kind rule (no float into an int
    /// array); on error the array is unchanged.
    /// </summary>
    public void AddInPlace(NDArray other) => InPlace(other, BinOp.Add);
    /// <summary>Adds a float scalar into this array (<c>a += b</c>).</summary>
    public void AddInPlace(double other) => InPlace(S(other), BinOp.Add);
    /// <summary>Adds an integer scalar into this array (<c>a += b</c>).</summary>
    public void AddInPlace(long other) => InPlace(S(other), BinOp.Add);
    /// <summary>Subtracts <paramref name="other"/> from this array in place, NumPy's <c>a -= b</c> (rules as <see cref="AddInPlace(NDArray)"/>).</summary>
    public void SubtractInPlace(NDArray other) => InPlace(other, BinOp.Sub);
    /// <summary>Subtracts a float scalar in place (<c>a -= b</c>).</summary>
    public void SubtractInPlace(double other) => InPlace(S(other), BinOp.Sub);
    /// <summary>Subtracts an integer scalar in place (<c>a -= b</c>).</summary>
    public void SubtractInPlace(long other) => InPlace(S(other), BinOp.Sub);
    /// <summary>Multiplies this array by <paramref name="other"/> in place, NumPy's <c>a *= b</c> (rules as <see cref="AddInPlace(NDArray)"/>).</summary>
    public void MultiplyInPlace(NDArray other) => InPlace(other, BinOp.Mul);
    /// <summary>Multiplies by a float scalar in place (<c>a *= b</c>).</summary>
    public void MultiplyInPlace(double other) => InPlace(S(other), BinOp.Mul);
    /// <summary>Multiplies by an integer scalar in place (<c>a *= b</c>).</summary>
    public void MultiplyInPlace(long other) => InPlace(S(other), BinOp.Mul);
    /// <summary>Divides this array by <paramref name="other"/> in place, NumPy's <c>a /= b</c> (float arrays only, as in NumPy).</summary>
    public void DivideInPlace(NDArray other) => InPlace(other, BinOp.Div);
    /// <summary>Divides by a scalar in place (<c>a /= b</c>).</summary>
    public void DivideInPlace(double other) => InPlace(S(other), BinOp.Div);

    /// <summary>
    /// this −= alpha · x in place, rounding like NumPy's <c>a -= alpha * x</c> (product first, then the
    /// difference) but without the temporary array; the optimizers' update. Falls back to the general rules
    /// when x needs broadcasting or conversion.
    /// </summary>
    internal void SubtractScaledInPlace(double alpha, NDArray x)
    {
        if (x.DType != DType || !DType.IsFloat() || !ShapeUtil.SameShape(x.Dims, Dims))
        {
            SubtractInPlace(x * alpha);
            return;
        }
        DTypeSwitch.Float(DType, new SubtractScaled(this, alpha, x));
    }

    readonly struct SubtractScaled(NDArray p, double alpha, NDArray x) : IFloatOp
    {
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Invoke<T>() where T : unmanaged, IFloatingPointIeee754<T> =>
            ElementKernels.SubtractScaled(Unsafe.As<T[]>(p.Buffer), T.CreateTruncating(alpha), Unsafe.As<T[]>(x.Buffer), p.Size);
    }

    void InPlace(NDArray other, BinOp op)
    {
        ArgumentNullException.ThrowIfNull(other);
        string name = InPlaceNames[(int)op];
        var dt = BinaryType(this, other, op, name);
        CheckInto(this, other, dt, name);
        if (dt == DType) Binary(this, other, op, this);
        else Casting.Into(Binary(this, other, op), this);
    }

    // NumPy's rules for writing a result of dtype dt, broadcast from src, into dst.
    static void CheckInto(NDArray dst, NDArray src, DType dt, string name)
    {
        var shape = ShapeUtil.Broadcast(dst.Dims, src.Dims, name);
        if (!ShapeUtil.SameShape(shape, dst.Dims))
            throw new ArgumentException($"{name}: non-broadcastable output operand with shape {ShapeUtil.Str(dst.Dims)} doesn't match the broadcast shape {ShapeUtil.Str(shape)}.");
        if (dt.Kind() > dst.DType.Kind())
            throw new ArgumentException($"{name}: cannot cast {dt.Name()} to the {dst.DType.Name()} array of shape {ShapeUtil.Str(dst.Dims)} under NumPy's same_kind rule.");
    }

    /// <summary>
    /// Copies <paramref name="src"/> into <paramref name="dst"/> (NumPy's <c>np.copyto</c>, <c>dst[...] = src</c>),
    /// broadcasting and converting by the same_kind rule; on error <paramref name="dst"/> is unchanged.
    /// </summary>
    public static void CopyTo(NDArray dst, NDArray src)
    {
        ArgumentNullException.ThrowIfNull(dst);
        ArgumentNullException.ThrowIfNull(src);
        CheckInto(dst, src, src.DType, "NDArray.CopyTo");
        Casting.Into(src.BroadcastTo(dst.Dims), dst);
    }

    // ---- unary math ----

    enum UnOp { Sin, Cos, Tan, Tanh, Exp, Log, Sqrt }

    // Integer and bool inputs compute in float64 (NumPy gives float16 for bool, which we do not have).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static NDArray Unary(NDArray a, UnOp op)
    {
        ArgumentNullException.ThrowIfNull(a);
        var x = a.DType.IsFloat() ? a : a.AsType(DType.Float64);
        var r = Uninitialized(x.DType, x.Dims);
        DTypeSwitch.Float(x.DType, new UnaryOperation(op, x, r));
        return r;
    }

    readonly struct UnaryOperation(UnOp op, NDArray x, NDArray r) : IFloatOp
    {
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Invoke<T>() where T : unmanaged, IFloatingPointIeee754<T> => Unary<T>(op, x.Span<T>(), r.Span<T>());
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static void Unary<T>(UnOp op, ReadOnlySpan<T> x, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T>
    {
        switch (op)
        {
            case UnOp.Sin: TensorPrimitives.Sin(x, d); break;
            case UnOp.Cos: TensorPrimitives.Cos(x, d); break;
            case UnOp.Tan: TensorPrimitives.Tan(x, d); break;
            case UnOp.Tanh:
                // TensorPrimitives.Tanh loses the relative accuracy near 0 (it gives tanh(1e-300) = 0); the scalar one does not.
                for (int i = 0; i < x.Length; i++) d[i] = T.Tanh(x[i]);
                break;
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

    /// <summary>Elementwise negation, wrapping for integers (bool arrays are refused, like NumPy).</summary>
    public static NDArray Negative(NDArray a)
    {
        ArgumentNullException.ThrowIfNull(a);
        if (a.DType == DType.Bool)
            throw new ArgumentException($"NDArray.Negative: negating a bool array (shape {ShapeUtil.Str(a.Dims)}) is not supported, as in NumPy; use LogicalNot.");
        var r = Uninitialized(a.DType, a.Dims);
        DTypeSwitch.Number(a.DType, new Negation(a, r));
        return r;
    }

    readonly struct Negation(NDArray a, NDArray r) : INumberOp
    {
        public void Invoke<T>() where T : unmanaged, INumber<T>, IMinMaxValue<T> => TensorPrimitives.Negate<T>(a.Span<T>(), r.Span<T>());
    }

    /// <summary>Elementwise absolute value, keeping the dtype (the most negative integer stays negative, as in NumPy).</summary>
    public static NDArray Abs(NDArray a)
    {
        ArgumentNullException.ThrowIfNull(a);
        if (a.DType == DType.Bool) return a.Copy();
        var r = Uninitialized(a.DType, a.Dims);
        DTypeSwitch.Arithmetic(a.DType, new Absolute(a, r));
        return r;
    }

    readonly struct Absolute(NDArray a, NDArray r) : IArithmeticOp
    {
        public void Float<T>() where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Abs<T>(a.Span<T>(), r.Span<T>());
        // TensorPrimitives.Abs throws on MinValue; NumPy wraps.
        public void Integer<T>() where T : unmanaged, IBinaryInteger<T>
        {
            Span<T> x = a.Span<T>(), d = r.Span<T>();
            for (int i = 0; i < x.Length; i++) d[i] = T.IsNegative(x[i]) ? -x[i] : x[i];
        }
    }

    /// <summary>Elementwise sign (−1, 0, +1; NaN stays NaN), keeping the dtype; NumPy's <c>np.sign</c> (not defined for bool).</summary>
    public static NDArray Sign(NDArray a)
    {
        ArgumentNullException.ThrowIfNull(a);
        if (a.DType == DType.Bool)
            throw new ArgumentException($"NDArray.Sign: not defined for a bool array (shape {ShapeUtil.Str(a.Dims)}), as in NumPy.");
        var r = Uninitialized(a.DType, a.Dims);
        for (int i = 0; i < a.Size; i++)
        {
            double v = a.GetFlat(i);
            r.SetFlat(i, double.IsNaN(v) ? v : Math.Sign(v));
        }
        return r;
    }

    /// <summary>
    /// Picks from <paramref name="x"/> where <paramref name="cond"/> is true (nonzero) and from <paramref name="y"/>
    /// elsewhere, broadcasting all three, NumPy's <c>np.where</c>.
    /// </summary>
    public static NDArray Where(NDArray cond, NDArray x, NDArray y)
    {
        ArgumentNullException.ThrowIfNull(cond);
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        var shape = ShapeUtil.Broadcast(ShapeUtil.Broadcast(cond.Dims, x.Dims, "NDArray.Where"), y.Dims, "NDArray.Where");
        var dt = DTypes.Result(x, y);
        var c = cond.As(DType.Bool).BroadcastTo(shape);
        var xs = x.As(dt).BroadcastTo(shape);
        var ys = y.As(dt).BroadcastTo(shape);
        var r = Uninitialized(dt, shape);
        DTypeSwitch.Element(dt, new Selection(c, xs, ys, r));
        return r;
    }

    readonly struct Selection(NDArray cond, NDArray x, NDArray y, NDArray r) : IElementOp
    {
        public void Invoke<T>() where T : unmanaged
        {
            Span<bool> c = cond.Span<bool>();
            Span<T> a = x.Span<T>(), b = y.Span<T>(), d = r.Span<T>();
            for (int i = 0; i < d.Length; i++) d[i] = c[i] ? a[i] : b[i];
        }
    }

    /// <summary>Where() with float scalar alternatives.</summary>
    public static NDArray Where(NDArray cond, double x, double y) => Where(cond, S(x), S(y));

    /// <summary>
    /// True when the arrays broadcast together and every element satisfies |a−b| ≤ atol + rtol·|b|, NumPy's
    /// <c>np.allclose</c>; infinities must match exactly, NaNs are equal only with <paramref name="equalNan"/>.
    /// </summary>
    public static bool AllClose(NDArray a, NDArray b, double rtol = 1e-5, double atol = 1e-8, bool equalNan = false)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        var shape = ShapeUtil.Broadcast(a.Dims, b.Dims, "NDArray.AllClose");
        var x = a.As(DType.Float64).BroadcastTo(shape).Span<double>();
        var y = b.As(DType.Float64).BroadcastTo(shape).Span<double>();
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
