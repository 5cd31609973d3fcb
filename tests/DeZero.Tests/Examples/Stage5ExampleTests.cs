using DeZero.Examples;

namespace DeZero.Tests.Examples;

[Collection("GlobalRandom")]
public class Stage5ExampleTests
{
    [Fact]
    public void LstmSineCurvePrintsTheBooksLosses()
    {
        var expected = Reference.Load("examples").GetProperty("lstm").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        var losses = Stage5.Lstm(maxEpoch: expected.Length, print: false);
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - losses[i]) <= 1e-5 * expected[i], $"epoch {i + 1}: expected {expected[i]:R}, got {losses[i]:R}");
    }
}
