using DeZero.Ops;

namespace DeZero.Tests.Functions;

/// <summary>The fused gradient functions are differentiable again: gradient checks of their own backward.</summary>
public class FusedGradTests
{
    static readonly NDArray X = NDArray.FromArray(new[,] { { 0.3, -1.2, 2.0 }, { -0.4, 0.9, -2.2 } });
    static readonly NDArray G = NDArray.FromArray(new[,] { { 1.5, -0.5, 0.25 }, { 2.0, -1.0, 0.75 } });

    static void Check(Func<Variable[], Variable> f, params NDArray[] inputs)
    {
        var log = new StringWriter();
        Assert.True(Utils.GradientCheck(f, inputs, log: log), log.ToString());
    }

    [Fact]
    public void SigmoidGradIsDifferentiableInBothInputs()
    {
        var y = NDArray.FromArray(new[,] { { 0.2, 0.5, 0.9 }, { 0.7, 0.1, 0.4 } });
        Check(v => new SigmoidGrad().Apply(v[0], v[1]), y, G);
        Assert.Equal((G * y * (1.0 - y)).ToArray<double>(), new SigmoidGrad().Apply(y, G).Data.ToArray<double>());
    }

    [Fact]
    public void TanhGradIsDifferentiableInBothInputs()
    {
        var y = NDArray.Tanh(X);
        Check(v => new TanhGrad().Apply(v[0], v[1]), y, G);
        Assert.Equal((G * (1.0 - y * y)).ToArray<double>(), new TanhGrad().Apply(y, G).Data.ToArray<double>());
    }

    [Fact]
    public void ReLUGradMasksAndIsLinearInTheGradient()
    {
        var r = new ReLUGrad().Apply(X, G).Data;
        Assert.Equal(new[] { 1.5, 0, 0.25, 0, -1.0, 0 }, r.ToArray<double>());
        Check(v => new ReLUGrad().Apply(new Variable(X), v[0]), G);
    }

    [Fact]
    public void BroadcastOperandsFallBackToTheComposite()
    {
        var y = NDArray.FromArray(new[] { 0.2, 0.5, 0.9 });
        Reference.AssertClose(G * y * (1.0 - y), new SigmoidGrad().Apply(y, G).Data);
        Reference.AssertClose(G * (1.0 - y * y), new TanhGrad().Apply(y, G).Data);
    }
}
