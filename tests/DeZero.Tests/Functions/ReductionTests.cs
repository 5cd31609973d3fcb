using F = DeZero.Functions;

namespace DeZero.Tests.Functions;

public class ReductionTests : FunctionTestCase<ReductionTests>
{
    // DeZero's max/min backward does not normalise negative axes, so their cases were generated with the
    // positive axes; the calls here spell some of them negatively.
    protected override Dictionary<string, Func<Variable[], Variable>> Cases => new()
    {
        ["sum"] = x => F.Sum(x[0]),
        ["sum_axis0"] = x => F.Sum(x[0], 0),
        ["sum_axis1_keep"] = x => F.Sum(x[0], 1, keepdims: true),
        ["sum_axes"] = x => F.Sum(x[0], [0, 2]),
        ["sum_neg_axis"] = x => F.Sum(x[0], -1),
        ["average"] = x => F.Average(x[0]),
        ["average_axis1_keep"] = x => F.Average(x[0], 1, keepdims: true),
        ["mean_axis0"] = x => F.Mean(x[0], 0),
        ["max"] = x => F.Max(x[0]),
        ["max_axis1"] = x => F.Max(x[0], -1),
        ["max_axis0_keep"] = x => F.Max(x[0], 0, keepdims: true),
        ["max_axes"] = x => F.Max(x[0], [-1, 0]),
        ["min"] = x => F.Min(x[0]),
        ["min_axis1"] = x => F.Min(x[0], 1),
        ["min_axis1_keep"] = x => F.Min(x[0], -1, keepdims: true),
    };

    protected override Dictionary<string, Func<Variable, Variable>> Calls => new()
    {
        ["F.Sum"] = w => F.Sum(w),
        ["F.Average"] = w => F.Average(w),
        ["F.Max"] = w => F.Max(w),
        ["F.Min"] = w => F.Min(w),
    };

    [Fact]
    public void MaxGivesTheGradientToEveryTie()
    {
        var x = new Variable(NDArray.FromArray(new[,] { { 1.0, 3.0, 3.0 }, { 2.0, 0.0, -1.0 } }));
        var y = F.Max(x, 1);
        y.Backward();
        Assert.Equal(new[] { 0.0, 1, 1, 1, 0, 0 }, x.Grad!.Data.ToArray<double>());
    }

    [Fact]
    public void BadAxesThrow()
    {
        var x = NDArray.Zeros(2, 3);
        FunctionTester.Throws<ArgumentException>(() => F.Sum(x, 2), "F.Sum", "(2, 3)", "axis 2");
        FunctionTester.Throws<ArgumentException>(() => F.Sum(x, [0, -2]), "F.Sum", "(2, 3)", "duplicate");
        FunctionTester.Throws<ArgumentException>(() => F.Average(x, -3), "F.Average", "(2, 3)", "axis -3");
        FunctionTester.Throws<ArgumentException>(() => F.Mean(x, [1, 5]), "F.Average", "(2, 3)", "axis 5");
        FunctionTester.Throws<ArgumentException>(() => F.Max(x, 2), "F.Max", "(2, 3)", "axis 2");
        FunctionTester.Throws<ArgumentException>(() => F.Min(x, [0, 0]), "F.Min", "(2, 3)", "duplicate");
        FunctionTester.Throws<ArgumentException>(() => F.Max(NDArray.Zeros(0, 3), 0), "F.Max", "(0, 3)");
        FunctionTester.Throws<ArgumentException>(() => F.Min(NDArray.Zeros(2, 0)), "F.Min", "(2, 0)");
    }
}
