namespace DeZero.Tests.Numerics;

using static Golden;

/// <summary>Elementwise operations against NumPy: values and result dtypes over the promotion grid, broadcasting, specials.</summary>
public class ElementwiseTests
{
    public static TheoryData<string> BinaryCases => Names("ndarray_binary");
    public static TheoryData<string> UnaryCases => Names("ndarray_unary");
    public static TheoryData<string> OtherCases => Names("ndarray_elementwise");
    public static TheoryData<string> InPlaceCases => Names("ndarray_inplace");

    [Theory, MemberData(nameof(BinaryCases))]
    public void Binary(string name)
    {
        var c = Case("ndarray_binary", name);
        object a = Operand(c.GetProperty("a")), b = Operand(c.GetProperty("b"));
        Check(c, () => Apply(c.Str("op"), a, b), Arr(a), Arr(b));
    }

    // C# scalars go through the scalar overloads (operators, Power, Maximum, …) where they exist, like Python
    // scalars in NumPy; elsewhere they become 0-d arrays, which NumPy treats alike.
    static NDArray Apply(string op, object a, object b)
    {
        dynamic x = a, y = b;
        return op switch
        {
            "add" => x + y,
            "subtract" => x - y,
            "multiply" => x * y,
            "divide" => x / y,
            "remainder" => x % y,
            "floor_divide" => NDArray.FloorDivide(Arr(a), Arr(b)),
            "power" => b is NDArray ? NDArray.Power(Arr(a), (NDArray)b) : NDArray.Power(Arr(a), y),
            "maximum" => b is NDArray ? NDArray.Maximum(Arr(a), (NDArray)b) : NDArray.Maximum(Arr(a), y),
            "minimum" => b is NDArray ? NDArray.Minimum(Arr(a), (NDArray)b) : NDArray.Minimum(Arr(a), y),
            "greater" => x > y,
            "greater_equal" => x >= y,
            "less" => x < y,
            "less_equal" => x <= y,
            "equal" => b is double d ? NDArray.Equal(Arr(a), d) : NDArray.Equal(Arr(a), Arr(b)),
            "not_equal" => b is double e ? NDArray.NotEqual(Arr(a), e) : NDArray.NotEqual(Arr(a), Arr(b)),
            _ => throw new ArgumentException(op),
        };
    }

    [Theory, MemberData(nameof(UnaryCases))]
    public void Unary(string name)
    {
        var c = Case("ndarray_unary", name);
        var x = Reference.Array(c.GetProperty("x"));
        Func<NDArray, NDArray> f = c.Str("op") switch
        {
            "negative" => a => -a,
            "abs" => NDArray.Abs,
            "sign" => NDArray.Sign,
            "sin" => NDArray.Sin,
            "cos" => NDArray.Cos,
            "tan" => NDArray.Tan,
            "tanh" => NDArray.Tanh,
            "exp" => NDArray.Exp,
            "log" => NDArray.Log,
            "sqrt" => NDArray.Sqrt,
            var op => throw new ArgumentException(op),
        };
        Check(c, () => f(x), x);
    }

    [Theory, MemberData(nameof(OtherCases))]
    public void WhereClipLogicalAllClose(string name)
    {
        var c = Case("ndarray_elementwise", name);
        switch (c.Str("op"))
        {
            case "where":
                var cond = Reference.Array(c.GetProperty("cond"));
                object x = Operand(c.GetProperty("x")), y = Operand(c.GetProperty("y"));
                Check(c, () => x is double p && y is double q ? NDArray.Where(cond, p, q) : NDArray.Where(cond, Arr(x), Arr(y)));
                break;
            case "clip":
                var v = Reference.Array(c.GetProperty("x"));
                object lo = Operand(c.GetProperty("min")), hi = Operand(c.GetProperty("max"));
                Check(c, () => lo is long l && hi is long h ? NDArray.Clip(v, l, h) : NDArray.Clip(v, Convert.ToDouble(lo), Convert.ToDouble(hi)), v);
                break;
            case "logical_not":
                var n = Reference.Array(c.GetProperty("a"));
                Check(c, () => NDArray.LogicalNot(n), n);
                break;
            case "allclose":
                NDArray a = Reference.Array(c.GetProperty("a")), b = Reference.Array(c.GetProperty("b"));
                bool Run() => NDArray.AllClose(a, b, c.GetProperty("rtol").GetDouble(), c.GetProperty("atol").GetDouble(), c.GetProperty("equal_nan").GetBoolean());
                if (c.TryGetProperty("error", out _)) Assert.ThrowsAny<ArgumentException>(() => Run());
                else Assert.Equal(Reference.Array(c.GetProperty("out")).ToScalar<bool>(), Run());
                break;
            case var op:
                NDArray l1 = Reference.Array(c.GetProperty("a")), l2 = Reference.Array(c.GetProperty("b"));
                Func<NDArray, NDArray, NDArray> f = op switch
                {
                    "logical_and" => NDArray.LogicalAnd,
                    "logical_or" => NDArray.LogicalOr,
                    _ => NDArray.LogicalXor,
                };
                Check(c, () => f(l1, l2), l1, l2);
                break;
        }
    }

