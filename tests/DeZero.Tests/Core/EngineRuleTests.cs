using F = DeZero.Functions;

namespace DeZero.Tests.Core;

// The rules of Variable.Backward and Function.Apply, each pinned by a test that fails when the rule breaks.
public class EngineRuleTests
{
    // Splits a vector into its two halves: a user-defined function of several outputs.
    sealed class Split : Function
    {
        public override NDArray[] Forward(params NDArray[] xs)
        {
            int h = xs[0].Size / 2;
            return [xs[0][..h], xs[0][h..]];
        }

        public override Variable?[] Backward(params Variable[] gys) => [F.Concat([gys[0], gys[1]], 0)];
    }

    static Variable V(params double[] values) => new(NDArray.FromArray(values));

    static void AssertValues(double[] expected, Variable? v) => Assert.Equal(expected, v!.Data.ToArray<double>());

    [Fact]
    public void GradientsOfAFunctionOfThreeInputsAreReleasedUnlessRetained()
    {
        var rng = new RandomState(1);
        var (x0, w0, b0) = (new Variable(rng.Randn(4, 3)), new Variable(rng.Randn(3, 2)), new Variable(rng.Randn(2)));
        foreach (bool retain in new[] { false, true })
        {
            foreach (var v in new[] { x0, w0, b0 }) v.ClearGrad();
            var (x, w, b) = (F.Sin(x0), F.Cos(w0), F.Exp(b0));
            var y = F.Linear(x, w, b);
            var loss = F.Sum(y);
            loss.Backward(retainGrad: retain);
            foreach (var v in new[] { x, w, b, y, loss }) Assert.Equal(retain, v.Grad is not null);
            // Σ(xW + b): gx = 1·Wᵀ, gW = xᵀ·1, gb = N.
            var ones = NDArray.Ones(4, 2);
            Reference.AssertClose(NDArray.MatMul(ones, w.Data.T) * NDArray.Cos(x0.Data), x0.Grad!.Data, rtol: 1e-14);
            Reference.AssertClose(NDArray.MatMul(x.Data.T, ones) * -NDArray.Sin(w0.Data), w0.Grad!.Data, rtol: 1e-14);
            Reference.AssertClose(NDArray.Full([2], 4.0) * b.Data, b0.Grad!.Data, rtol: 1e-14);
            if (retain) AssertValues([4.0, 4.0], b.Grad);
        }
    }

    [Fact]
    public void GradientsOfAConvolutionAreReleasedUnlessRetained()
    {
        var rng = new RandomState(2);
        var (x0, w0, b0) = (new Variable(rng.Randn(1, 2, 4, 4)), new Variable(rng.Randn(3, 2, 3, 3)), new Variable(rng.Randn(3)));
        foreach (bool retain in new[] { false, true })
        {
            var (x, w, b) = (x0 * 1.0, w0 * 1.0, b0 * 1.0);
            var y = F.Conv2d(x, w, b, stride: 1, pad: 1);
            F.Sum(y).Backward(retainGrad: retain);
            foreach (var v in new[] { x, w, b, y }) Assert.Equal(retain, v.Grad is not null);
            AssertValues([16.0, 16.0, 16.0], b0.Grad); // every output position adds 1 to its channel's bias
            foreach (var v in new[] { x0, w0, b0 }) v.ClearGrad();
        }
    }

    [Fact]
    public void GradientsOfAFunctionOfSeveralOutputsAreReleasedUnlessRetained()
    {
        var x0 = V(1, 2, 3, 4);
        foreach (bool retain in new[] { false, true })
        {
            x0.ClearGrad();
            var x = x0 * 1.0;
            var halves = new Split().ApplyAll(x);
            var loss = F.Sum(halves[0] * 2.0) + F.Sum(halves[1] * 3.0);
            loss.Backward(retainGrad: retain);
            foreach (var v in new[] { x, halves[0], halves[1], loss }) Assert.Equal(retain, v.Grad is not null);
            AssertValues([2, 2, 3, 3], x0.Grad);
            if (retain) AssertValues([3, 3], halves[1].Grad);
        }
    }

    [Fact]
    public void AnUnusedOutputGetsZerosAsItsGradient()
    {
        var x = V(1, 2, 3, 4);
        var halves = new Split().ApplyAll(x);
        F.Sum(halves[1] * halves[1]).Backward();
        AssertValues([0, 0, 6, 8], x.Grad);
        Assert.Null(halves[0].Grad);
    }

