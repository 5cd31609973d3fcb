namespace DeZero.Tests.Numerics;

/// <summary>Bad input throws ArgumentException naming the operation and the shapes (or dtypes), and leaves the inputs unchanged.</summary>
public class BadInputTests
{
    static NDArray Ones(params int[] shape) => NDArray.Ones(shape);
    static NDArray Ints(params int[] shape) => NDArray.Ones(shape, DType.Int64);

    // name → (inputs, operation on them, substrings the message must contain)
    static readonly Dictionary<string, (Func<NDArray[]> Inputs, Action<NDArray[]> Run, string[] Expect)> Cases = new()
    {
        ["add broadcast"] = (() => [Ones(2, 3), Ones(4)], x => _ = x[0] + x[1], ["NDArray.Add", "(2, 3)", "(4,)"]),
        ["multiply broadcast 3-D"] = (() => [Ones(2, 3, 4), Ones(3, 3)], x => _ = x[0] * x[1], ["NDArray.Multiply", "(2, 3, 4)", "(3, 3)"]),
        ["greater broadcast"] = (() => [Ones(2, 3), Ones(3, 2)], x => _ = x[0] > x[1], ["NDArray.Greater", "(2, 3)", "(3, 2)"]),
        ["floor_divide broadcast"] = (() => [Ones(0), Ones(2)], x => NDArray.FloorDivide(x[0], x[1]), ["NDArray.FloorDivide", "(0,)", "(2,)"]),
        ["where broadcast"] = (() => [NDArray.Zeros([2, 3], DType.Bool), Ones(4), Ones(2, 3)], x => NDArray.Where(x[0], x[1], x[2]), ["NDArray.Where", "(2, 3)", "(4,)"]),
        ["logical_and broadcast"] = (() => [Ones(2), Ones(3)], x => NDArray.LogicalAnd(x[0], x[1]), ["NDArray.LogicalAnd", "(2,)", "(3,)"]),
        ["allclose broadcast"] = (() => [Ones(2, 3), Ones(2)], x => NDArray.AllClose(x[0], x[1]), ["NDArray.AllClose", "(2, 3)", "(2,)"]),
        ["subtract bool"] = (() => [NDArray.Zeros([2], DType.Bool), NDArray.Zeros([3, 1], DType.Bool)], x => _ = x[0] - x[1], ["NDArray.Subtract", "bool", "(2,)", "(3, 1)"]),
        ["negative bool"] = (() => [NDArray.Zeros([2], DType.Bool)], x => _ = -x[0], ["NDArray.Negative", "bool", "(2,)"]),
        ["sign bool"] = (() => [NDArray.Zeros([2], DType.Bool)], x => NDArray.Sign(x[0]), ["NDArray.Sign", "bool", "(2,)"]),
        ["power negative integer"] = (() => [Ints(2)], x => NDArray.Power(x[0], -1), ["NDArray.Power", "negative"]),

        ["add in place grows"] = (() => [Ones(3), Ones(2, 3)], x => x[0].AddInPlace(x[1]), ["NDArray.AddInPlace", "(3,)", "(2, 3)"]),
        ["subtract in place float into int"] = (() => [Ints(2, 2)], x => x[0].SubtractInPlace(0.5), ["NDArray.SubtractInPlace", "float64", "int64", "(2, 2)"]),
        ["multiply in place int into bool"] = (() => [NDArray.Zeros([3], DType.Bool), Ints(3)], x => x[0].MultiplyInPlace(x[1]), ["NDArray.MultiplyInPlace", "int64", "bool", "(3,)"]),
        ["divide in place int"] = (() => [Ints(2)], x => x[0].DivideInPlace(2), ["NDArray.DivideInPlace", "float64", "int64", "(2,)"]),
        ["copyto grows"] = (() => [Ones(3), Ones(2, 3)], x => NDArray.CopyTo(x[0], x[1]), ["NDArray.CopyTo", "(3,)", "(2, 3)"]),
        ["copyto float into int"] = (() => [Ints(3), Ones(3)], x => NDArray.CopyTo(x[0], x[1]), ["NDArray.CopyTo", "float64", "int64", "(3,)"]),

        ["reshape size"] = (() => [Ones(2, 3)], x => x[0].Reshape(4, -1), ["NDArray.Reshape", "(2, 3)", "(4, -1)"]),
        ["reshape two unknowns"] = (() => [Ones(2, 3)], x => x[0].Reshape(-1, -1), ["NDArray.Reshape", "(2, 3)", "(-1, -1)"]),
        ["reshape negative"] = (() => [Ones(2, 12)], x => x[0].Reshape(2, -2), ["NDArray.Reshape", "negative", "(2, -2)", "(2, 12)"]),
        ["transpose axis count"] = (() => [Ones(2, 3, 4)], x => x[0].Transpose(1, 0), ["NDArray.Transpose", "(2, 3, 4)"]),
        ["transpose duplicate"] = (() => [Ones(2, 3, 4)], x => x[0].Transpose(0, 2, -1), ["NDArray.Transpose", "repeated", "(2, 3, 4)"]),
        ["transpose out of range"] = (() => [Ones(2, 3, 4)], x => x[0].Transpose(0, 1, 3), ["NDArray.Transpose", "axis 3", "(2, 3, 4)"]),
        ["expand_dims out of range"] = (() => [Ones(2, 3)], x => x[0].ExpandDims(-4), ["NDArray.ExpandDims", "axis -4", "(2, 3)"]),
        ["squeeze non-1 axis"] = (() => [Ones(1, 3)], x => x[0].Squeeze(1), ["NDArray.Squeeze", "axis 1", "(1, 3)"]),
        ["broadcast_to"] = (() => [Ones(3)], x => x[0].BroadcastTo(3, 4), ["NDArray.BroadcastTo", "(3,)", "(3, 4)"]),
        ["broadcast_to negative"] = (() => [Ones(1)], x => x[0].BroadcastTo(-1), ["NDArray.BroadcastTo", "negative", "(-1,)"]),
        ["sum_to"] = (() => [Ones(2, 3)], x => x[0].SumTo(4), ["NDArray.SumTo", "(2, 3)", "(4,)"]),
        ["sum_to larger"] = (() => [Ones(3)], x => x[0].SumTo(2, 3), ["NDArray.SumTo", "(3,)", "(2, 3)"]),

        ["sum axis out of range"] = (() => [Ones(2, 3, 4)], x => x[0].Sum(3), ["NDArray.Sum", "axis 3", "(2, 3, 4)"]),
        ["sum duplicate axes"] = (() => [Ones(2, 3, 4)], x => x[0].Sum([1, -2]), ["NDArray.Sum", "duplicate", "(2, 3, 4)"]),
        ["mean axis out of range"] = (() => [Ones(2, 3)], x => x[0].Mean(-3), ["NDArray.Mean", "axis -3", "(2, 3)"]),
        ["max of empty"] = (() => [Ones(0, 3)], x => x[0].Max(0), ["NDArray.Max", "zero-size", "(0, 3)"]),
        ["min of empty"] = (() => [Ones(0)], x => x[0].Min(), ["NDArray.Min", "zero-size", "(0,)"]),
        ["argmax of empty"] = (() => [Ones(0, 3)], x => x[0].Argmax(), ["NDArray.Argmax", "empty", "(0, 3)"]),
        ["argmin of empty axis"] = (() => [Ones(3, 0)], x => x[0].Argmin(1), ["NDArray.Argmin", "empty", "(3, 0)"]),
        ["argmax axis out of range"] = (() => [Ones(2, 3)], x => x[0].Argmax(2), ["NDArray.Argmax", "axis 2", "(2, 3)"]),

        ["matmul inner"] = (() => [Ones(2, 3), Ones(4, 2)], x => NDArray.MatMul(x[0], x[1]), ["NDArray.MatMul", "(2, 3)", "(4, 2)"]),
        ["matmul vectors"] = (() => [Ones(3), Ones(4)], x => NDArray.MatMul(x[0], x[1]), ["NDArray.MatMul", "(3,)", "(4,)"]),
        ["matmul batch"] = (() => [Ones(2, 2, 3), Ones(3, 3, 2)], x => NDArray.MatMul(x[0], x[1]), ["NDArray.MatMul", "(2, 2, 3)", "(3, 3, 2)"]),
        ["matmul 0-d"] = (() => [NDArray.FromArray(2.0), Ones(3)], x => NDArray.MatMul(x[0], x[1]), ["NDArray.MatMul", "()", "(3,)"]),
        ["dot N-D"] = (() => [Ones(2, 3, 4), Ones(5, 6)], x => NDArray.Dot(x[0], x[1]), ["NDArray.Dot", "(2, 3, 4)", "(5, 6)"]),
        ["concatenate shapes"] = (() => [Ones(2, 3), Ones(2, 4)], x => NDArray.Concatenate(x, 0), ["NDArray.Concatenate", "(2, 3)", "(2, 4)"]),
        ["concatenate ndim"] = (() => [Ones(2, 3), Ones(3)], x => NDArray.Concatenate(x), ["NDArray.Concatenate", "(2, 3)", "(3,)"]),
        ["concatenate axis"] = (() => [Ones(2, 3), Ones(2, 3)], x => NDArray.Concatenate(x, 2), ["NDArray.Concatenate", "axis 2", "(2, 3)"]),
        ["concatenate 0-d"] = (() => [NDArray.FromArray(1.0)], x => NDArray.Concatenate(x), ["NDArray.Concatenate", "()"]),
        ["stack shapes"] = (() => [Ones(2, 3), Ones(3, 2)], x => NDArray.Stack(x), ["NDArray.Stack", "(2, 3)", "(3, 2)"]),
        ["stack axis"] = (() => [Ones(2, 3), Ones(2, 3)], x => NDArray.Stack(x, 3), ["NDArray.Stack", "axis 3", "(2, 3)"]),

        ["zeros negative"] = (() => [], _ => NDArray.Zeros(2, -1), ["NDArray.Zeros", "negative", "(2, -1)"]),
        ["ones negative"] = (() => [], _ => NDArray.Ones(-3), ["NDArray.Ones", "negative", "(-3,)"]),
        ["full negative"] = (() => [], _ => NDArray.Full([-1, 2], 1.0), ["NDArray.Full", "negative", "(-1, 2)"]),
        ["eye negative"] = (() => [], _ => NDArray.Eye(2, -2), ["NDArray.Eye", "negative", "(2, -2)"]),
        ["buffer size"] = (() => [], _ => new NDArray(new double[5], 2, 3), ["NDArray", "5 elements", "(2, 3)"]),
        ["buffer negative"] = (() => [], _ => new NDArray(new double[0], 0, -1), ["NDArray", "negative", "(0, -1)"]),
        ["fromarray string"] = (() => [], _ => NDArray.FromArray(new[] { "a", "b" }), ["NDArray.FromArray", "String"]),
        ["fromarray decimal"] = (() => [], _ => NDArray.FromArray(new decimal[2, 2]), ["NDArray.FromArray", "Decimal"]),
        ["fromarray jagged"] = (() => [], _ => NDArray.FromArray(new[] { new[] { 1.0, 2 }, new[] { 3.0 } }), ["NDArray.FromArray", "inhomogeneous", "(2, 2)"]),
        ["arange step 0"] = (() => [], _ => NDArray.Arange(0, 5, 0), ["NDArray.Arange", "step"]),
        ["arange too long"] = (() => [], _ => NDArray.Arange(0.0, 1e300), ["NDArray.Arange", "too many"]),
        ["linspace negative"] = (() => [], _ => NDArray.Linspace(0, 1, -1), ["NDArray.Linspace", "-1"]),
    };

    public static TheoryData<string> Names => new(Cases.Keys);

    [Theory, MemberData(nameof(Names))]
    public void ThrowsNamingOperationAndShapes(string name)
    {
        var (inputs, run, expect) = Cases[name];
        var x = inputs();
        var before = x.Select(a => a.Copy()).ToArray();
        var ex = Assert.ThrowsAny<ArgumentException>(() => run(x));
        foreach (var s in expect) Assert.Contains(s, ex.Message);
        for (int i = 0; i < x.Length; i++) Golden.AssertMatch(before[i], x[i], "exact", $"input {i}");
    }
}
