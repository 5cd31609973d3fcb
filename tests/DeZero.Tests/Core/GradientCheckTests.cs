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

/// <summary>GradientCheck converts an integer input to float64 like the book, so it can fail for one.</summary>
public class GradientCheckIntegerTests
{
    sealed class WrongSquare : UnaryFunction
    {
        protected override NDArray Forward(NDArray x) => x * x;
        protected override Variable Backward(Variable gy) => gy * X;
    }

    [Fact]
    public void AWrongBackwardFailsForInt64InputAsForFloat64()
    {
        Assert.False(Utils.GradientCheck(v => new WrongSquare().Apply(v), NDArray.FromArray(new[] { 1.0, 2.0, 3.0 })));
        Assert.False(Utils.GradientCheck(v => new WrongSquare().Apply(v), NDArray.FromArray(new long[] { 1, 2, 3 })));
        Assert.False(Utils.GradientCheck(xs => new WrongSquare().Apply(xs[0]), [NDArray.FromArray(new[] { 1, 2, 3 })]));
        Assert.True(Utils.GradientCheck(F.Square, NDArray.FromArray(new long[] { 1, 2, 3 })));
    }

    [Fact]
    public void IntegerLabelsAfterTheFirstInputStayIntegers()
    {
        var x = Logits();
        var t = NDArray.FromArray(new long[] { 2, 0 });
        Assert.True(Utils.GradientCheck(xs => F.SoftmaxCrossEntropy(xs[0], xs[1]), [x, t]));
        Assert.Equal(DType.Int64, t.DType);
    }

    [Fact]
    public void NumericalGradConvertsTheInputItDifferentiates()
    {
        var g = Utils.NumericalGrad(v => v * v, NDArray.FromArray(new long[] { 1, 2, 3 }));
        Assert.Equal(new[] { 2.0, 4.0, 6.0 }, g.ToArray<double>().Select(v => Math.Round(v, 6)));
    }

    [Fact]
    public void Im2colTakesTheBooksIntegerInput()
    {
        // The book's test_im2col: x = arange(9).reshape(1, 1, 3, 3) (int64), a 3×3 kernel, stride 3, no padding.
        var x = NDArray.Arange(9).Reshape(1, 1, 3, 3);
        var y = F.Im2col(x, 3, 3, 0, toMatrix: true);
        Assert.Equal(DType.Int64, y.DType);
        Assert.Equal(new[] { 1, 9 }, y.Shape);
        Assert.Equal(Enumerable.Range(0, 9).Select(i => (long)i), y.Data.ToArray<long>());
        Assert.True(Utils.GradientCheck(v => F.Im2col(v, 3, 3, 0, toMatrix: true), x));
        Assert.True(Utils.GradientCheck(v => F.Im2col(v, 3, 3, 0, toMatrix: false), x));
        var back = F.Col2im(y, [1, 1, 3, 3], 3, 3, 0);
        Assert.Equal(x.ToArray<long>(), back.Data.ToArray<long>());
        Assert.Contains("bool", Assert.ThrowsAny<ArgumentException>(() => F.Im2col(NDArray.Ones([1, 1, 3, 3], DType.Bool), 3)).Message);
    }

    static NDArray Logits() => NDArray.FromArray(new[,] { { 0.1, 0.5, -0.3 }, { 1.2, -0.7, 0.4 } });
}
