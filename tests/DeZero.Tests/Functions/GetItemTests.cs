using F = DeZero.Functions;

namespace DeZero.Tests.Functions;

public class GetItemTests
{
    static readonly NDArray X = NDArray.Arange(12).AsType(DType.Float64).Reshape(3, 4);

    static void Check(Func<Variable, Variable> f, NDArray x)
    {
        var log = new StringWriter();
        Assert.True(Utils.GradientCheck(f, x, log: log), log.ToString());
    }

    [Fact]
    public void RowsByIntegerArrayWithRepeatsAccumulateGradients()
    {
        var x = new Variable(X);
        var y = F.GetItem(x, NDArray.FromArray(new long[] { 0, 0, 2 }));
        Assert.Equal(new[] { 3, 4 }, y.Shape);
        Assert.Equal(new[] { 0.0, 1, 2, 3, 0, 1, 2, 3, 8, 9, 10, 11 }, y.Data.ToArray<double>());
        y.Backward();
        Assert.Equal(new[] { 2.0, 2, 2, 2, 0, 0, 0, 0, 1, 1, 1, 1 }, x.Grad!.Data.ToArray<double>());
        Check(v => F.GetItem(v, NDArray.FromArray(new long[] { 0, 0, 2 })), X);
    }

    [Fact]
    public void PairsOfIndexArraysPickElementsLikeCrossEntropy()
    {
        var rows = NDArray.FromArray(new long[] { 0, 1, 2 });
        var cols = NDArray.FromArray(new long[] { 3, 0, 1 });
        var x = new Variable(X);
        var y = x[rows, cols];
        Assert.Equal(new[] { 3.0, 4, 9 }, y.Data.ToArray<double>());
        Check(v => F.GetItem(v, rows, cols), X);
    }

    [Fact]
    public void SlicesAndIntegersAreDifferentiableTwice()
    {
        var x = new Variable(X);
        var y = x[1.., Slice.Of(null, null, -2)];
        Assert.Equal(new[] { 2, 2 }, y.Shape);
        Assert.Equal(new[] { 7.0, 5, 11, 9 }, y.Data.ToArray<double>());
        Check(v => F.GetItem(v, 1, ..), X);
        // Second order: d/dx of Σ(x[1:]²) twice gives 2 on the selected rows.
        var z = F.Sum(F.Square(x[1..]));
        z.Backward(createGraph: true);
        var gx = x.Grad!;
        x.ClearGrad();
        F.Sum(gx).Backward();
        Assert.Equal(new[] { 0.0, 0, 0, 0, 2, 2, 2, 2, 2, 2, 2, 2 }, x.Grad!.Data.ToArray<double>());
    }

    [Fact]
    public void BadIndexIsRejectedBeforeRecording()
    {
        var x = new Variable(X);
        Assert.Throws<IndexOutOfRangeException>(() => F.GetItem(x, 3));
        Assert.Throws<ArgumentException>(() => F.GetItem(x, 0, 0, 0));
        Assert.Throws<ArgumentException>(() => F.GetItem(x, NDArray.FromArray(new[] { 0.5 })));
    }
}

public class ConcatTests
{
    [Fact]
    public void JoinsAlongAnAxisAndSplitsTheGradient()
    {
        var a = NDArray.Arange(6).AsType(DType.Float64).Reshape(2, 3);
        var b = NDArray.Arange(4).AsType(DType.Float64).Reshape(2, 2) + 10.0;
        var y = F.Concat([a, b], 1);
        Assert.Equal(new[] { 2, 5 }, y.Shape);
        Assert.Equal(new[] { 0.0, 1, 2, 10, 11, 3, 4, 5, 12, 13 }, y.Data.ToArray<double>());
        var log = new StringWriter();
        Assert.True(Utils.GradientCheck(xs => F.Concat(xs, 1) * F.Concat(xs, 1), [a, b], log: log), log.ToString());
        Assert.True(Utils.GradientCheck(xs => F.Sin(F.Concat(xs, 0)), [a.Reshape(3, 2), b], log: log), log.ToString());
        var e = Assert.Throws<ArgumentException>(() => F.Concat([a, b], 0));
        Assert.Contains("(2, 3)", e.Message);
    }
}
