using F = DeZero.Functions;

namespace DeZero.Tests.Core;

public class AutogradTests
{
    static Variable S(double v, string? name = null) => new(NDArray.Scalar(v), name);
    static double D(Variable v) => (double)v.Data;

    [Fact]
    public void BackwardOfSquareExpSquare()
    {
        // y = (exp(x²))², dy/dx = 4x·exp(2x²) at x = 0.5
        var x = S(0.5);
        var y = F.Square(F.Exp(F.Square(x)));
        y.Backward();
        Assert.Equal(Math.Exp(0.5), D(y), 12);
        Assert.Equal(4 * 0.5 * Math.Exp(2 * 0.25), D(x.Grad!), 12);
    }

    [Fact]
    public void GradientsAccumulateWhenAVariableIsReused()
    {
        var x = S(3.0);
        var y = x + x + x;
        y.Backward();
        Assert.Equal(3.0, D(x.Grad!));
        x.ClearGrad();
        (x * x).Backward();
        Assert.Equal(6.0, D(x.Grad!));
    }

    [Fact]
    public void AccumulatingGradientsNeverChangesArraysSomeoneElseHolds()
    {
        var w = new Variable(NDArray.FromArray(new[] { 1.0, 2.0 }));
        var a = new Variable(NDArray.FromArray(new[] { 3.0, 4.0 }));
        // w is used four times; a's gradient (gy passed through by Add) is shared with w's first term.
        var y = F.Sum(w + a + w * 2.0 + w * 3.0 + w);
        y.Backward();
        Assert.Equal(new[] { 7.0, 7.0 }, w.Grad!.Data.ToArray<double>());
        Assert.Equal(new[] { 1.0, 1.0 }, a.Grad!.Data.ToArray<double>());

        var before = w.Grad;
        var beforeData = before.Data.Copy();
        F.Sum(w * 5.0 + w).Backward();
        Assert.Equal(new[] { 13.0, 13.0 }, w.Grad!.Data.ToArray<double>());
        Assert.Equal(beforeData.ToArray<double>(), before.Data.ToArray<double>());
    }

    [Fact]
    public void GenerationsOrderADiamondGraph()
    {
        // y = (x²)² + (x²)², dy/dx = 8x³ = 64 at x = 2; needs a before it visits x's creator.
        var x = S(2.0);
        var a = F.Square(x);
        var y = F.Square(a) + F.Square(a);
        y.Backward();
        Assert.Equal(32.0, D(y));
        Assert.Equal(64.0, D(x.Grad!));
        Assert.Equal(1, a.Generation);
        Assert.Equal(0, x.Generation);
    }

    [Fact]
    public void IntermediateGradientsAreReleasedUnlessRetained()
    {
        var x = S(2.0);
        var a = F.Square(x);
        var y = a * 3.0;
        y.Backward();
        Assert.Null(a.Grad);
        Assert.Null(y.Grad);
        Assert.NotNull(x.Grad);

        x.ClearGrad();
        var a2 = F.Square(x);
        var y2 = a2 * 3.0;
        y2.Backward(retainGrad: true);
        Assert.Equal(3.0, D(a2.Grad!));
        Assert.Equal(1.0, D(y2.Grad!));
    }

    [Fact]
    public void NonScalarOutputStartsFromOnes()
    {
        var x = new Variable(NDArray.FromArray(new[] { 1.0, 2.0, 3.0 }));
        var y = x * x;
        y.Backward();
        Assert.Equal(new[] { 2.0, 4.0, 6.0 }, x.Grad!.Data.ToArray<double>());
    }

    [Fact]
    public void NoGradRecordsNoGraph()
    {
        var x = S(2.0);
        using (Config.NoGrad())
        {
            Assert.False(Config.EnableBackprop);
            var y = F.Square(x);
            Assert.Null(y.Creator);
        }
        Assert.True(Config.EnableBackprop);
        Assert.NotNull(F.Square(x).Creator);
    }

    // MatMul with transpose flags and SumTo skip the function object when no graph is recorded: same values, no creator.
    [Fact]
    public void NoGradProductsAndSumsMatchRecordedOnes()
    {
        var rng = new RandomState(3);
        var (a, b) = (new Variable(rng.Randn(4, 3)), new Variable(rng.Randn(5, 3)));
        var (p, s) = (F.MatMul(a, b, false, true), F.SumTo(a, 3));
        using (Config.NoGrad())
        {
            var (q, t) = (F.MatMul(a, b, false, true), F.SumTo(a, 3));
            Assert.Null(q.Creator);
            Assert.Null(t.Creator);
            Assert.Equal(p.Data.ToArray<double>(), q.Data.ToArray<double>());
            Assert.Equal(s.Data.ToArray<double>(), t.Data.ToArray<double>());
            Assert.Throws<ArgumentException>(() => F.MatMul(a, b, false, false));
        }
        Assert.NotNull(p.Creator);
        Assert.NotNull(s.Creator);
    }

    // The other threads were started before the scopes (a thread started inside a scope belongs to its logical call).
    [Fact]
    public void ConfigIsPerThreadAndScopesNest()
    {
        using var inScope = new ManualResetEventSlim();
        bool otherThread = false;
        var t = new Thread(() =>
        {
            inScope.Wait();
            otherThread = Config.Train;
        });
        t.Start();
        using (Config.TestMode())
        {
            Assert.False(Config.Train);
            inScope.Set();
            t.Join();
            Assert.True(otherThread);
            using (Config.NoGrad()) Assert.False(Config.Train);
            Assert.False(Config.Train);
        }
        Assert.True(Config.Train);
    }

