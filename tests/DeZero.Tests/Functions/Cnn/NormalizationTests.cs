using static DeZero.Tests.Functions.Cnn.CnnCheck;
using F = DeZero.Functions;

namespace DeZero.Tests.Functions.Cnn;

/// <summary>BatchNorm against the book's DeZero (tests/data/cnn.json): outputs, running statistics, gradients, test mode.</summary>
public class NormalizationTests
{
    public static TheoryData<string, DType> BatchNormCases() => Cases("batch_norm");

    [Theory]
    [MemberData(nameof(BatchNormCases))]
    public void BatchNormMatchesDeZero(string name, DType dt)
    {
        var c = Case("batch_norm", name);
        NDArray mean = In(c, "mean0", dt), var = In(c, "var0", dt);
        Variable gamma = In(c, "gamma", dt), beta = In(c, "beta", dt);

        var y1 = F.BatchNorm(In(c, "x1", dt), gamma, beta, mean, var);
        AssertRef(c, "y1", dt, y1.Data);
        AssertRef(c, "mean1", dt, mean);
        AssertRef(c, "var1", dt, var);

        Variable x = In(c, "x", dt);
        var y = F.BatchNorm(x, gamma, beta, mean, var, decay: 0.8, eps: 1e-3);
        AssertRef(c, "y", dt, y.Data);
        AssertRef(c, "mean2", dt, mean);
        AssertRef(c, "var2", dt, var);
        AssertBackward(c, dt, y, ("x", x), ("gamma", gamma), ("beta", beta));

        using (Config.TestMode())
            AssertRef(c, "ytest", dt, F.BatchNorm(In(c, "x", dt), gamma, beta, mean, var).Data);
        AssertRef(c, "mean2", dt, mean);
        AssertRef(c, "var2", dt, var);
    }

    public static TheoryData<int[]> Shapes() => new() { new[] { 5, 3 }, new[] { 2, 3, 2, 3 }, new[] { 1, 2 } };

    static NDArray[] Inputs(int[] shape) =>
        [Randn(1, shape) * 2.0 + 1.0, Randn(2, shape[1]), Randn(3, shape[1])];

    static NDArray RunningVar(int c) => NDArray.Abs(Randn(5, c)) + 0.5;

    [Theory]
    [MemberData(nameof(Shapes))]
    public void BatchNormGradientCheckInTraining(int[] shape)
    {
        var mean = Randn(4, shape[1]);
        var var = RunningVar(shape[1]);
        GradientCheck(v => F.BatchNorm(v[0], v[1], v[2], mean.Copy(), var.Copy()), Inputs(shape));
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void BatchNormGradientCheckInTestMode(int[] shape)
    {
        var mean = Randn(4, shape[1]);
        var var = RunningVar(shape[1]);
        using (Config.TestMode())
            GradientCheck(v => F.BatchNorm(v[0], v[1], v[2], mean, var), Inputs(shape));
    }

    [Fact]
    public void TestModeNormalisesWithTheRunningStatistics()
    {
        var x = Randn(1, 4, 3);
        var (gamma, beta) = (Randn(2, 3), Randn(3, 3));
        var mean = Randn(4, 3);
        var var = RunningVar(3);
        var (mean0, var0) = (mean.Copy(), var.Copy());
        Variable y;
        using (Config.TestMode())
            y = F.BatchNorm(x, gamma, beta, mean, var, eps: 1e-3);
        var expected = gamma * ((x - mean) / NDArray.Sqrt(var + 1e-3)) + beta;
        Reference.AssertClose(expected, y.Data, 1e-13, 1e-13);
        Reference.AssertClose(mean0, mean, 0);
        Reference.AssertClose(var0, var, 0);
    }

    [Fact]
    public void TrainingUpdatesTheRunningStatisticsInPlace()
    {
        // Hand-checkable: x = [[0], [2], [4]] has mean 2 and variance 8/3, unbiased 4.
        var x = NDArray.FromArray(new[,] { { 0.0 }, { 2.0 }, { 4.0 } });
        var mean = NDArray.Zeros(1);
        var var = NDArray.Ones(1);
        F.BatchNorm(x, NDArray.Ones(1), NDArray.Zeros(1), mean, var, decay: 0.75);
        Assert.Equal(0.5, mean.ToScalar<double>(), 15);
        Assert.Equal(0.75 + 0.25 * 4, var.ToScalar<double>(), 15);
    }

    [Fact]
    public void BatchNormRejectsBadInput()
    {
        var (m, v) = (NDArray.Zeros(3), NDArray.Ones(3));
        var ex = Assert.Throws<ArgumentException>(() => F.BatchNorm(Randn(1, 2, 3, 4), Randn(2, 3), Randn(3, 3), m, v));
        Assert.Contains("F.BatchNorm", ex.Message);
        Assert.Contains("(2, 3, 4)", ex.Message);
        ex = Assert.Throws<ArgumentException>(() => F.BatchNorm(Randn(1, 2, 3), Randn(2, 4), Randn(3, 3), m, v));
        Assert.Contains("gamma", ex.Message);
        Assert.Contains("(4,)", ex.Message);
        ex = Assert.Throws<ArgumentException>(() => F.BatchNorm(Randn(1, 2, 3), Randn(2, 3), Randn(3, 3), m, NDArray.Ones(2)));
        Assert.Contains("var", ex.Message);
        ex = Assert.Throws<ArgumentException>(() => F.BatchNorm(Randn(1, 2, 3), Randn(2, 3), Randn(3, 3), new NDArray(new long[3], 3), v));
        Assert.Contains("int64", ex.Message);
        Assert.Equal(new double[] { 1, 1, 1 }, v.ToArray<double>());
    }
}
