using F = DeZero.Functions;

namespace DeZero.Tests.Functions;

/// <summary>
/// The battery every function of F gets, in the spirit of Chainer's <c>FunctionTestCase</c>: a test class names its
/// cases of the reference data (functions.json or cnn.json, see FunctionTester) with the C# call of each and the calls
/// that take one variable, and inherits forward and backward against the Python DeZero in float64 and float32, the
/// numerical gradient check in float64, the double-backward check and the bad-input check.
/// </summary>
/// <typeparam name="TSelf">The test class itself (its cases feed the theories' data).</typeparam>
public abstract class FunctionTestCase<TSelf> where TSelf : FunctionTestCase<TSelf>, new()
{
    static readonly TSelf Self = new();

    /// <summary>Case name in the reference data → the C# call on its inputs.</summary>
    protected abstract Dictionary<string, Func<Variable[], Variable>> Cases { get; }

    /// <summary>The cases whose second derivatives are checked: all unless a class says otherwise (kinks, ties).</summary>
    protected virtual IEnumerable<string> SecondOrder => Cases.Keys;

    /// <summary>
    /// The function's name as its message gives it (F.Sin, Conv2d; optionally followed by a word saying which argument)
    /// → a call whose one variable argument is the bad input, a variable that holds no data.
    /// </summary>
    protected abstract Dictionary<string, Func<Variable, Variable>> Calls { get; }

    /// <summary>Tolerance factor of a case's reference comparison (1: ~1e-12 in float64, ~1e-6 in float32).</summary>
    protected virtual double ToleranceScale(string name) => 1;

    public static TheoryData<string, DType> CasesByDType => FunctionTester.WithDTypes(Self.Cases.Keys);
    public static TheoryData<string> CaseNames => new(Self.Cases.Keys);
    public static TheoryData<string> SecondOrderCases => new(Self.SecondOrder);
    public static TheoryData<string> CallNames => new(Self.Calls.Keys);

    /// <summary>Forward and every input gradient against the Python DeZero, in float64 and in float32 (dtypes kept).</summary>
    [Theory, MemberData(nameof(CasesByDType))]
    public void MatchesReference(string name, DType dtype) =>
        FunctionTester.CheckForwardBackward(name, Cases[name], dtype, ToleranceScale(name));

    /// <summary>Backprop against central differences in float64.</summary>
    [Theory, MemberData(nameof(CaseNames))]
    public void GradientCheck(string name) => FunctionTester.CheckGradient(name, Cases[name]);

    /// <summary>The backward pass is itself differentiable: second derivatives against central differences.</summary>
    [Theory, MemberData(nameof(SecondOrderCases))]
    public void DoubleBackward(string name) => FunctionTester.CheckHigherOrder(name, Cases[name]);

    /// <summary>A variable without data is refused with a message naming the function and the variable.</summary>
    [Theory, MemberData(nameof(CallNames))]
    public void MissingDataThrows(string call) => FunctionTester.ThrowsOnMissingData(Calls[call], call.Split(' ')[0]);
}

/// <summary>
/// The battery of a function whose inputs broadcast against each other: on top of <see cref="FunctionTestCase{TSelf}"/>,
/// every case whose float inputs differ in shape must give what it gives on inputs broadcast explicitly, and each input's
/// gradient must be the explicit one summed back to that input's shape.
/// </summary>
public abstract class BroadcastingFunctionTestCase<TSelf> : FunctionTestCase<TSelf> where TSelf : BroadcastingFunctionTestCase<TSelf>, new()
{
    static readonly TSelf Self = new();

    public static TheoryData<string> BroadcastCases => new(Self.Cases.Keys.Where(name =>
        FunctionTester.Inputs(name).Where(a => a.DType.IsFloat()).Select(a => ShapeUtil.Str(a.Dims)).Distinct().Count() > 1));

    [Theory, MemberData(nameof(BroadcastCases))]
    public void BroadcastingEqualsExplicitBroadcast(string name)
    {
        var inputs = FunctionTester.Inputs(name);
        var shape = inputs.Where(a => a.DType.IsFloat()).Select(a => a.Shape).Aggregate((s, t) => ShapeUtil.Broadcast(s, t, name));
        var xs = inputs.Select(a => new Variable(a)).ToArray();
        var explicitXs = inputs.Select(a => new Variable(a.DType.IsFloat() ? a.BroadcastTo(shape) : a)).ToArray();
        var y = Cases[name](xs);
        var explicitY = Cases[name](explicitXs);
        Reference.AssertClose(explicitY.Data, y.Data, 1e-15, 1e-15, $"{name} forward");
        y.Grad = new Variable(NDArray.OnesLike(y.Data));
        explicitY.Grad = new Variable(NDArray.OnesLike(explicitY.Data));
        y.Backward();
        explicitY.Backward();
        for (int i = 0; i < inputs.Length; i++)
        {
            if (!inputs[i].DType.IsFloat()) continue;
            Assert.Equal(inputs[i].Shape, xs[i].Grad!.Shape);
            Reference.AssertClose(F.SumTo(explicitXs[i].Grad!, inputs[i].Shape).Data, xs[i].Grad!.Data, 1e-14, 1e-14, $"{name} gradient of input {i}");
        }
    }
}
