using F = DeZero.Functions;

namespace DeZero.Tests.Functions;

public class ActivationTests : FunctionTestCase<ActivationTests>
{
    protected override Dictionary<string, Func<Variable[], Variable>> Cases => new()
    {
        ["sigmoid"] = x => F.Sigmoid(x[0]),
        ["relu"] = x => F.ReLU(x[0]),
        ["leaky_relu"] = x => F.LeakyReLU(x[0]),
        ["leaky_relu_slope"] = x => F.LeakyReLU(x[0], 0.05),
        ["softmax"] = x => F.Softmax(x[0]),
        ["softmax_axis0"] = x => F.Softmax(x[0], 0),
        ["softmax_axis_last"] = x => F.Softmax(x[0], -1),
        ["softmax_3d"] = x => F.Softmax(x[0]),
        ["softmax_large"] = x => F.Softmax(x[0]),
        ["log_softmax"] = x => F.LogSoftmax(x[0]),
        ["log_softmax_axis0"] = x => F.LogSoftmax(x[0], 0),
        ["log_softmax_axis_last"] = x => F.LogSoftmax(x[0], -1),
        ["log_softmax_large"] = x => F.LogSoftmax(x[0]),
    };

    // ReLU and leaky ReLU have a kink at 0; softmax and log-softmax are checked along one axis each.
    protected override IEnumerable<string> SecondOrder => ["sigmoid", "softmax", "log_softmax_axis0"];

    // Like the book, log-softmax subtracts max + log Σ exp: around ±1000 that sum carries float32's absolute error of ~3e-5.
    protected override double ToleranceScale(string name) => name == "log_softmax_large" ? 30 : 1;

    protected override Dictionary<string, Func<Variable, Variable>> Calls => new()
    {
        ["F.Sigmoid"] = F.Sigmoid,
        ["F.ReLU"] = F.ReLU,
        ["F.LeakyReLU"] = w => F.LeakyReLU(w),
        ["F.Softmax"] = w => F.Softmax(w),
        ["F.LogSoftmax"] = w => F.LogSoftmax(w),
    };

    [Theory]
    [InlineData(DType.Float64)]
    [InlineData(DType.Float32)]
    public void SigmoidOfExtremeInputsIsExact(DType dt)
    {
        var x = NDArray.FromArray(new[] { -1000.0, -50.0, -1e-30, 0.0, 1e-30, 50.0, 1000.0, double.NaN }).AsType(dt);
        var y = F.Sigmoid(x).Data.AsType(DType.Float64).ToArray<double>();
        double eps = dt == DType.Float32 ? 1e-7 : 1e-15;
        Assert.Equal(0.0, y[0]);
        Assert.Equal(1 / (1 + Math.Exp(50)), y[1], 1 / (1 + Math.Exp(50)) * 10 * eps);
        Assert.Equal([0.5, 0.5, 0.5], y[2..5]);
        Assert.Equal(1.0, y[5], eps);
        Assert.Equal(1.0, y[6]);
        Assert.True(double.IsNaN(y[7]));
    }

    [Fact]
    public void SoftmaxOfHugeScoresDoesNotOverflow()
    {
        var x = NDArray.FromArray(new[,] { { 1000.0, 1001.0, 1002.0 }, { -1000.0, -1001.0, -1002.0 } });
        var e = new[] { Math.Exp(-2), Math.Exp(-1), 1.0 };
        double s = e.Sum();
        Reference.AssertClose(NDArray.FromArray(new[,] { { e[0] / s, e[1] / s, e[2] / s }, { e[2] / s, e[1] / s, e[0] / s } }),
            F.Softmax(x).Data, 1e-15, 1e-16);
        Reference.AssertClose(NDArray.FromArray(new[,] { { -2 - Math.Log(s), -1 - Math.Log(s), -Math.Log(s) }, { -Math.Log(s), -1 - Math.Log(s), -2 - Math.Log(s) } }),
            F.LogSoftmax(x).Data, 1e-12);
    }

    [Fact]
    public void BadAxesThrow()
    {
        var x = NDArray.Zeros(2, 3);
        FunctionTester.Throws<ArgumentException>(() => F.Softmax(x, 2), "F.Softmax", "(2, 3)", "axis 2");
        FunctionTester.Throws<ArgumentException>(() => F.Softmax(NDArray.Zeros(3)), "F.Softmax", "(3,)", "axis 1");
        FunctionTester.Throws<ArgumentException>(() => F.LogSoftmax(x, -3), "F.LogSoftmax", "(2, 3)", "axis -3");
    }
}
