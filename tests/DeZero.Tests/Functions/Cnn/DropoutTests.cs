using F = DeZero.Functions;

namespace DeZero.Tests.Functions.Cnn;

/// <summary>
/// Dropout with RandomState.Global seeded as the book's DeZero seeds np.random: the battery of
/// <see cref="FunctionTestCase{TSelf}"/> on the cases of tests/data/cnn.json (each call seeds the generator, so the
/// numerical checks see one fixed mask), test mode, bad ratios.
/// </summary>
[Collection("GlobalRandom")]
public class DropoutTests : FunctionTestCase<DropoutTests>
{
    static Func<Variable[], Variable> Seeded(int seed, double ratio) => x =>
    {
        RandomState.Global.Seed(seed);
        return F.Dropout(x[0], ratio);
    };

    protected override Dictionary<string, Func<Variable[], Variable>> Cases => new()
    {
        ["dropout_half_seed0"] = Seeded(0, 0.5),
        ["dropout_ratio02_seed7"] = Seeded(7, 0.2),
        ["dropout_ratio09_seed42"] = Seeded(42, 0.9),
        ["dropout_ratio04_seed3"] = Seeded(3, 0.4),
    };

    protected override Dictionary<string, Func<Variable, Variable>> Calls => new()
    {
        ["F.Dropout"] = w => F.Dropout(w),
    };

    static NDArray Randn(int seed, params int[] shape) => new RandomState(seed).Randn(shape);

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
