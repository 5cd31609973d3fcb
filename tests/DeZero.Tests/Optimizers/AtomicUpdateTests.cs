using DeZero.Layers;
using DeZero.Optimizers;

namespace DeZero.Tests.Optimizers;

/// <summary>Optimizer.Update checks every parameter, gradient and state before it changes any parameter.</summary>
public class AtomicUpdateTests
{
    sealed class Three : Layer
    {
        public readonly Parameter a = new(NDArray.Arange(6.0).Reshape(2, 3), "a"), b = new(NDArray.Ones(3), "b"), c = new(NDArray.Ones(2, 2), "c");
    }

    public static TheoryData<string, Func<Optimizer>> Optimizers => new()
    {
        { "SGD", () => new SGD(0.1) },
        { "MomentumSGD", () => new MomentumSGD(0.1) },
        { "AdaGrad", () => new AdaGrad(0.1) },
        { "AdaDelta", () => new AdaDelta() },
        { "Adam", () => new Adam() },
    };

    static NDArray[] Snapshot(Three m) => [m.a.Data.Copy(), m.b.Data.Copy(), m.c.Data.Copy()];

    static void Unchanged(NDArray[] before, Three m)
    {
        Assert.Equal(before[0].ToArray<double>(), m.a.Data.ToArray<double>());
        Assert.Equal(before[1].ToArray<double>(), m.b.Data.ToArray<double>());
        Assert.Equal(before[2].ToArray<double>(), m.c.Data.ToArray<double>());
    }

    static void Grads(Three m, NDArray gc)
    {
        m.a.Grad = new Variable(NDArray.Ones(2, 3));
        m.b.Grad = new Variable(NDArray.Ones(3));
        m.c.Grad = new Variable(gc);
    }

    [Theory]
    [MemberData(nameof(Optimizers))]
    public void AWrongGradientInTheThirdParameterLeavesTheFirstTwoUntouched(string name, Func<Optimizer> create)
    {
        var m = new Three();
        var opt = create().Setup(m);
        opt.AddHook(new WeightDecay(0.1));
        var before = Snapshot(m);
        foreach (var bad in new[] { NDArray.Ones(4), NDArray.Ones(2, 1), NDArray.Ones([2, 2], DType.Bool) })
        {
            Grads(m, bad);
            var e = Assert.Throws<InvalidOperationException>(opt.Update);
            Assert.Contains($"{name}.Update: parameter 'c'", e.Message);
            Assert.Contains(ShapeUtil.Str(bad.Dims), e.Message);
            Unchanged(before, m);
        }
        if (opt is Adam adam) Assert.Equal(0, adam.T);
        Grads(m, NDArray.Ones(2, 2));
        opt.Update();
        Assert.NotEqual(before[0].ToArray<double>(), m.a.Data.ToArray<double>());
    }

    [Fact]
    public void AnIntegerParameterIsRejectedBeforeAnyUpdate()
    {
        var m = new Three();
        m.c.Data = NDArray.Ones([2, 2], DType.Int64);
        var opt = new SGD(0.1).Setup(m);
        var before = Snapshot(m);
        Grads(m, NDArray.Ones(2, 2));
        Assert.Contains("int64", Assert.Throws<InvalidOperationException>(opt.Update).Message);
        Unchanged(before, m);
    }

    [Theory]
    [MemberData(nameof(Optimizers))]
    public void StateOfAnotherShapeIsRejectedBeforeAnyUpdate(string name, Func<Optimizer> create)
    {
        var m = new Three();
        var opt = create().Setup(m);
        Grads(m, NDArray.Ones(2, 2));
        opt.Update();
        m.c.Data = NDArray.Ones(3, 3);
        Grads(m, NDArray.Ones(3, 3));
        var before = Snapshot(m);
        if (name == "SGD")
        {
            opt.Update(); // SGD keeps no state
            return;
        }
        var e = Assert.Throws<InvalidOperationException>(opt.Update);
        Assert.Contains("'c'", e.Message);
        Assert.Contains("(3, 3)", e.Message);
        Unchanged(before, m);
    }
}

public class FailingHookTests
{
    sealed class Two : Layer
    {
        public readonly Parameter a = new(NDArray.Ones(2), "a"), b = new(NDArray.Ones(2), "b");
    }

    [Fact]
    public void AHookThatFailsHalfWayLeavesGradientsAndParametersAsTheyWere()
    {
        var m = new Two();
        var (ga, gb) = (new Variable(NDArray.Ones(2)), new Variable(NDArray.Ones(2)));
        (m.a.Grad, m.b.Grad) = (ga, gb);
        var opt = new SGD(0.5).Setup(m);
        opt.AddHook(new WeightDecay(0.1));
        opt.AddHook(ps => throw new InvalidOperationException("hook failed"));
        Assert.Equal("hook failed", Assert.Throws<InvalidOperationException>(opt.Update).Message);
        Assert.Same(ga, m.a.Grad);
        Assert.Same(gb, m.b.Grad);
        Assert.Equal([1.0, 1.0], m.a.Data.ToArray<double>());
    }
}