    [Fact]
    public void EnableBackpropIsPerThread()
    {
        var x = S(2.0);
        bool otherRecords = false, otherInNoGrad = true;
        using var inScope = new ManualResetEventSlim();
        var t = new Thread(() =>
        {
            inScope.Wait();
            otherRecords = F.Square(x).Creator is not null;
            using (Config.NoGrad()) otherInNoGrad = F.Square(x).Creator is not null;
        });
        t.Start();
        using (Config.NoGrad())
        {
            Config.EnableBackprop = false; // setting the current value again changes nothing
            inScope.Set();
            t.Join();
            Assert.Null(F.Square(x).Creator);
        }
        Assert.True(otherRecords);
        Assert.False(otherInNoGrad);
        Assert.NotNull(F.Square(x).Creator);
    }

    [Theory]
    [InlineData(false, false)]
    [InlineData(true, false)]
    [InlineData(false, true)]
    public void WeightUsedAtEveryStepGetsTheSameGradientWhenAccumulatedInPlace(bool transA, bool transB)
    {
        // An RNN-like chain: the weight's later gradient terms go straight into the sum backward owns.
        var rng = new RandomState(7);
        var w = new Variable(rng.Randn(4, 4));
        var b = new Variable(rng.Randn(4));
        var h0 = rng.Randn(3, 4);
        Variable Chain()
        {
            var h = new Variable(h0);
            for (int t = 0; t < 5; t++)
                h = F.Tanh(F.Linear(h, w, b) + F.MatMul(transA ? h.T : h, w, transA, transB));
            return F.Sum(h);
        }
        Chain().Backward();
        var inPlace = w.Grad!.Data;
        w.ClearGrad();
        b.ClearGrad();
        Chain().Backward(createGraph: true); // recorded sums are never added in place
        Reference.AssertClose(w.Grad!.Data, inPlace, rtol: 1e-12, atol: 1e-14);
    }

    [Fact]
    public void NamesCanBeSetChangedAndCleared()
    {
        var a = new Variable(NDArray.Scalar(1.0), "a");
        var b = new Variable(NDArray.Scalar(2.0));
        Assert.Equal("a", a.Name);
        Assert.Null(b.Name);
        b.Name = "b";
        a.Name = "first";
        Assert.Equal(("first", "b"), (a.Name, b.Name));
        a.Name = null;
        Assert.Null(a.Name);
        Assert.Equal("b", b.Name);
    }

    [Fact]
    public void OperatorsMixVariablesArraysAndScalars()
    {
        var x = S(3.0);
        var arr = NDArray.Scalar(2.0);
        Assert.Equal(5.0, D(x + arr));
        Assert.Equal(5.0, D(arr + x));
        Assert.Equal(1.0, D(x - arr));
        Assert.Equal(-1.0, D(arr - x));
        Assert.Equal(1.0, D(4.0 - x));
        Assert.Equal(6.0, D(x * 2.0));
        Assert.Equal(1.5, D(x / 2.0));
        Assert.Equal(2.0 / 3.0, D(2.0 / x));
        Assert.Equal(-3.0, D(-x));
        Assert.Equal(27.0, D(x.Pow(3)));
    }

    [Fact]
    public void ScalarConstantsTakeNoGradient()
    {
        var x = S(3.0);
        var y = (x * 2.0 + 1.0) / 4.0 - 0.5;
        y.Backward(retainGrad: true);
        Assert.Equal(0.5, D(x.Grad!));
        var div = y.Creator!.Inputs[0].Creator!;
        Assert.Null(div.Inputs[1].Grad);
        Assert.Null(y.Creator.Inputs[1].Grad);
    }

    [Fact]
    public void ScalarOperandKeepsFloat32()
    {
        var x = new Variable(NDArray.FromArray(new[] { 1f, 2f }));
        var y = x * 2.0 + 1.0;
        Assert.Equal(DType.Float32, y.DType);
        y.Backward();
        Assert.Equal(DType.Float32, x.Grad!.DType);
        Assert.Equal(new[] { 2f, 2f }, x.Grad.Data.ToArray<float>());
    }

    [Fact]
    public void NullDataIsAllowedButNotUsable()
    {
        var p = new Parameter(null, "W");
        Assert.Equal("variable(None)", p.ToString());
        var e = Assert.Throws<InvalidOperationException>(() => F.Sin(p));
        Assert.Contains("W", e.Message);
    }

    [Fact]
    public void UnchainBackwardCutsTheGraph()
    {
        var x = S(1.0);
        var a = F.Sin(x);
        var b = F.Cos(a);
        var y = F.Exp(b);
        y.UnchainBackward();
        Assert.NotNull(y.Creator);
        Assert.Null(b.Creator);
        Assert.Null(a.Creator);
        y.Backward();
        Assert.Null(x.Grad);
        Assert.NotNull(b.Grad is null ? y.Grad : b.Grad);
    }

    [Fact]
    public void FunctionKeepsInputsAndWeakOutputs()
    {
        var x = S(1.0);
        var y = F.Exp(x);
        var f = y.Creator!;
        Assert.Same(x, f.Inputs[0]);
        Assert.Same(y, f.Outputs[0]);
        Assert.Equal(0, f.Generation);
    }
}
