using static DeZero.Tests.Functions.Cnn.CnnCheck;
using F = DeZero.Functions;

namespace DeZero.Tests.Functions.Cnn;

/// <summary>Max and average pooling against the book's DeZero (tests/data/cnn.json) and numerically.</summary>
public class PoolingTests
{
    public static TheoryData<string, DType> MaxCases() => Cases("pooling");
    public static TheoryData<string, DType> AverageCases() => Cases("average_pooling");

    static Variable Pool(bool max, Variable x, (int, int) k, (int, int) s, (int, int) p)
    {
        bool square = k.Item1 == k.Item2 && s.Item1 == s.Item2 && p.Item1 == p.Item2;
        return (max, square) switch
        {
            (true, true) => F.Pooling(x, k.Item1, s.Item1, p.Item1),
            (true, false) => F.Pooling(x, k, s, p),
            (false, true) => F.AveragePooling(x, k.Item1, s.Item1, p.Item1),
            (false, false) => F.AveragePooling(x, k, s, p),
        };
    }

    void MatchesDeZero(bool max, string name, DType dt)
    {
        var c = Case(max ? "pooling" : "average_pooling", name);
        Variable x = In(c, "x", dt);
        var y = Pool(max, x, Pair(c, "kernel"), Pair(c, "stride"), Pair(c, "pad"));
        AssertRef(c, "y", dt, y.Data);
        AssertBackward(c, dt, y, ("x", x));
    }

    [Theory]
    [MemberData(nameof(MaxCases))]
    public void PoolingMatchesDeZero(string name, DType dt) => MatchesDeZero(true, name, dt);

    [Theory]
    [MemberData(nameof(AverageCases))]
    public void AveragePoolingMatchesDeZero(string name, DType dt) => MatchesDeZero(false, name, dt);

    // x shape, kernel, stride, pad
    public static TheoryData<bool, int[], (int, int), (int, int), (int, int)> Shapes()
    {
        var data = new TheoryData<bool, int[], (int, int), (int, int), (int, int)>();
        foreach (var max in new[] { true, false })
        {
            data.Add(max, [2, 2, 4, 4], (2, 2), (2, 2), (0, 0));
            data.Add(max, [1, 2, 4, 5], (3, 3), (1, 1), (1, 1));
            data.Add(max, [1, 1, 5, 6], (3, 3), (2, 2), (1, 1));
            data.Add(max, [1, 2, 5, 5], (2, 3), (1, 2), (1, 0));
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void GradientCheck(bool max, int[] xs, (int, int) k, (int, int) s, (int, int) p) =>
        CnnCheck.GradientCheck(v => Pool(max, v[0], k, s, p), Randn(1, xs));

    [Theory]
    [MemberData(nameof(Shapes))]
    public void SecondOrder(bool max, int[] xs, (int, int) k, (int, int) s, (int, int) p) =>
        CnnCheck.GradientCheck(GradOf(v => Pool(max, v[0], k, s, p)), Randn(1, xs));

    [Theory]
    [MemberData(nameof(Shapes))]
    public void ThirdOrder(bool max, int[] xs, (int, int) k, (int, int) s, (int, int) p) =>
        CnnCheck.GradientCheck(GradOf(GradOf(v => Pool(max, v[0], k, s, p)), 11), Randn(1, xs));

    [Fact]
    public void MaxPoolingCountsPaddingAsZero()
    {
        // All inputs negative: a window that covers padding yields 0 and passes no gradient on.
        var x = -(NDArray.Arange(1.0, 10.0).Reshape(1, 1, 3, 3));
        var v = new Variable(x);
        var y = F.Pooling(v, 2, 1, 1);
        Assert.Equal(new double[] { 0, 0, 0, 0, 0, -1, -2, 0, 0, -4, -5, 0, 0, 0, 0, 0 }, y.Data.ToArray<double>());
        y.Backward();
        Assert.Equal(new double[] { 1, 1, 0, 1, 1, 0, 0, 0, 0 }, v.Grad!.Data.ToArray<double>());
    }

    [Fact]
    public void AveragePoolingDividesByTheWholeWindow()
    {
        var x = NDArray.Ones(1, 1, 2, 2);
        var y = F.AveragePooling(x, 2, 2, 1);
        Assert.Equal(new double[] { 0.25, 0.25, 0.25, 0.25 }, y.Data.ToArray<double>());
    }

    [Fact]
    public void MaxPoolingTiesGoToTheFirstMaximum()
    {
        var v = new Variable(NDArray.Ones(1, 1, 2, 2));
        F.Pooling(v, 2).Backward();
        Assert.Equal(new double[] { 1, 0, 0, 0 }, v.Grad!.Data.ToArray<double>());
    }

    [Fact]
    public void MaxPoolingPropagatesNaN()
    {
        var x = NDArray.FromArray(new[, , ,] { { { { 1.0, double.NaN }, { 3.0, 2.0 } } } });
        var v = new Variable(x);
        var y = F.Pooling(v, 2);
        Assert.True(double.IsNaN(y.Data.ToScalar<double>()));
        y.Backward();
        Assert.Equal(new double[] { 0, 1, 0, 0 }, v.Grad!.Data.ToArray<double>());
    }

    static void AssertThrows(Action act, params string[] parts)
    {
        var ex = Assert.Throws<ArgumentException>(act);
        foreach (var part in parts) Assert.Contains(part, ex.Message);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void RejectsBadInput(bool max)
    {
        string op = max ? "F.Pooling" : "F.AveragePooling";
        var x = Randn(1, 1, 2, 3, 3);
        AssertThrows(() => Pool(max, x, (4, 4), (1, 1), (0, 0)), op, "(1, 2, 3, 3)", "(4, 4)", "pad (0, 0)");
        AssertThrows(() => Pool(max, x, (2, 2), (0, 0), (0, 0)), op, "(1, 2, 3, 3)", "stride (0, 0)");
        AssertThrows(() => Pool(max, x, (2, 2), (1, 1), (-1, 0)), op, "(1, 2, 3, 3)", "pad (-1, 0)");
        AssertThrows(() => Pool(max, Randn(1, 2, 3, 3), (2, 2), (1, 1), (0, 0)), op, "(2, 3, 3)");
        AssertThrows(() => Pool(max, new NDArray(new int[9], 1, 1, 3, 3), (2, 2), (1, 1), (0, 0)), op, "int32");
    }
}
