namespace DeZero.Tests.Numerics;

using static Golden;

/// <summary>Factories, FromArray dtype inference and AsType against NumPy.</summary>
public class NDArrayFactoryTests
{
    public static TheoryData<string> CreateCases => Names("ndarray_create");
    public static TheoryData<string> AsTypeCases => Names("ndarray_astype");

    [Theory, MemberData(nameof(CreateCases))]
    public void Factories(string name)
    {
        var c = Case("ndarray_create", name);
        int[] Shape() => Ints(c.GetProperty("shape"));
        double[] Args() => c.GetProperty("args").EnumerateArray().Select(x => x.GetDouble()).ToArray();
        Func<NDArray> run = c.Str("op") switch
        {
            "zeros" => () => NDArray.Zeros(Shape(), ParseDType(c.Str("dtype"))),
            "ones" => () => NDArray.Ones(Shape(), ParseDType(c.Str("dtype"))),
            "full" => () => NDArray.Full(Shape(), c.GetProperty("value").GetDouble(), ParseDType(c.Str("dtype"))),
            "arange_int" => () => Args() switch
            {
                [var stop] => NDArray.Arange((int)stop),
                [var start, var stop] => NDArray.Arange((int)start, (int)stop),
                var a => NDArray.Arange((int)a[0], (int)a[1], (int)a[2]),
            },
            "arange_float" => () => name.EndsWith("stop_only") ? NDArray.Arange(Args()[1]) : NDArray.Arange(Args()[0], Args()[1], Args()[2]),
            "linspace" => () => NDArray.Linspace(c.GetProperty("start").GetDouble(), c.GetProperty("stop").GetDouble(),
                c.GetProperty("num").GetInt32(), c.GetProperty("endpoint").GetBoolean()),
            "eye" => () => NDArray.Eye(c.GetProperty("n").GetInt32(),
                c.GetProperty("m").ValueKind == System.Text.Json.JsonValueKind.Null ? null : c.GetProperty("m").GetInt32(), ParseDType(c.Str("dtype"))),
            "promote_types" => () => NDArray.Zeros([], DTypes.Promote(ParseDType(c.Str("a")), ParseDType(c.Str("b")))),
            var op => throw new ArgumentException(op),
        };
        Check(c, run);
    }

    [Theory, MemberData(nameof(AsTypeCases))]
    public void AsType(string name)
    {
        var c = Case("ndarray_astype", name);
        var x = Reference.Array(c.GetProperty("x"));
        var before = x.Copy();
        Check(c, () => x.AsType(ParseDType(c.Str("dtype"))));
        AssertMatch(before, x, "exact", "input after AsType");
    }

    [Fact]
    public void FromArrayInfersDTypeAndShape()
    {
        var cases = new (Array data, DType dtype, int[] shape)[]
        {
            (new[] { 1.5, 2 }, DType.Float64, [2]),
            (new[] { 1f, 2f, 3f }, DType.Float32, [3]),
            (new[] { 1L, 2L }, DType.Int64, [2]),
            (new[] { 1, 2 }, DType.Int32, [2]),
            (new[] { true, false }, DType.Bool, [2]),
            (new[,] { { 1.0, 2, 3 }, { 4, 5, 6 } }, DType.Float64, [2, 3]),
            (new[] { new[] { 1, 2, 3 }, new[] { 4, 5, 6 } }, DType.Int32, [2, 3]),
            (new[] { new[,] { { 1L }, { 2L } }, new[,] { { 3L }, { 4L } } }, DType.Int64, [2, 2, 1]),
            (new double[0, 3], DType.Float64, [0, 3]),
            (new[] { new float[0], new float[0] }, DType.Float32, [2, 0]),
        };
        foreach (var (data, dtype, shape) in cases)
        {
            var a = NDArray.FromArray(data);
            Assert.Equal(dtype, a.DType);
            Assert.Equal(shape, a.Shape);
            // C order: the flattened rectangular or jagged array counts up.
            if (a.Size == 6) Assert.Equal(new[] { 1.0, 2, 3, 4, 5, 6 }, a.ToArray<double>());
        }
        Assert.Equal(new[] { 1.0, 2, 3, 4 }, NDArray.FromArray(cases[7].data).ToArray<double>());
    }

