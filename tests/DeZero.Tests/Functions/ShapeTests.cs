using F = DeZero.Functions;

namespace DeZero.Tests.Functions;

public class ShapeTests : FunctionTestCase<ShapeTests>
{
    protected override Dictionary<string, Func<Variable[], Variable>> Cases => new()
    {
        ["reshape"] = x => F.Reshape(x[0], 3, 2),
        ["reshape_infer"] = x => F.Reshape(x[0], 4, -1),
        ["transpose"] = x => F.Transpose(x[0]),
        ["transpose_axes"] = x => F.Transpose(x[0], 1, 2, 0),
        ["transpose_neg_axes"] = x => F.Transpose(x[0], -1, 0, 1),
        ["expand_dims"] = x => F.ExpandDims(x[0], 1),
        ["expand_dims_last"] = x => F.ExpandDims(x[0], -1),
        ["flatten"] = x => F.Flatten(x[0]),
        ["broadcast_to"] = x => F.BroadcastTo(x[0], 2, 3),
        ["broadcast_to2"] = x => F.BroadcastTo(x[0], 2, 4, 3),
        ["sum_to"] = x => F.SumTo(x[0], 3),
        ["sum_to_keep"] = x => F.SumTo(x[0], 2, 1, 3),
        ["sum_to_ones"] = x => F.SumTo(x[0], 1, 1),
    };

    protected override Dictionary<string, Func<Variable, Variable>> Calls => new()
    {
        ["F.Reshape"] = w => F.Reshape(w, 2, 3),
        ["F.Transpose"] = w => F.Transpose(w),
        ["F.ExpandDims"] = w => F.ExpandDims(w, 0),
        ["F.Flatten"] = F.Flatten,
        ["F.BroadcastTo"] = w => F.BroadcastTo(w, 2, 3),
        ["F.SumTo"] = w => F.SumTo(w, 3),
    };

    [Fact]
    public void UnchangedShapesReturnTheInput()
    {
        var x = new Variable(NDArray.Zeros(2, 3));
        Assert.Same(x, F.Reshape(x, 2, 3));
        Assert.Same(x, F.BroadcastTo(x, 2, 3));
        Assert.Same(x, F.SumTo(x, 2, 3));
    }

    [Fact]
    public void TransposeBackwardInvertsThePermutation()
    {
        // A gradient of the output's shape must come back in the input's shape with the elements in place.
        var x = new Variable(NDArray.Arange(24).AsType(DType.Float64).Reshape(2, 3, 4));
        var y = F.Transpose(x, 2, 0, 1);
        y.Grad = new Variable(y.Data.Copy());
        y.Backward();
        Reference.AssertClose(x.Data, x.Grad!.Data);
    }

    [Fact]
    public void BadShapesThrow()
    {
        var x = NDArray.Zeros(2, 3);
        FunctionTester.Throws<ArgumentException>(() => F.Reshape(x, 4, 2), "F.Reshape", "(2, 3)", "(4, 2)");
        FunctionTester.Throws<ArgumentException>(() => F.Reshape(x, -1, -1), "F.Reshape", "(2, 3)", "(-1, -1)");
        FunctionTester.Throws<ArgumentException>(() => F.Reshape(x, 4, -1), "F.Reshape", "(2, 3)", "(4, -1)");
        FunctionTester.Throws<ArgumentException>(() => F.Transpose(x, 0), "F.Transpose", "(2, 3)", "(0)");
        FunctionTester.Throws<ArgumentException>(() => F.Transpose(x, 1, 1), "F.Transpose", "(2, 3)", "repeated");
        FunctionTester.Throws<ArgumentException>(() => F.Transpose(x, 0, 2), "F.Transpose", "(2, 3)", "axis 2");
        FunctionTester.Throws<ArgumentException>(() => F.ExpandDims(x, 3), "F.ExpandDims", "(2, 3)", "axis 3");
        FunctionTester.Throws<ArgumentException>(() => F.ExpandDims(x, -4), "F.ExpandDims", "(2, 3)", "axis -4");
        FunctionTester.Throws<ArgumentException>(() => F.Flatten(NDArray.Scalar(1.0)), "F.Flatten", "()");
        FunctionTester.Throws<ArgumentException>(() => F.BroadcastTo(x, 3, 3), "F.BroadcastTo", "(2, 3)", "(3, 3)");
        FunctionTester.Throws<ArgumentException>(() => F.BroadcastTo(x, 3), "F.BroadcastTo", "(2, 3)", "(3,)");
        FunctionTester.Throws<ArgumentException>(() => F.SumTo(x, 2), "F.SumTo", "(2, 3)", "(2,)");
        FunctionTester.Throws<ArgumentException>(() => F.SumTo(x, 1, 2, 3), "F.SumTo", "(2, 3)", "(1, 2, 3)");
    }
}
