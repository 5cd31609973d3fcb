using F = DeZero.Functions;

namespace DeZero.Tests.Functions.Cnn;

/// <summary>EmbedID (the book's W[ids]): the battery of <see cref="FunctionTestCase{TSelf}"/> on the cases of tests/data/cnn.json, third derivatives, int32 ids and ids out of range.</summary>
public class EmbedIDTests : FunctionTestCase<EmbedIDTests>
{
    protected override Dictionary<string, Func<Variable[], Variable>> Cases => new()
    {
        ["embed_id_ids_2x3_repeats"] = x => F.EmbedID(x[0], x[1]),
        ["embed_id_ids_1d_negative"] = x => F.EmbedID(x[0], x[1]),
        ["embed_id_scalar_id"] = x => F.EmbedID(x[0], x[1]),
        ["embed_id_w_3d"] = x => F.EmbedID(x[0], x[1]),
        ["embed_id_ids_2x3_negative_repeats"] = x => F.EmbedID(x[0], x[1]),
    };

    protected override Dictionary<string, Func<Variable, Variable>> Calls => new()
    {
        ["EmbedID W"] = w => F.EmbedID(new NDArray(new long[] { 0 }, 1), w),
        ["EmbedID ids"] = w => F.EmbedID(w, NDArray.Zeros(3, 2)),
    };

    public static TheoryData<string> ThirdOrderCases => CaseNames;

    /// <summary>EmbedID's backward (a scatter-add) is differentiable twice more.</summary>
    [Theory, MemberData(nameof(ThirdOrderCases))]
    public void ThirdOrder(string name) => FunctionTester.CheckHigherOrder(name, Cases[name], order: 3);

    static NDArray Randn(int seed, params int[] shape) => new RandomState(seed).Randn(shape);

    [Fact]
    public void Int32IdsWorkLikeInt64()
    {
        var w = Randn(1, 6, 4);
        var ids = new NDArray(new long[] { 5, 0, -2, 5 }, 2, 2);
        var expected = F.EmbedID(ids, w).Data;
        Reference.AssertClose(expected, F.EmbedID(ids.AsType(DType.Int32), w).Data, 0);
    }

    [Theory]
    [InlineData(5L)]
    [InlineData(-6L)]
    [InlineData(100L)]
    public void OutOfRangeIdThrows(long id)
    {
        var ex = Assert.Throws<IndexOutOfRangeException>(() => F.EmbedID(new NDArray(new[] { 0, id, 1 }, 3), Randn(1, 5, 2)));
        Assert.Contains("F.EmbedID", ex.Message);
        Assert.Contains(id.ToString(), ex.Message);
        Assert.Contains("5", ex.Message);
    }

    [Fact]
    public void RejectsBadInput()
    {
        var ex = Assert.Throws<ArgumentException>(() => F.EmbedID(NDArray.Zeros(3), Randn(1, 5, 2)));
        Assert.Contains("F.EmbedID", ex.Message);
        Assert.Contains("float64", ex.Message);
        ex = Assert.Throws<ArgumentException>(() => F.EmbedID(new NDArray(new long[] { 0 }, 1), NDArray.Scalar(1.0)));
        Assert.Contains("F.EmbedID", ex.Message);
    }
}
