using System.Text.Json;

namespace DeZero.Tests.Numerics;

public class RandomStateTests
{
    static JsonElement Sequence(string name) =>
        Reference.Load("random").GetProperty("sequences").EnumerateArray().Single(s => s.GetProperty("name").GetString() == name);

    public static TheoryData<string> SequenceNames()
    {
        var data = new TheoryData<string>();
        foreach (var s in Reference.Load("random").GetProperty("sequences").EnumerateArray()) data.Add(s.GetProperty("name").GetString()!);
        return data;
    }

    static int[] Shape(JsonElement call) => call.GetProperty("shape").EnumerateArray().Select(x => x.GetInt32()).ToArray();

    // Same shape, dtype and bits: int64 compared as longs (beyond 2^53), float64 by bit pattern.
    static void AssertExact(NDArray expected, NDArray actual, string what)
    {
        Assert.True(expected.Shape.SequenceEqual(actual.Shape),
            $"{what}: shape: expected {ShapeUtil.Str(expected.Dims)}, got {ShapeUtil.Str(actual.Dims)}");
        Assert.Equal(expected.DType, actual.DType);
        if (expected.DType == DType.Int64)
            Assert.Equal(expected.ToArray<long>(), actual.ToArray<long>());
        else
            Assert.Equal(expected.ToArray<double>().Select(BitConverter.DoubleToInt64Bits), actual.ToArray<double>().Select(BitConverter.DoubleToInt64Bits));
    }

    // Replays one recorded call on rs and returns its result (null for calls without one).
    static NDArray? Replay(RandomState rs, JsonElement c)
    {
        double D(string k) => c.GetProperty(k).GetDouble();
        long L(string k) => c.GetProperty(k).GetInt64();
        switch (c.GetProperty("op").GetString())
        {
            case "seed": rs.Seed(L("seed")); return null;
            case "rand": return rs.Rand(Shape(c));
            case "randn": return rs.Randn(Shape(c));
            case "randint": return rs.RandInt(L("low"), L("high"), Shape(c));
            case "uniform": return rs.Uniform(D("low"), D("high"), Shape(c));
            case "normal": return rs.Normal(D("loc"), D("scale"), Shape(c));
            case "permutation": return rs.Permutation((int)L("n"));
            case "permutation_array": return rs.Permutation(Reference.Array(c.GetProperty("input")));
            case "shuffle":
                var x = Reference.Array(c.GetProperty("input"));
                rs.Shuffle(x);
                return x;
            case "choice":
                var p = c.GetProperty("p");
                return rs.Choice((int)L("a"), (int)L("size"), c.GetProperty("replace").GetBoolean(),
                    p.ValueKind == JsonValueKind.Null ? null : Reference.Array(p));
            case "next_double": return NDArray.FromArray(rs.NextDouble());
            case "next_gaussian": return NDArray.FromArray(rs.NextGaussian());
            case "next_int64": return NDArray.FromArray(rs.NextInt64(L("low"), L("high")));
            case var op: throw new InvalidDataException($"unknown op {op}");
        }
    }

    [Theory]
    [MemberData(nameof(SequenceNames))]
    public void MatchesNumPyBitForBit(string name)
    {
        var seq = Sequence(name);
        var rs = new RandomState(seq.GetProperty("seed").GetInt64());
        int i = 0;
        foreach (var call in seq.GetProperty("calls").EnumerateArray())
        {
            var actual = Replay(rs, call);
            if (actual is not null) AssertExact(Reference.Array(call.GetProperty("out")), actual, $"{name} call {i} ({call.GetProperty("op")})");
            i++;
        }
    }

    [Fact]
    public void FirstValuesOfSeedZeroAreNumPys()
    {
        Assert.Equal(0.5488135039273248, new RandomState(0).NextDouble());
        Assert.Equal(1.764052345967664, new RandomState(0).NextGaussian());
    }

    [Fact]
    public void OmittedShapeGivesZeroDimensionalArray()
    {
        var a = new RandomState(3).Rand();
        Assert.Equal(0, a.Ndim);
        Assert.Equal(new RandomState(3).NextDouble(), a.ToScalar<double>());
        Assert.Equal(0, new RandomState(3).RandInt(0, 5).Ndim);
    }

    [Fact]
    public void SeedRestartsTheSequenceAndDropsTheCachedGaussian()
    {
        var rs = new RandomState(11);
        var first = rs.Randn(3).ToArray<double>();
        rs.Seed(11);
        Assert.Equal(first, rs.Randn(3).ToArray<double>());
    }

    [Fact]
    public void GlobalIsOneSharedInstance()
    {
        Assert.Same(RandomState.Global, RandomState.Global);
    }

    [Fact]
    public void EntropySeededGeneratorsDiffer()
    {
        Assert.NotEqual(new RandomState().Rand(4).ToArray<double>(), new RandomState().Rand(4).ToArray<double>());
    }

    [Fact]
    public void PermutationOfArrayLeavesInputUnchanged()
    {
        var x = NDArray.Arange(10);
        var y = new RandomState(0).Permutation(x);
        Assert.Equal(Enumerable.Range(0, 10).Select(v => (long)v), x.ToArray<long>());
        Assert.Equal(new RandomState(0).Permutation(10).ToArray<long>(), y.ToArray<long>());
    }

