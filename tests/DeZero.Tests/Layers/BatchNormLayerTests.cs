using System.Text.Json;
using DeZero.Optimizers;
using F = DeZero.Functions;
using L = DeZero.Layers;

namespace DeZero.Tests.Layers;

/// <summary>L.BatchNorm against the Python DeZero (tests/data/layers2.json): lazy parameters, training and test forward, gradients.</summary>
[Collection("GlobalRandom")]
public class BatchNormLayerTests
{
    static readonly JsonElement Ref = Reference.Load("layers2");

    static NDArray R(string section, string name) => Reference.Array(Ref.GetProperty(section).GetProperty(name));

    [Theory]
    [InlineData("bn_2d_f64", 1e-12)]
    [InlineData("bn_4d_f32", 1e-5)]
    public void TrainingThenTestModeMatchesTheBook(string section, double rtol)
    {
        var (x1, x2, c) = (R(section, "x1"), R(section, "x2"), R(section, "c"));
        var bn = new L.BatchNorm();
        Assert.All(bn.Params(), p => Assert.False(p.HasData));

        var y1 = bn.Call(x1);
        var x2v = new Variable(x2);
        var y2 = bn.Call(x2v);
        F.Sum(y2 * c).Backward();
        Variable y3;
        using (Config.TestMode()) y3 = bn.Call(x1);

        Reference.AssertClose(R(section, "y1"), y1.Data, rtol, atol: rtol, what: "y1");
        Reference.AssertClose(R(section, "y2"), y2.Data, rtol, atol: rtol, what: "y2");
        Reference.AssertClose(R(section, "y_test"), y3.Data, rtol, atol: rtol, what: "y_test");
        Reference.AssertClose(R(section, "avg_mean"), bn.AvgMean.Data, rtol, atol: rtol, what: "avg_mean");
        Reference.AssertClose(R(section, "avg_var"), bn.AvgVar.Data, rtol, atol: rtol, what: "avg_var");
        Reference.AssertClose(R(section, "gx"), x2v.Grad!.Data, rtol, atol: rtol, what: "gx");
        Reference.AssertClose(R(section, "ggamma"), bn.Gamma.Grad!.Data, rtol, atol: rtol, what: "ggamma");
        Reference.AssertClose(R(section, "gbeta"), bn.Beta.Grad!.Data, rtol, atol: rtol, what: "gbeta");
        Assert.Null(bn.AvgMean.Grad);
        Assert.Null(bn.AvgVar.Grad);
    }

    [Fact]
    public void ParametersAreKeyedLikeTheBookAndCreatedFromTheInput()
    {
        var bn = new L.BatchNorm();
        Assert.Equal(["avg_mean", "avg_var", "gamma", "beta"], bn.NamedParams().Select(e => e.Key));
        Assert.Equal(["avg_mean", "avg_var", "gamma", "beta"], bn.Params().Select(p => p.Name));
        using (Config.TestMode()) bn.Call(NDArray.Ones(2, 3, 4, 4).AsType(DType.Float32));
        Assert.Equal(new float[] { 0, 0, 0 }, bn.AvgMean.Data.ToArray<float>());
        Assert.Equal(new float[] { 1, 1, 1 }, bn.AvgVar.Data.ToArray<float>());
        Assert.Equal(new float[] { 1, 1, 1 }, bn.Gamma.Data.ToArray<float>());
        Assert.Equal(new float[] { 0, 0, 0 }, bn.Beta.Data.ToArray<float>());
        Assert.All(bn.Params(), p => Assert.Equal(DType.Float32, p.Data.DType));
    }

    [Fact]
    public void LoadedParametersAreKeptAndUsedInTestMode()
    {
        var bn = new L.BatchNorm();
        bn.AvgMean.Data = NDArray.FromArray(new[] { 1.0, 2.0 });
        bn.AvgVar.Data = NDArray.FromArray(new[] { 4.0, 9.0 });
        bn.Gamma.Data = NDArray.FromArray(new[] { 2.0, 3.0 });
        var x = NDArray.FromArray(new[,] { { 3.0, 5.0 } });
        Variable y;
        using (Config.TestMode()) y = bn.Call(x);
        Assert.Equal(new[] { 0.0, 0.0 }, bn.Beta.Data.ToArray<double>());
        // gamma * (x - mean) / sqrt(var + eps) + beta, eps = 2e-5
        var expected = new[] { 2 * 2 / Math.Sqrt(4 + 2e-5), 3 * 3 / Math.Sqrt(9 + 2e-5) };
        Reference.AssertClose(NDArray.FromArray(new[,] { { expected[0], expected[1] } }), y.Data, 1e-15);
        Assert.Equal(new[] { 1.0, 2.0 }, bn.AvgMean.Data.ToArray<double>());
    }

    [Fact]
    public void AnOptimizerUpdatesGammaAndBetaButNotTheRunningStatistics()
    {
        var bn = new L.BatchNorm();
        var opt = new SGD(0.1).Setup(bn);
        var x = NDArray.FromArray(new[,] { { 1.0, 2.0 }, { 3.0, 7.0 }, { 2.0, 0.0 } });
        var c = NDArray.FromArray(new[,] { { 1.0, -2.0 }, { 0.5, 1.0 }, { 3.0, 2.0 } });
        F.Sum(bn.Call(x) * c).Backward();
        var mean = bn.AvgMean.Data.Copy();
        var variance = bn.AvgVar.Data.Copy();
        var gamma = bn.Gamma.Data - 0.1 * bn.Gamma.Grad!.Data;
        var beta = bn.Beta.Data - 0.1 * bn.Beta.Grad!.Data;
        opt.Update();
        Reference.AssertClose(mean, bn.AvgMean.Data, rtol: 0);
        Reference.AssertClose(variance, bn.AvgVar.Data, rtol: 0);
        Reference.AssertClose(gamma, bn.Gamma.Data, rtol: 0);
        Reference.AssertClose(beta, bn.Beta.Data, rtol: 0);
        Assert.NotEqual(0.0, (double)bn.Beta.Grad!.Data.Sum());
    }

    [Fact]
    public void BadInputNamesTheLayerAndShapes()
    {
        var bn = new L.BatchNorm();
        var e = Assert.Throws<ArgumentException>(() => bn.Call(NDArray.Ones(2, 3, 4)));
        Assert.Contains("L.BatchNorm", e.Message);
        Assert.Contains("(2, 3, 4)", e.Message);
        Assert.False(bn.Gamma.HasData);
        e = Assert.Throws<ArgumentException>(() => bn.Call(NDArray.Ones([2, 3], DType.Int64)));
        Assert.Contains("int64", e.Message);

        bn.Call(NDArray.Ones(2, 3));
        e = Assert.Throws<ArgumentException>(() => bn.Call(NDArray.Ones(2, 4)));
        Assert.Contains("L.BatchNorm", e.Message);
        Assert.Contains("(2, 4)", e.Message);
        Assert.Contains("(3,)", e.Message);
    }
}
