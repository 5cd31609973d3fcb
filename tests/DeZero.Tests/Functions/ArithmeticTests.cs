using F = DeZero.Functions;

namespace DeZero.Tests.Functions;

public class ArithmeticTests : BroadcastingFunctionTestCase<ArithmeticTests>
{
    protected override Dictionary<string, Func<Variable[], Variable>> Cases => new()
    {
        ["add"] = x => F.Add(x[0], x[1]),
        ["add_bcast"] = x => F.Add(x[0], x[1]),
        ["add_bcast2"] = x => F.Add(x[0], x[1]),
        ["add_scalar"] = x => F.Add(x[0], x[1]),
        ["sub"] = x => F.Sub(x[0], x[1]),
        ["sub_bcast"] = x => F.Sub(x[0], x[1]),
        ["mul"] = x => F.Mul(x[0], x[1]),
        ["mul_bcast"] = x => F.Mul(x[0], x[1]),
        ["div"] = x => F.Div(x[0], x[1]),
        ["div_bcast"] = x => F.Div(x[0], x[1]),
        ["neg"] = x => F.Neg(x[0]),
        ["pow"] = x => F.Pow(x[0], 3),
        ["pow_frac"] = x => F.Pow(x[0], 2.5),
        ["pow_neg"] = x => F.Pow(x[0], -1.5),
    };

    // Each binary function with the bad input on either side.
    protected override Dictionary<string, Func<Variable, Variable>> Calls
    {
        get
        {
            var a = NDArray.Zeros(2, 3);
            var calls = new Dictionary<string, Func<Variable, Variable>> { ["F.Neg"] = F.Neg, ["F.Pow"] = w => F.Pow(w, 2) };
            foreach (var op in new[] { "F.Add", "F.Sub", "F.Mul", "F.Div" })
            {
                calls[op] = w => Apply(op, a, w);
                calls[op + " left"] = w => Apply(op, w, a);
            }
            return calls;
        }
    }

    [Fact]
    public void OperatorsAreTheFunctions()
    {
        var x = FunctionTester.Inputs("div");
        Variable a = x[0], b = x[1];
        Reference.AssertClose(F.Add(a, b).Data, (a + b).Data);
        Reference.AssertClose(F.Sub(a, b).Data, (a - b).Data);
        Reference.AssertClose(F.Mul(a, b).Data, (a * b).Data);
        Reference.AssertClose(F.Div(a, b).Data, (a / b).Data);
        Reference.AssertClose(F.Neg(a).Data, (-a).Data);
        Reference.AssertClose(F.Pow(a, 2).Data, a.Pow(2).Data);
    }

    [Fact]
    public void ScalarConstantsKeepFloat32()
    {
        var x = new Variable(NDArray.Scalar(0.5, DType.Float32));
        var y = F.Pow(x, 3);
        y.Backward();
        Assert.Equal(DType.Float32, y.DType);
        Assert.Equal(DType.Float32, x.Grad!.DType);
        Assert.Equal(0.75f, (float)x.Grad.Data);
    }

    public static TheoryData<string> BinaryOps => new("F.Add", "F.Sub", "F.Mul", "F.Div");

    static Variable Apply(string op, Variable a, Variable b) => op switch
    {
        "F.Add" => F.Add(a, b),
        "F.Sub" => F.Sub(a, b),
        "F.Mul" => F.Mul(a, b),
        _ => F.Div(a, b),
    };

    [Theory, MemberData(nameof(BinaryOps))]
    public void IncompatibleShapesThrow(string op)
    {
        var a = NDArray.Zeros(2, 3);
        FunctionTester.Throws<ArgumentException>(() => Apply(op, a, NDArray.Zeros(4)), op, "(2, 3)", "(4,)");
        FunctionTester.Throws<ArgumentException>(() => Apply(op, NDArray.Zeros(3, 1, 5), NDArray.Zeros(2, 4)), op, "(3, 1, 5)", "(2, 4)");
    }

    [Fact]
    public void OperatorsReportTheFunction()
    {
        Variable a = NDArray.Zeros(2, 3), b = NDArray.Zeros(3, 2);
        FunctionTester.Throws<ArgumentException>(() => _ = a * b, "F.Mul", "(2, 3)", "(3, 2)");
    }

    [Fact]
    public void BadUnaryInputsThrow()
    {
        var flags = NDArray.FromArray(new[] { true, false });
        FunctionTester.Throws<ArgumentException>(() => F.Neg(flags), "F.Neg", "bool", "(2,)");
        FunctionTester.Throws<ArgumentException>(() => F.Sub(flags, flags), "F.Sub", "bool", "(2,)");
    }
}
