using static DeZero.Tests.Functions.Cnn.CnnCheck;
using F = DeZero.Functions;

namespace DeZero.Tests.Functions.Cnn;

/// <summary>Dropout with RandomState.Global against the book's DeZero seeded through np.random (tests/data/cnn.json).</summary>
[Collection("GlobalRandom")]
public class DropoutTests
{
    public static TheoryData<string, DType> DropoutCases() => Cases("dropout");

    [Theory]
    [MemberData(nameof(DropoutCases))]
    public void DropoutMatchesDeZeroExactly(string name, DType dt)
    {
        var c = Case("dropout", name);
        RandomState.Global.Seed(c.GetProperty("seed").GetInt64());
        Variable x = In(c, "x", dt);
        var y = F.Dropout(x, c.GetProperty("ratio").GetDouble());
        string sfx = dt == DType.Float32 ? "32" : "";
        Reference.AssertClose(Reference.Array(c.GetProperty("y" + sfx)), y.Data, 0, 0, name);
        F.Sum(y * In(c, "gy", dt)).Backward();
        Reference.AssertClose(Reference.Array(c.GetProperty("gx" + sfx)), x.Grad!.Data, 0, 0, name);
    }

    [Fact]
    public void IdentityInTestMode()
    {
        var x = new Variable(Randn(1, 3, 4));
        RandomState.Global.Seed(5);
        using (Config.TestMode())
            Assert.Same(x, F.Dropout(x, 0.7));
        // Test mode draws nothing from the generator.
        var next = RandomState.Global.Rand(3);
        RandomState.Global.Seed(5);
        Reference.AssertClose(RandomState.Global.Rand(3), next, 0);
    }

    [Fact]
    public void GradientCheckWithAFixedMask() =>
        GradientCheck(v =>
        {
            RandomState.Global.Seed(3);
            return F.Dropout(v[0], 0.4);
        }, Randn(1, 4, 5));

    [Fact]
    public void RejectsBadInput()
    {
        foreach (var ratio in new[] { -0.1, 1.0, double.NaN })
        {
            var ex = Assert.Throws<ArgumentOutOfRangeException>(() => F.Dropout(Randn(1, 3), ratio));
            Assert.Contains("F.Dropout", ex.Message);
        }
        var e = Assert.Throws<ArgumentException>(() => F.Dropout(new NDArray(new long[3], 3)));
        Assert.Contains("F.Dropout", e.Message);
        Assert.Contains("int64", e.Message);
    }
}
