using F = DeZero.Functions;

namespace DeZero.Tests.Functions.Cnn;

/// <summary>Max and average pooling: the battery of <see cref="FunctionTestCase{TSelf}"/> on the cases of tests/data/cnn.json, third derivatives, padding, ties and NaN.</summary>
public class PoolingTests : FunctionTestCase<PoolingTests>
{
    protected override Dictionary<string, Func<Variable[], Variable>> Cases => new()
    {
        ["pooling_k2_s2"] = x => F.Pooling(x[0], 2, 2),
        ["pooling_k3_s1"] = x => F.Pooling(x[0], 3),
        ["pooling_k3_s1_pad1"] = x => F.Pooling(x[0], 3, 1, 1),
        ["pooling_k2_s1_pad1"] = x => F.Pooling(x[0], 2, 1, 1),
        ["pooling_k3_s2_pad1"] = x => F.Pooling(x[0], 3, 2, 1),
        ["pooling_k3_s2_odd"] = x => F.Pooling(x[0], 3, 2),
        ["pooling_k2_s2_pad1"] = x => F.Pooling(x[0], 2, 2, 1),
        ["pooling_pairs"] = x => F.Pooling(x[0], (2, 3), (1, 2), (1, 0)),
        ["pooling_negative_pad1"] = x => F.Pooling(x[0], 3, 1, 1),
        ["average_pooling_k2_s2"] = x => F.AveragePooling(x[0], 2, 2),
        ["average_pooling_k3_s1"] = x => F.AveragePooling(x[0], 3),
        ["average_pooling_k3_s1_pad1"] = x => F.AveragePooling(x[0], 3, 1, 1),
        ["average_pooling_k2_s1_pad1"] = x => F.AveragePooling(x[0], 2, 1, 1),
        ["average_pooling_k3_s2_pad1"] = x => F.AveragePooling(x[0], 3, 2, 1),
        ["average_pooling_k3_s2_odd"] = x => F.AveragePooling(x[0], 3, 2),
        ["average_pooling_k2_s2_pad1"] = x => F.AveragePooling(x[0], 2, 2, 1),
        ["average_pooling_pairs"] = x => F.AveragePooling(x[0], (2, 3), (1, 2), (1, 0)),
    };

    protected override Dictionary<string, Func<Variable, Variable>> Calls => new()
    {
        ["Pooling"] = w => F.Pooling(w, 2),
        ["AveragePooling"] = w => F.AveragePooling(w, 2),
    };

    public static TheoryData<string> ThirdOrderCases => CaseNames;

    /// <summary>Pooling's backward is differentiable twice more: third derivatives against central differences.</summary>
    [Theory, MemberData(nameof(ThirdOrderCases))]
    public void ThirdOrder(string name) => FunctionTester.CheckHigherOrder(name, Cases[name], order: 3);

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

    static Variable Pool(bool max, Variable x, (int, int) k, (int, int) s, (int, int) p) =>
        max ? F.Pooling(x, k, s, p) : F.AveragePooling(x, k, s, p);

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void RejectsBadInput(bool max)
    {
        string op = max ? "F.Pooling" : "F.AveragePooling";
        var x = new RandomState(1).Randn(1, 2, 3, 3);
        AssertThrows(() => Pool(max, x, (4, 4), (1, 1), (0, 0)), op, "(1, 2, 3, 3)", "(4, 4)", "pad (0, 0)");
        AssertThrows(() => Pool(max, x, (2, 2), (0, 0), (0, 0)), op, "(1, 2, 3, 3)", "stride (0, 0)");
        AssertThrows(() => Pool(max, x, (2, 2), (1, 1), (-1, 0)), op, "(1, 2, 3, 3)", "pad (-1, 0)");
        AssertThrows(() => Pool(max, new RandomState(1).Randn(2, 3, 3), (2, 2), (1, 1), (0, 0)), op, "(2, 3, 3)");
        AssertThrows(() => Pool(max, new NDArray(new int[9], 1, 1, 3, 3), (2, 2), (1, 1), (0, 0)), op, "int32");
    }
}
