using DeZero.Examples;
using F = DeZero.Functions;

namespace DeZero.Tests.Examples;

/// <summary>The book's stage 1–3 programs against the Python DeZero (tests/data/autograd.json).</summary>
[Collection("GlobalRandom")]
public class Stage1To3ExampleTests
{
    static readonly System.Text.Json.JsonElement Ref = Reference.Load("autograd");

    static void AssertRel(double expected, double actual, double rtol = 1e-12) =>
        Assert.True(Math.Abs(expected - actual) <= rtol * Math.Abs(expected), $"expected {expected:R}, got {actual:R}");

    // The README's claim: the first loss exactly as the book prints it, every loss within 1e-12.
    [Fact]
    public void Step43PrintsTheBooksLosses()
    {
        var expected = Ref.GetProperty("step43_losses").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        var losses = Step43.Train().Losses;
        Assert.Equal(expected.Length, losses.Count);
        Assert.Equal(expected[0], (double)losses[0].Data);
        Assert.Equal(Ref.GetProperty("step43_first_print").GetString(), losses[0].ToString());
        for (int i = 0; i < expected.Length; i++) AssertRel(expected[i], (double)losses[i].Data);
    }

    [Fact]
    public void TanhDrawsTheGraphOfTheChosenOrderAndKeepsTheDotOnlyWithoutGraphviz()
    {
        var dir = Directory.CreateTempSubdirectory("dezero-tanh").FullName;
        try
        {
            var png = Path.Combine(dir, "tanh.png");
            var values = Stage1To3.TanhDerivatives(order: 2, print: false, graphFile: png, graphOrder: 3);
            Assert.Equal(2, values.Count);
            bool rendered = File.Exists(png);
            Assert.NotEqual(rendered, File.Exists(Path.Combine(dir, "tanh.dot")));
            Assert.Equal(rendered ? 0 : 3, Environment.ExitCode);
        }
        finally
        {
            Environment.ExitCode = 0;
            Directory.Delete(dir, true);
        }
    }

    [Fact]
    public void LinearRegressionMatchesTheBook()
    {
        var lr = Ref.GetProperty("linear_regression");
        var (W, b, loss) = Stage1To3.LinearRegression(print: false);
        Reference.AssertClose(Reference.Array(lr.GetProperty("W")), W);
        Reference.AssertClose(Reference.Array(lr.GetProperty("b")), b);
        AssertRel(lr.GetProperty("loss").GetDouble(), loss);
    }

    [Fact]
    public void NewtonTanhAndDoubleBackpropExamples()
    {
        var newton = Stage1To3.Newton(print: false);
        var expected = Ref.GetProperty("newton").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        for (int i = 0; i < expected.Length; i++) AssertRel(expected[i], newton[i]);
        var tanh = Stage1To3.TanhDerivatives(print: false);
        var expTanh = Ref.GetProperty("tanh_derivatives").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        for (int i = 0; i < expTanh.Length; i++) AssertRel(expTanh[i], tanh[i]);
        AssertRel(Ref.GetProperty("double_backprop").GetDouble(), Stage1To3.DoubleBackprop(print: false));
        var (x0, x1) = Stage1To3.Rosenbrock(print: false);
        AssertRel(Ref.GetProperty("rosenbrock")[0].GetDouble(), x0, 1e-10);
        AssertRel(Ref.GetProperty("rosenbrock")[1].GetDouble(), x1, 1e-10);
    }

    [Fact]
    public void TrainingLoopKeepsTheHeapFlat()
    {
        var rng = new RandomState(0);
        var x = rng.Rand(100, 1);
        var y = NDArray.Sin(2 * Math.PI * x) + rng.Rand(100, 1);
        var W1 = new Variable(0.01 * rng.Randn(1, 10));
        var b1 = new Variable(NDArray.Zeros(10));
        var W2 = new Variable(0.01 * rng.Randn(10, 1));
        var b2 = new Variable(NDArray.Zeros(1));
        Variable[] ps = [W1, b1, W2, b2];
        void Step()
        {
            var loss = F.MeanSquaredError(y, F.Linear(F.Sigmoid(F.Linear(x, W1, b1)), W2, b2));
            foreach (var p in ps) p.ClearGrad();
            loss.Backward();
            foreach (var p in ps) p.Data -= 0.2 * p.Grad!.Data;
        }
        for (int i = 0; i < 2000; i++) Step();
        long before = Heap();
        for (int i = 0; i < 100_000; i++) Step();
        long after = Heap();
        Assert.True(after - before < 1 << 20, $"heap grew from {before} to {after} bytes over 100 000 iterations");
    }

    static long Heap()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        return GC.GetTotalMemory(true);
    }
}
