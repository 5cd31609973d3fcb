using F = DeZero.Functions;

namespace DeZero.Tests.Functions;

public class MathTests : FunctionTestCase<MathTests>
{
    protected override Dictionary<string, Func<Variable[], Variable>> Cases => new()
    {
        ["sin"] = x => F.Sin(x[0]),
        ["cos"] = x => F.Cos(x[0]),
        ["tanh"] = x => F.Tanh(x[0]),
        ["exp"] = x => F.Exp(x[0]),
        ["log"] = x => F.Log(x[0]),
        ["square"] = x => F.Square(x[0]),
        ["clip"] = x => F.Clip(x[0], -0.5, 0.8),
    };

    // Clip's gradient is a mask with jumps at the bounds.
    protected override IEnumerable<string> SecondOrder => ["sin", "cos", "tanh", "exp", "log", "square"];

    protected override Dictionary<string, Func<Variable, Variable>> Calls => new()
    {
        ["F.Sin"] = F.Sin,
        ["F.Cos"] = F.Cos,
        ["F.Tanh"] = F.Tanh,
        ["F.Exp"] = F.Exp,
        ["F.Log"] = F.Log,
        ["F.Square"] = F.Square,
        ["F.Clip"] = w => F.Clip(w, 0, 1),
    };

    [Fact]
    public void ScalarFloat32StaysFloat32()
    {
        var x = new Variable(NDArray.Scalar(0.5, DType.Float32));
        var y = F.Tanh(F.Square(x));
        y.Backward();
        Assert.Equal(DType.Float32, y.DType);
        Assert.Equal(DType.Float32, x.Grad!.DType);
        double t = Math.Tanh(0.25);
        Assert.Equal((1 - t * t) * 2 * 0.5, (float)x.Grad.Data, 6);
    }

    [Fact]
    public void ClipPassesGradientOnlyInsideTheRange()
    {
        var x = new Variable(NDArray.FromArray(new[] { -2.0, -0.5, 0.1, 0.8, 3.0 }));
        var y = F.Clip(x, -0.5, 0.8);
        y.Backward();
        Assert.Equal(new[] { -0.5, -0.5, 0.1, 0.8, 0.8 }, y.Data.ToArray<double>());
        Assert.Equal(new[] { 0.0, 1, 1, 1, 0 }, x.Grad!.Data.ToArray<double>());
    }

    [Fact]
    public void ClipBoundsOutOfOrderThrow()
    {
        var x = NDArray.Zeros(2, 3);
        FunctionTester.Throws<ArgumentException>(() => F.Clip(x, 1, 0), "F.Clip", "(2, 3)");
        FunctionTester.Throws<ArgumentException>(() => F.Clip(x, double.NaN, 0), "F.Clip", "NaN");
    }
}
