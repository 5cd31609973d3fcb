namespace DeZero.Tests.Numerics;

using static Golden;

/// <summary>Reshape, Transpose, SwapAxes, T, ExpandDims, Squeeze, Flatten, Concatenate, Stack, BroadcastTo and SumTo against NumPy / DeZero.</summary>
public class ShapeOpsTests
{
    public static TheoryData<string> Cases => Names("ndarray_shape");

    [Theory, MemberData(nameof(Cases))]
    public void MatchesNumPy(string name)
    {
        var c = Case("ndarray_shape", name);
        if (c.Str("op") is "concatenate" or "stack")
        {
            var arrays = c.GetProperty("arrays").EnumerateArray().Select(Reference.Array).ToArray();
            int axis = c.GetProperty("axis").GetInt32();
            Check(c, () => c.Str("op") == "stack" ? NDArray.Stack(arrays, axis) : NDArray.Concatenate(arrays, axis), arrays);
            return;
        }
        var x = Reference.Array(c.GetProperty("x"));
        Func<NDArray> run = c.Str("op") switch
        {
            "reshape" => () => x.Reshape(Ints(c.GetProperty("shape"))),
            "transpose" => () => Axes(c, "axes") is { } axes ? x.Transpose(axes) : x.Transpose(),
            "swapaxes" => () => x.SwapAxes(Ints(c.GetProperty("axes"))[0], Ints(c.GetProperty("axes"))[1]),
            "T" => () => x.T,
            "expand_dims" => () => x.ExpandDims(c.GetProperty("axis").GetInt32()),
            "squeeze" => () => x.Squeeze(Axes(c, "axis")?[0]),
            "flatten" => () => x.Flatten(),
            "broadcast_to" => () => x.BroadcastTo(Ints(c.GetProperty("shape"))),
            "sum_to" => () => x.SumTo(Ints(c.GetProperty("shape"))),
            var op => throw new ArgumentException(op),
        };
        Check(c, run, x);
    }

    static int[]? Axes(System.Text.Json.JsonElement c, string key) => c.GetProperty(key) switch
    {
        { ValueKind: System.Text.Json.JsonValueKind.Null } => null,
        { ValueKind: System.Text.Json.JsonValueKind.Number } n => [n.GetInt32()],
        var a => Ints(a),
    };

    [Fact]
    public void ReshapeSharesTheBufferAndFlattenCopies()
    {
        var a = NDArray.Arange(0.0, 6.0);
        var r = a.Reshape(2, 3);
        var f = r.Flatten();
        a.AddInPlace(1.0);
        Assert.Equal(new[] { 1.0, 2, 3, 4, 5, 6 }, r.ToArray<double>());
        Assert.Equal(new[] { 0.0, 1, 2, 3, 4, 5 }, f.ToArray<double>());
    }

    [Fact]
    public void SumToSameShapeReturnsTheArray()
    {
        var a = NDArray.Ones(2, 3);
        Assert.Same(a, a.SumTo(2, 3));
    }

    // Summing only leading axes away (a bias gradient) takes a shortcut; it must give Sum's bits, in NumPy's order.
    [Theory]
    [InlineData(DType.Float64, new[] { 100, 10 }, new[] { 10 })]
    [InlineData(DType.Float32, new[] { 100, 10 }, new[] { 10 })]
    [InlineData(DType.Float64, new[] { 100, 1 }, new[] { 1 })]
    [InlineData(DType.Float64, new[] { 3, 4, 70 }, new[] { 4, 70 })]
    [InlineData(DType.Float32, new[] { 3, 4, 5 }, new[] { 5 })]
    [InlineData(DType.Float64, new[] { 0, 6 }, new[] { 6 })]
    public void SumToLeadingAxesIsTheirSum(DType dt, int[] shape, int[] to)
    {
        var x = (new RandomState(7).Randn(shape) * 100.0).AsType(dt);
        var lead = Enumerable.Range(0, shape.Length - to.Length).ToArray();
        var expected = x.Sum(lead);
        var actual = x.SumTo(to);
        Assert.Equal(to, actual.Shape.ToArray());
        Assert.Equal(dt, actual.DType);
        Assert.Equal(expected.ToArray<double>(), actual.ToArray<double>());
    }
}
