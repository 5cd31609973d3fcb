namespace DeZero.Tests.Numerics;

using static Golden;

/// <summary>Sum, Mean, Var, Max, Min, Argmax and Argmin against NumPy over axes, keepdims, dtypes, NaN and empty arrays.</summary>
public class ReductionTests
{
    public static TheoryData<string> Cases => Names("ndarray_reduction");

    [Theory, MemberData(nameof(Cases))]
    public void MatchesNumPy(string name)
    {
        var c = Case("ndarray_reduction", name);
        var x = Reference.Array(c.GetProperty("x"));
        var axis = Axes(c);
        bool keep = c.GetProperty("keepdims").GetBoolean();
        // A single int axis goes through the int overloads.
        bool one = c.GetProperty("axis").ValueKind == System.Text.Json.JsonValueKind.Number;
        Func<NDArray> run = c.Str("op") switch
        {
            "sum" => () => one ? x.Sum(axis![0], keep) : x.Sum(axis, keep),
            "mean" => () => one ? x.Mean(axis![0], keep) : x.Mean(axis, keep),
            "max" => () => one ? x.Max(axis![0], keep) : x.Max(axis, keep),
            "min" => () => one ? x.Min(axis![0], keep) : x.Min(axis, keep),
            "var" => () => one ? x.Var(axis![0], keep) : x.Var(axis, keep),
            "argmax" => () => x.Argmax(axis?[0], keep),
            "argmin" => () => x.Argmin(axis?[0], keep),
            var op => throw new ArgumentException(op),
        };
        Check(c, run, x);
    }

    // From 2^17 elements the runs of a reduction over trailing axes are shared among the cores: each run must come
    // out as the same reduction of that run alone (a plane of a (40, 30, 12, 12) array, a convolution bias gradient).
    [Theory]
    [InlineData(DType.Float32)]
    [InlineData(DType.Float64)]
    [InlineData(DType.Int64)]
    public void LargeReductionsOverTrailingAxesEqualEachRunAlone(DType dt)
    {
        var x = (new RandomState(0).Randn(40, 30, 12, 12) * 100.0).AsType(dt);
        var planes = x.Reshape(1200, 144);
        var (sum, max, min) = (x.Sum([2, 3]).Reshape(1200), x.Max([2, 3]).Reshape(1200), x.Min([2, 3]).Reshape(1200));
        for (int i = 0; i < 1200; i++)
        {
            var plane = planes[i];
            Assert.Equal(plane.Sum().ToScalar<double>(), sum[i].ToScalar<double>());
            Assert.Equal(plane.Max().ToScalar<double>(), max[i].ToScalar<double>());
            Assert.Equal(plane.Min().ToScalar<double>(), min[i].ToScalar<double>());
        }
        var bias = x.Sum([0, 2, 3]);
        var expected = x.Sum([2, 3])[0];
        for (int n = 1; n < 40; n++) expected = expected + x.Sum([2, 3])[n];
        Assert.Equal(expected.ToArray<double>(), bias.ToArray<double>());
    }

    [Fact]
    public void SumOfInt64IsExactBeyondDoublePrecision()
    {
        var a = NDArray.FromArray(new[] { long.MaxValue - 10, 3L, 4L });
        Assert.Equal(long.MaxValue - 3, a.Sum().ToScalar<long>());
        // Both large values round to the same double; the comparison must be on the integers.
        Assert.Equal(1L, NDArray.FromArray(new[] { long.MaxValue - 1, long.MaxValue, 5L }).Argmax().ToScalar<long>());
    }
}
