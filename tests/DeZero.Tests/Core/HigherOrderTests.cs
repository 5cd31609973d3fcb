using F = DeZero.Functions;

namespace DeZero.Tests.Core;

/// <summary>Higher-order derivatives against the Python DeZero (tests/data/autograd.json, tools/gen_autograd_ref.py).</summary>
public class HigherOrderTests
{
    static readonly System.Text.Json.JsonElement Ref = Reference.Load("autograd");
    static double[] Values(string key) => Ref.GetProperty(key).EnumerateArray().Select(e => e.GetDouble()).ToArray();
    static Variable S(double v) => new(NDArray.Scalar(v));

    static void AssertRel(double expected, double actual, double rtol = 1e-12) =>
        Assert.True(Math.Abs(expected - actual) <= rtol * Math.Abs(expected) + 1e-300, $"expected {expected:R}, got {actual:R}");

    [Fact]
    public void TanhDerivativesUpToSixthOrder()
    {
        var expected = Values("tanh_derivatives");
        var x = S(1.0);
        F.Tanh(x).Backward(createGraph: true);
        for (int i = 0; i < 6; i++)
        {
            var gx = x.Grad!;
            AssertRel(expected[i], (double)gx.Data);
            x.ClearGrad();
            gx.Backward(createGraph: true);
        }
    }

    [Fact]
    public void NewtonsMethodWithSecondDerivatives()
    {
        var expected = Values("newton");
        var x = S(2.0);
        for (int i = 0; i < expected.Length; i++)
        {
            AssertRel(expected[i], (double)x.Data);
            var y = x.Pow(4) - 2 * x.Pow(2);
            x.ClearGrad();
            y.Backward(createGraph: true);
            var gx = x.Grad!;
            x.ClearGrad();
            gx.Backward();
            x.Data -= gx.Data / x.Grad!.Data;
        }
    }

    [Fact]
    public void DoubleBackprop()
    {
        var x = S(2.0);
        var y = x.Pow(2);
        y.Backward(createGraph: true);
        var gx = x.Grad!;
        x.ClearGrad();
        (gx.Pow(3) + y).Backward();
        AssertRel(Ref.GetProperty("double_backprop").GetDouble(), (double)x.Grad!.Data);
    }

    [Fact]
    public void WithoutCreateGraphTheGradientHasNoCreator()
    {
        var x = S(2.0);
        F.Sin(x).Backward();
        Assert.Null(x.Grad!.Creator);
        x.ClearGrad();
        F.Sin(x).Backward(createGraph: true);
        Assert.NotNull(x.Grad!.Creator);
    }

    [Theory]
    [InlineData("sphere")]
    [InlineData("matyas")]
    [InlineData("goldstein")]
    public void TestFunctionGradients(string name)
    {
        var expected = Values(name);
        Func<Variable, Variable, Variable> f = name switch
        {
            "sphere" => (x, y) => x.Pow(2) + y.Pow(2),
            "matyas" => (x, y) => 0.26 * (x.Pow(2) + y.Pow(2)) - 0.48 * x * y,
            _ => (x, y) => (1 + (x + y + 1).Pow(2) * (19 - 14 * x + 3 * x.Pow(2) - 14 * y + 6 * x * y + 3 * y.Pow(2)))
                * (30 + (2 * x - 3 * y).Pow(2) * (18 - 32 * x + 12 * x.Pow(2) + 48 * y - 36 * x * y + 27 * y.Pow(2))),
        };
        var a = S(1.0);
        var b = S(1.0);
        var z = f(a, b);
        z.Backward();
        AssertRel(expected[0], (double)z.Data);
        AssertRel(expected[1], (double)a.Grad!.Data);
        AssertRel(expected[2], (double)b.Grad!.Data);
    }

    [Fact]
    public void RosenbrockByGradientDescent()
    {
        var expected = Values("rosenbrock");
        var x0 = S(0.0);
        var x1 = S(2.0);
        for (int i = 0; i < 1000; i++)
        {
            var y = 100 * (x1 - x0.Pow(2)).Pow(2) + (x0 - 1).Pow(2);
            x0.ClearGrad();
            x1.ClearGrad();
            y.Backward();
            x0.Data -= 0.001 * x0.Grad!.Data;
            x1.Data -= 0.001 * x1.Grad!.Data;
        }
        AssertRel(expected[0], (double)x0.Data, 1e-10);
        AssertRel(expected[1], (double)x1.Data, 1e-10);
    }
}
