using F = DeZero.Functions;

namespace DeZero.Tests.Functions;

public class MathTests
{
    static readonly Dictionary<string, Func<Variable[], Variable>> Cases = new()
    {
        ["sin"] = x => F.Sin(x[0]),
        ["cos"] = x => F.Cos(x[0]),
        ["tanh"] = x => F.Tanh(x[0]),
        ["exp"] = x => F.Exp(x[0]),
        ["log"] = x => F.Log(x[0]),
        ["square"] = x => F.Square(x[0]),
        ["clip"] = x => F.Clip(x[0], -0.5, 0.8),
    };

    public static TheoryData<string, DType> CasesByDType => FunctionTester.WithDTypes(Cases.Keys);
    public static TheoryData<string> CaseNames => new(Cases.Keys);
    public static TheoryData<string> SecondOrder => new("sin", "cos", "tanh", "exp", "log", "square");

    [Theory, MemberData(nameof(CasesByDType))]
    public void MatchesDeZero(string name, DType dtype) => FunctionTester.CheckForwardBackward(name, Cases[name], dtype);

    [Theory, MemberData(nameof(CaseNames))]
    public void GradientCheck(string name) => FunctionTester.CheckGradient(name, Cases[name]);

    [Theory, MemberData(nameof(SecondOrder))]
    public void DoubleBackward(string name) => FunctionTester.CheckDoubleBackward(name, Cases[name]);

    [Fact]
    public void ScalarFloat32StaysFloat32()
    {
        var x = new Variable(NDArray.Scalar(0.5, DType.Float32));
        var y = F.Tanh(F.Square(x));
        y.Backward();
        Assert.Equal(DType.Float32, y.DType);
        Assert.Equal(DType.Float32, x.Grad!.DType);
        double t = Math.Tanh(0.25);
        Assert.Equal((1 - t * t) * 2 * 0.5, (float)x.Grad.Data, 6);
    }

    [Fact]
    public void ClipPassesGradientOnlyInsideTheRange()
    {
        var x = new Variable(NDArray.FromArray(new[] { -2.0, -0.5, 0.1, 0.8, 3.0 }));
        var y = F.Clip(x, -0.5, 0.8);
        y.Backward();
        Assert.Equal(new[] { -0.5, -0.5, 0.1, 0.8, 0.8 }, y.Data.ToArray<double>());
        Assert.Equal(new[] { 0.0, 1, 1, 1, 0 }, x.Grad!.Data.ToArray<double>());
    }

    public static TheoryData<string> Ops => new("F.Sin", "F.Cos", "F.Tanh", "F.Exp", "F.Log", "F.Square", "F.Clip");

    [Theory, MemberData(nameof(Ops))]
    public void MissingDataThrows(string op) => FunctionTester.ThrowsOnMissingData(op switch
    {
        "F.Sin" => F.Sin,
        "F.Cos" => F.Cos,
        "F.Tanh" => F.Tanh,
        "F.Exp" => F.Exp,
        "F.Log" => F.Log,
        "F.Square" => F.Square,
        _ => w => F.Clip(w, 0, 1),
    }, op);

    [Fact]
    public void ClipBoundsOutOfOrderThrow()
    {
        var x = NDArray.Zeros(2, 3);
        FunctionTester.Throws<ArgumentException>(() => F.Clip(x, 1, 0), "F.Clip", "(2, 3)");
        FunctionTester.Throws<ArgumentException>(() => F.Clip(x, double.NaN, 0), "F.Clip", "NaN");
    }
}