    [Fact]
    public void FromArrayScalarsAre0D()
    {
        Assert.Equal((DType.Float64, 0), (NDArray.FromArray(2.5).DType, NDArray.FromArray(2.5).Ndim));
        Assert.Equal(DType.Float32, NDArray.FromArray(2.5f).DType);
        Assert.Equal(DType.Int64, NDArray.FromArray(2L).DType);
        Assert.Equal(DType.Int32, NDArray.FromArray(2).DType);
        Assert.Equal(DType.Bool, NDArray.FromArray(true).DType);
        Assert.Equal(-7L, (long)NDArray.FromArray(-7L));
    }

    [Fact]
    public void FromArrayCopies()
    {
        var data = new[] { 1.0, 2.0 };
        var a = NDArray.FromArray(data);
        data[0] = 9;
        Assert.Equal(1.0, a.ToArray<double>()[0]);
    }

    [Fact]
    public void LikeFillAndScalars()
    {
        var a = NDArray.FromArray(new[,] { { 1, 2, 3 }, { 4, 5, 6 } });
        var z = NDArray.ZerosLike(a);
        var o = NDArray.OnesLike(a);
        Assert.Equal(DType.Int32, z.DType);
        Assert.Equal(new[] { 2, 3 }, z.Shape);
        Assert.Equal(new long[6], z.ToArray<long>());
        Assert.Equal(Enumerable.Repeat(1L, 6), o.ToArray<long>());
        o.Fill(-2.9);
        Assert.Equal(Enumerable.Repeat(-2L, 6), o.ToArray<long>());
        var s = NDArray.Scalar(1.5, DType.Float32);
        Assert.Equal((DType.Float32, 0, 1.5f), (s.DType, s.Ndim, (float)s));
        Assert.Equal((DType.Float64, 0, 2.5), (NDArray.Scalar(2.5).DType, NDArray.Scalar(2.5).Ndim, (double)NDArray.Scalar(2.5)));
    }

    [Fact]
    public void ConversionsAndAccessors()
    {
        var a = NDArray.FromArray(new[,] { { 1.5, -2.5 } });
        Assert.Equal((1, 2, 2), (a.Length, a.Ndim, a.Size));
        Assert.Equal(new[] { 1, -2 }, a.ToArray<int>());
        Assert.Equal(new[] { true, true }, a.ToArray<bool>());
        Assert.Equal(-2.5, a.AsSpan<double>()[1]);
        Assert.Throws<InvalidOperationException>(() => a.AsSpan<float>());
        Assert.Throws<InvalidOperationException>(() => a.ToScalar<double>());
        Assert.Throws<InvalidOperationException>(() => NDArray.FromArray(1.0).Length);
        Assert.Equal(3L, (long)NDArray.FromArray(new[] { 3.7 }));
        Assert.True((bool)NDArray.FromArray(new[] { 0.5f }));
        Assert.Equal(7, (int)NDArray.FromArray(new[,] { { 7L } }));
        int[] shape = a.Shape;
        shape[0] = 9;
        Assert.Equal(new[] { 1, 2 }, a.Shape);
        var c = a.Copy();
        c.Fill(0);
        Assert.Equal(new[] { 1.5, -2.5 }, a.ToArray<double>());
    }

    [Fact]
    public void DTypeFacts()
    {
        DType[] all = [DType.Bool, DType.Int32, DType.Int64, DType.Float32, DType.Float64];
        Assert.Equal(new[] { "bool", "int32", "int64", "float32", "float64" }, all.Select(t => t.Name()));
        Assert.Equal(new[] { 1, 4, 8, 4, 8 }, all.Select(t => t.ItemSize()));
        Assert.Equal(new[] { typeof(bool), typeof(int), typeof(long), typeof(float), typeof(double) }, all.Select(t => t.ClrType()));
        Assert.Equal(all, all.Select(t => DTypes.Of(t.ClrType())));
        Assert.Equal(DType.Float32, DTypes.Of<float>());
        Assert.Equal(new[] { false, true, true, false, false }, all.Select(t => t.IsInteger()));
        Assert.Equal(new[] { false, false, false, true, true }, all.Select(t => t.IsFloat()));
        Assert.Throws<ArgumentException>(() => DTypes.Of<decimal>());
    }
}
