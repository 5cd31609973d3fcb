using F = DeZero.Functions;

namespace DeZero.Tests.Functions.Cnn;

/// <summary>
/// BatchNorm: the battery of <see cref="FunctionTestCase{TSelf}"/> on the cases of tests/data/cnn.json (training and test
/// mode; the running statistics are inputs without gradient, copied so that every call starts from them), the running
/// statistics a training call leaves, and test mode's formula.
/// </summary>
public class NormalizationTests : FunctionTestCase<NormalizationTests>
{
    static Variable Train(Variable[] x, double decay = 0.9, double eps = 2e-5) =>
        F.BatchNorm(x[0], x[1], x[2], x[3].Data.Copy(), x[4].Data.Copy(), decay, eps);

    static Variable Test(Variable[] x)
    {
        using (Config.TestMode())
            return F.BatchNorm(x[0], x[1], x[2], x[3].Data.Copy(), x[4].Data.Copy());
    }

    protected override Dictionary<string, Func<Variable[], Variable>> Cases => new()
    {
        ["batch_norm_2d"] = x => Train(x),
        ["batch_norm_2d_decay_eps"] = x => Train(x, 0.8, 1e-3),
        ["batch_norm_2d_test"] = Test,
        ["batch_norm_4d"] = x => Train(x),
        ["batch_norm_4d_decay_eps"] = x => Train(x, 0.8, 1e-3),
        ["batch_norm_4d_test"] = Test,
        ["batch_norm_2d_batch1"] = x => Train(x),
        ["batch_norm_2d_batch1_decay_eps"] = x => Train(x, 0.8, 1e-3),
        ["batch_norm_2d_batch1_test"] = Test,
    };

    // In training the backward holds 1/√(var + eps) constant, as the book's does, so its own derivative is not the
    // second derivative (a gradient check of it fails); in test mode y is affine in x and the check holds.
    protected override IEnumerable<string> SecondOrder => Cases.Keys.Where(name => name.EndsWith("_test", StringComparison.Ordinal));

    protected override Dictionary<string, Func<Variable, Variable>> Calls => new()
    {
        ["BatchNorm x"] = w => F.BatchNorm(w, NDArray.Ones(3), NDArray.Zeros(3), NDArray.Zeros(3), NDArray.Ones(3)),
        ["BatchNorm gamma"] = w => F.BatchNorm(NDArray.Ones(2, 3), w, NDArray.Zeros(3), NDArray.Zeros(3), NDArray.Ones(3)),
        ["BatchNorm beta"] = w => F.BatchNorm(NDArray.Ones(2, 3), NDArray.Ones(3), w, NDArray.Zeros(3), NDArray.Ones(3)),
    };

    // Case → decay of the training call whose running statistics ([mean, var] after it) the case holds.
    static readonly Dictionary<string, double> StatisticsCases = new()
    {
        ["batch_norm_stats_2d"] = 0.9,
        ["batch_norm_stats_2d_decay"] = 0.8,
        ["batch_norm_stats_4d"] = 0.9,
        ["batch_norm_stats_4d_decay"] = 0.8,
        ["batch_norm_stats_2d_batch1"] = 0.9,
        ["batch_norm_stats_2d_batch1_decay"] = 0.8,
    };

    public static TheoryData<string, DType> StatisticsCasesByDType => FunctionTester.WithDTypes(StatisticsCases.Keys);

    /// <summary>A training call updates the running mean and variance in place as the book's does (unbiased variance).</summary>
    [Theory, MemberData(nameof(StatisticsCasesByDType))]
    public void RunningStatisticsMatchReference(string name, DType dtype)
    {
        var x = FunctionTester.Inputs(name, dtype);
        var (mean, var) = (x[3].Copy(), x[4].Copy());
        F.BatchNorm(x[0], x[1], x[2], mean, var, StatisticsCases[name]);
        Assert.Equal(dtype, mean.DType);
        Assert.Equal(dtype, var.DType);
        var expected = Reference.Array(FunctionTester.Case(name).GetProperty("y"));
        var tol = dtype == DType.Float64 ? 1e-12 : 1e-6;
        Reference.AssertClose(expected, NDArray.Stack([mean, var]).AsType(DType.Float64), tol, tol, name);
    }

    static NDArray Randn(int seed, params int[] shape) => new RandomState(seed).Randn(shape);

    static NDArray RunningVar(int c) => NDArray.Abs(Randn(5, c)) + 0.5;

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