    [Fact]
    public void ApplyReturnsTheOutputAndRefusesAFunctionOfSeveralOutputs()
    {
        var x = V(1, 2);
        var y = new Ops.Exp().Apply([x]);
        Assert.Same(y.Creator, y.Creator!.Outputs[0].Creator);
        var e = Assert.Throws<InvalidOperationException>(() => new Split().Apply(x));
        Assert.Contains("Split returned 2 outputs", e.Message);
        Assert.Contains("ApplyAll", e.Message);
        Assert.Null(x.Grad);
    }

    [Fact]
    public void AFunctionInstanceRecordedInAGraphCannotBeAppliedAgain()
    {
        var (a, b) = (V(1, 2), V(3, 4));
        var exp = new Ops.Exp();
        using (Config.NoGrad()) exp.Apply(a); // an unrecorded call leaves nothing behind
        var y = exp.Apply(a);
        var e = Assert.Throws<InvalidOperationException>(() => exp.Apply(b));
        Assert.Contains("Exp", e.Message);
        Assert.Contains("already applied", e.Message);
        Assert.Throws<InvalidOperationException>(() => { using (Config.NoGrad()) exp.Apply(b); });
        var split = new Split();
        split.ApplyAll(a);
        Assert.Throws<InvalidOperationException>(() => split.ApplyAll(b));
        var mul = new Ops.Mul();
        mul.Apply(a, b);
        Assert.Throws<InvalidOperationException>(() => mul.Apply(b, a));
        // The first graph is intact.
        y.Backward();
        Assert.Equal(NDArray.Exp(a.Data).ToArray<double>(), a.Grad!.Data.ToArray<double>());
    }

    sealed class WrongShape : UnaryFunction
    {
        protected override NDArray Forward(NDArray x) => x * 2.0;
        protected override Variable Backward(Variable gy) => F.Sum(gy);
    }

    sealed class IntegerGradient : UnaryFunction
    {
        protected override NDArray Forward(NDArray x) => x * 2.0;
        protected override Variable Backward(Variable gy) => gy.Data.AsType(DType.Int64);
    }

    sealed class TooFew : Function
    {
        public override NDArray[] Forward(params NDArray[] xs) => [xs[0] + xs[1]];
        public override Variable?[] Backward(params Variable[] gys) => [gys[0]];
    }

    [Fact]
    public void ABackwardThatReturnsAWrongGradientIsNamedWithBothShapes()
    {
        var x = new Variable(NDArray.Ones(2, 3), "x");
        var e = Assert.Throws<InvalidOperationException>(() => F.Sum(new WrongShape().Apply(x)).Backward());
        Assert.Contains("WrongShape.Backward", e.Message);
        Assert.Contains("shape ()", e.Message);
        Assert.Contains("(2, 3)", e.Message);
        Assert.Null(x.Grad);
        e = Assert.Throws<InvalidOperationException>(() => F.Sum(new IntegerGradient().Apply(x)).Backward());
        Assert.Contains("IntegerGradient.Backward", e.Message);
        Assert.Contains("int64", e.Message);
        e = Assert.Throws<InvalidOperationException>(() => new TooFew().Apply(x, x).Backward());
        Assert.Contains("TooFew.Backward returned 1 gradients for 2 inputs", e.Message);
    }

    [Fact]
    public void RetainedGradientsAreNotCountedTwiceWhileLeafGradientsAccumulate()
    {
        // y = 2h, h = x²: dy/dh = 2, dy/dx = 4x = 12 at x = 3. The book's second backward would propagate the retained
        // dy/dh again (2 + 2) and give x 12 + 24 = 36; the leaf's sum of two passes is 24.
        var x = new Variable(3.0);
        var h = F.Square(x);
        var y = h * 2.0;
        y.Backward(retainGrad: true);
        Assert.Equal((2.0, 12.0), ((double)h.GetGrad(), (double)x.GetGrad()));
        y.Backward(retainGrad: true);
        Assert.Equal((2.0, 24.0), ((double)h.GetGrad(), (double)x.GetGrad()));
        Assert.Equal(1.0, (double)y.GetGrad());
        // A variable reached by two paths still sums both terms within one pass.
        var z = F.Square(h) + h;
        x.ClearGrad();
        z.Backward(retainGrad: true);
        Assert.Equal(2 * 9.0 + 1, (double)h.GetGrad());
        z.Backward(retainGrad: true);
        Assert.Equal(2 * 9.0 + 1, (double)h.GetGrad());
        Assert.Equal(2 * (19.0 * 6), (double)x.GetGrad());
    }

