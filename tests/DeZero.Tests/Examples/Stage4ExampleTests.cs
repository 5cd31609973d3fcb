using DeZero.Examples;

namespace DeZero.Tests.Examples;

/// <summary>The book's stage 4 programs against the Python DeZero running them (tests/data/examples.json).</summary>
[Collection("GlobalRandom")]
public class Stage4ExampleTests
{
    static readonly System.Text.Json.JsonElement Ref = Reference.Load("examples");

    static void AssertSeries(string key, List<double> actual, double rtol)
    {
        var expected = Ref.GetProperty(key).EnumerateArray().Select(e => e.GetDouble()).ToArray();
        Assert.Equal(expected.Length, actual.Count);
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= rtol * Math.Abs(expected[i]),
                $"{key}[{i}]: expected {expected[i]:R}, got {actual[i]:R}");
    }

    [Fact]
    public void SinRegressionWithLayersMatchesTheBook() => AssertSeries("sin_layers", Stage4.SinLayers(print: false), 1e-5);

    [Fact]
    public void SinRegressionWithAnOptimizerMatchesTheBook() => AssertSeries("sin_optimizer", Stage4.SinOptimizer(print: false), 1e-5);

    [Fact]
    public void SpiralPrintsTheBooksLosses() => AssertSeries("spiral", Stage4.Spiral(print: false), 1e-5);
}