    [Fact]
    public void ShuffleKeepsRowsTogether()
    {
        var x = NDArray.Arange(12).Reshape(4, 3).AsType(DType.Int32);
        new RandomState(5).Shuffle(x);
        var v = x.ToArray<int>();
        for (int r = 0; r < 4; r++)
        {
            Assert.Equal(0, v[r * 3] % 3);
            Assert.Equal(v[r * 3] + 1, v[r * 3 + 1]);
            Assert.Equal(v[r * 3] + 2, v[r * 3 + 2]);
        }
        Assert.Equal(new long[] { 0, 3, 6, 9 }, v.Where((_, i) => i % 3 == 0).Select(a => (long)a).Order());
    }

    [Theory]
    [InlineData(-1L)]
    [InlineData(4294967296L)]
    [InlineData(long.MinValue)]
    public void SeedOutOfRangeThrows(long seed)
    {
        Assert.Throws<ArgumentException>(() => new RandomState(seed));
        Assert.Throws<ArgumentException>(() => new RandomState(0).Seed(seed));
    }

    [Fact]
    public void NegativeShapeThrows()
    {
        var rs = new RandomState(0);
        Assert.Throws<ArgumentException>(() => rs.Rand(2, -1));
        Assert.Throws<ArgumentException>(() => rs.Randn(-3));
        Assert.Throws<ArgumentException>(() => rs.RandInt(0, 5, -1));
        Assert.Throws<ArgumentException>(() => rs.Uniform(0, 1, -1));
        Assert.Throws<ArgumentException>(() => rs.Normal(0, 1, -1));
        Assert.Throws<ArgumentException>(() => rs.Permutation(-1));
    }

    [Theory]
    [InlineData(5L, 5L)]
    [InlineData(6L, 5L)]
    [InlineData(long.MaxValue, long.MinValue)]
    public void RandIntLowNotBelowHighThrows(long low, long high)
    {
        var rs = new RandomState(0);
        var e = Assert.Throws<ArgumentException>(() => rs.RandInt(low, high, 3));
        Assert.Contains("low >= high", e.Message);
        Assert.Throws<ArgumentException>(() => rs.NextInt64(low, high));
    }

    [Fact]
    public void BadDistributionParametersThrow()
    {
        var rs = new RandomState(0);
        Assert.Throws<ArgumentException>(() => rs.Normal(0, -1, 2));
        Assert.Throws<ArgumentException>(() => rs.Normal(0, -0.0, 2));
        Assert.Throws<ArgumentException>(() => rs.Uniform(0, double.PositiveInfinity, 2));
        Assert.Throws<ArgumentException>(() => rs.Uniform(-double.MaxValue, double.MaxValue, 2));
        Assert.Throws<ArgumentException>(() => rs.Uniform(double.NaN, 1, 2));
    }

    [Fact]
    public void ShuffleOfZeroDimensionalArrayThrows()
    {
        var rs = new RandomState(0);
        Assert.Throws<ArgumentException>(() => rs.Shuffle(NDArray.FromArray(1.0)));
        Assert.Throws<ArgumentException>(() => rs.Permutation(NDArray.FromArray(1.0)));
    }

    [Fact]
    public void BadChoiceArgumentsThrow()
    {
        var rs = new RandomState(0);
        Assert.Throws<ArgumentException>(() => rs.Choice(5, 6, replace: false));
        Assert.Throws<ArgumentException>(() => rs.Choice(5, -1));
        Assert.Throws<ArgumentException>(() => rs.Choice(0, 1));
        Assert.Throws<ArgumentException>(() => rs.Choice(-2, 0));
        Assert.Contains("sum to 1", Assert.Throws<ArgumentException>(() => rs.Choice(3, 2, p: NDArray.FromArray(new[] { 0.2, 0.2, 0.2 }))).Message);
        Assert.Throws<ArgumentException>(() => rs.Choice(3, 2, p: NDArray.FromArray(new[] { 0.5, 0.5 })));
        Assert.Throws<ArgumentException>(() => rs.Choice(4, 2, p: NDArray.FromArray(new[,] { { 0.25, 0.25 }, { 0.25, 0.25 } })));
        Assert.Throws<ArgumentException>(() => rs.Choice(3, 2, p: NDArray.FromArray(new[] { 1.5, -0.5, 0.0 })));
        Assert.Throws<ArgumentException>(() => rs.Choice(2, 2, p: NDArray.FromArray(new[] { double.NaN, 1.0 })));
        Assert.Throws<ArgumentException>(() => rs.Choice(3, 2, replace: false, p: NDArray.FromArray(new[] { 1.0, 0.0, 0.0 })));
    }

    [Fact]
    public void ChoiceToleranceFollowsTheProbabilitiesDType()
    {
        // 1e-5 off: outside float64's sqrt(eps) ≈ 1.5e-8 but inside float32's ≈ 3.5e-4, as in NumPy.
        var p64 = NDArray.FromArray(new[] { 0.5, 0.50001 });
        Assert.Throws<ArgumentException>(() => new RandomState(0).Choice(2, 3, p: p64));
        Assert.Equal(3, new RandomState(0).Choice(2, 3, p: p64.AsType(DType.Float32)).Size);
    }

    [Fact]
    public void FailedCallsLeaveTheSequenceUntouched()
    {
        var rs = new RandomState(8);
        Assert.Throws<ArgumentException>(() => rs.Choice(3, 4, replace: false));
        Assert.Throws<ArgumentException>(() => rs.Normal(0, -1, 2));
        Assert.Equal(new RandomState(8).Rand(3).ToArray<double>(), rs.Rand(3).ToArray<double>());
    }
}
