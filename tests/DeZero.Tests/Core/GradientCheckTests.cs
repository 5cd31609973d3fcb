using F = DeZero.Functions;

namespace DeZero.Tests.Core;

public class GradientCheckTests
{
    [Fact]
    public void AcceptsCorrectGradientsAndReportsWrongOnes()
    {
        var x = NDArray.FromArray(new[] { 0.3, -1.2, 2.0 });
        Assert.True(Utils.GradientCheck(F.Sin, x));
        var log = new StringWriter();
        // A function whose backward is wrong on purpose: y = x² with gradient x instead of 2x.
        Assert.False(Utils.GradientCheck(v => new HalfSquare().Apply(v), x, log: log));
        Assert.Contains("numerical", log.ToString());
        Assert.Contains("backprop", log.ToString());
    }

    [Fact]
    public void AnInputWithoutGradientCountsAsZero()
    {
        Assert.True(Utils.GradientCheck(xs => xs[0] * 2.0, [NDArray.Ones(3), NDArray.Ones(3)]));
    }

    [Fact]
    public void NumericalGradIsCentralDifference()
    {
        var g = Utils.NumericalGrad(v => v * v * v, NDArray.FromArray(new[] { 2.0 }));
        Assert.Equal(12.0, g.ToArray<double>()[0], 6);
    }

    sealed class HalfSquare : UnaryFunction
    {
        protected override NDArray Forward(NDArray x) => x * x;
        protected override Variable Backward(Variable gy) => gy * X;
    }
}
