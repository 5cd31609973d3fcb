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

    [Fact]
    public void SumOfInt64IsExactBeyondDoublePrecision()
    {
        var a = NDArray.FromArray(new[] { long.MaxValue - 10, 3L, 4L });
        Assert.Equal(long.MaxValue - 3, a.Sum().ToScalar<long>());
        // Both large values round to the same double; the comparison must be on the integers.
        Assert.Equal(1L, NDArray.FromArray(new[] { long.MaxValue - 1, long.MaxValue, 5L }).Argmax().ToScalar<long>());
    }
}