    [Theory, MemberData(nameof(InPlaceCases))]
    public void InPlace(string name)
    {
        var c = Case("ndarray_inplace", name);
        var a = Reference.Array(c.GetProperty("a"));
        var b = Operand(c.GetProperty("b"));
        Action run = (c.Str("op"), b) switch
        {
            ("add", NDArray y) => () => a.AddInPlace(y),
            ("add", double y) => () => a.AddInPlace(y),
            ("add", long y) => () => a.AddInPlace(y),
            ("subtract", NDArray y) => () => a.SubtractInPlace(y),
            ("subtract", double y) => () => a.SubtractInPlace(y),
            ("subtract", long y) => () => a.SubtractInPlace(y),
            ("multiply", NDArray y) => () => a.MultiplyInPlace(y),
            ("multiply", double y) => () => a.MultiplyInPlace(y),
            ("multiply", long y) => () => a.MultiplyInPlace(y),
            ("divide", NDArray y) => () => a.DivideInPlace(y),
            ("divide", var y) => () => a.DivideInPlace(Convert.ToDouble(y)),
            ("copyto", NDArray y) => () => NDArray.CopyTo(a, y),
            var k => throw new ArgumentException(k.ToString()),
        };
        Check(c, () => { run(); return a; }, a);
    }

    [Fact]
    public void InPlaceWritesIntoTheSameBufferAndViews()
    {
        var a = NDArray.Arange(0.0, 6.0);
        var view = a.Reshape(2, 3);
        view.MultiplyInPlace(2L);
        a.AddInPlace(a);
        Assert.Equal(new[] { 0.0, 4, 8, 12, 16, 20 }, view.ToArray<double>());
        Assert.Equal(DType.Float64, a.DType);
    }

    [Fact]
    public void CopyToBroadcastsConvertsAndAllowsItself()
    {
        var a = NDArray.Zeros(2, 3);
        NDArray.CopyTo(a, NDArray.FromArray(new[] { 1, 2, 3 }));
        Assert.Equal(new[] { 1.0, 2, 3, 1, 2, 3 }, a.ToArray<double>());
        NDArray.CopyTo(a, a.Reshape(6).Reshape(2, 3));
        Assert.Equal(new[] { 1.0, 2, 3, 1, 2, 3 }, a.ToArray<double>());
    }

    [Fact]
    public void InPlaceBoolArithmeticIsLogical()
    {
        var a = NDArray.FromArray(new[] { true, false, false });
        a.AddInPlace(NDArray.FromArray(new[] { false, false, true }));
        Assert.Equal(new[] { true, false, true }, a.ToArray<bool>());
        a.MultiplyInPlace(NDArray.FromArray(new[] { true, true, false }));
        Assert.Equal(new[] { true, false, false }, a.ToArray<bool>());
    }

    // NumPy returns int8 for these and float16 for math on bools; we have neither and use int64 and float64.
    [Fact]
    public void BoolArithmeticWithoutNumPyDTypes()
    {
        var t = NDArray.FromArray(new[] { true, true, false });
        var f = NDArray.FromArray(new[] { true, false, true });
        var mod = t % f;
        Assert.Equal(DType.Int64, mod.DType);
        Assert.Equal(new long[] { 0, 0, 0 }, mod.ToArray<long>());
        Assert.Equal(new long[] { 1, 0, 0 }, NDArray.FloorDivide(t, f).ToArray<long>());
        Assert.Equal(new long[] { 1, 1, 0 }, NDArray.Power(t, f).ToArray<long>());
        var sin = NDArray.Sin(t);
        Assert.Equal(DType.Float64, sin.DType);
        Assert.Equal(new[] { Math.Sin(1), Math.Sin(1), 0 }, sin.ToArray<double>(), (e, a) => Math.Abs(e - a) <= 1e-15);
    }

    [Fact]
    public void ScalarOperatorsKeepFloat32()
    {
        var a = NDArray.FromArray(new[] { 1f, 2f });
        Assert.Equal(DType.Float32, (a * 0.1).DType);
        Assert.Equal(DType.Float32, (2L - a).DType);
        Assert.Equal(DType.Float32, (a / 3).DType);
        Assert.Equal(DType.Float32, NDArray.Maximum(a, 0).DType);
        Assert.Equal(DType.Int32, NDArray.Power(NDArray.FromArray(new[] { 2, 3 }), 2).DType);
        Assert.Equal(new[] { 0.1f, 0.2f }, (a * 0.1).ToArray<float>());
    }
}