    [Fact]
    public void AVariableHoldingDataPrintsLikeTheBook()
    {
        Assert.Equal("variable([1. 2. 3.])", V(1, 2, 3).ToString());
        Assert.Equal("variable([[1 2]\n          [3 4]])", new Variable(NDArray.FromArray(new long[,] { { 1, 2 }, { 3, 4 } })).ToString());
        Assert.Equal("variable(2.5)", new Variable(2.5).ToString());
        Assert.Equal("variable(None)", new Variable(null).ToString());
    }

    [Fact]
    public void ScalarConversionsMatchTheArrays()
    {
        var v = new Variable(2.0, "v");
        Assert.Equal(DType.Float64, v.DType);
        Assert.Empty(v.Shape);
        Assert.Equal("v", v.Name);
        Assert.Equal(2.0, (double)v);
        Assert.Equal(2f, (float)v);
        Assert.Equal(2L, (long)v);
        Assert.Equal(2, (int)v);
        Assert.True((bool)v);
        Assert.Equal(3.0, (double)new Variable(NDArray.FromArray(new[,] { { 3.0 } })));
        var e = Assert.Throws<InvalidOperationException>(() => (double)new Variable(NDArray.Ones(2, 3), "w"));
        Assert.Contains("w", e.Message);
        Assert.Contains("(2, 3)", e.Message);
        Assert.Throws<ArgumentNullException>(() => (double)(Variable)null!);
    }

    [Fact]
    public void GetGradNamesTheVariableThatHasNoGradient()
    {
        var x = new Variable(NDArray.Ones(2), "weights");
        var e = Assert.Throws<InvalidOperationException>(() => x.GetGrad());
        Assert.Contains("weights", e.Message);
        Assert.Contains("no gradient", e.Message);
        F.Sum(x * 3.0).Backward();
        Assert.Same(x.Grad, x.GetGrad());
        AssertValues([3, 3], x.GetGrad());
    }

    [Fact]
    public void DataIsNeverNullWhenRead()
    {
        var p = new Parameter(null, "W");
        Assert.False(p.HasData);
        var e = Assert.Throws<InvalidOperationException>(() => p.Data);
        Assert.Contains("W", e.Message);
        Assert.Throws<InvalidOperationException>(() => p.Shape);
        Assert.Throws<ArgumentNullException>(() => p.Data = null!);
        p.Data = NDArray.Ones(2);
        Assert.True(p.HasData);
        Assert.Equal([2], p.Shape);
    }

    [Fact]
    public void MessagesNameTheVariableOrCallItUnnamed()
    {
        var named = new Variable(null, "W");
        Assert.Contains("Variable W: Data cannot be set to null", Assert.Throws<ArgumentNullException>(() => named.Data = null!).Message);
        var unnamed = new Variable(null);
        Assert.Contains("Variable (unnamed) has no data", Assert.Throws<InvalidOperationException>(() => unnamed.Data).Message);
        Assert.Contains("Variable (unnamed): Data cannot be set to null", Assert.Throws<ArgumentNullException>(() => unnamed.Data = null!).Message);
        Assert.Contains("Variable (unnamed) has no gradient", Assert.Throws<InvalidOperationException>(() => new Variable(1.0).GetGrad()).Message);
        Assert.Contains("Variable (unnamed): only a size-1 variable", Assert.Throws<InvalidOperationException>(() => (double)V(1, 2)).Message);
    }

    [Fact]
    public void BackwardOfALeafSeedsOnesAndUnchainingALeafChangesNothing()
    {
        var x = V(1, 2);
        x.Backward();
        AssertValues([1, 1], x.Grad);
        x.UnchainBackward();
        Assert.Null(x.Creator);
        AssertValues([1, 2], x);
    }

    [Fact]
    public void SumShorthandsAreFSum()
    {
        var x = new Variable(NDArray.FromArray(new[,] { { 1.0, -2.0, 3.0 }, { 4.0, 5.0, -7.0 } }));
        Assert.Equal(4.0, (double)x.Sum());
        AssertValues([5, 3, -4], x.Sum([0]));
        var rows = x.Sum(1, keepdims: true);
        Assert.Equal([2, 1], rows.Shape);
        AssertValues([2, 2], rows);
    }

    [Fact]
    public void BackwardStartsFromAGradientSetBeforehand()
    {
        var x = V(1, 2);
        var y = x * 3.0;
        y.Grad = V(10, 100);
        y.Backward();
        AssertValues([30, 300], x.Grad);
    }
}
