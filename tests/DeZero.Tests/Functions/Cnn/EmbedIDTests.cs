using static DeZero.Tests.Functions.Cnn.CnnCheck;
using F = DeZero.Functions;

namespace DeZero.Tests.Functions.Cnn;

/// <summary>EmbedID (the book's W[ids]) against the book's DeZero (tests/data/cnn.json) and numerically.</summary>
public class EmbedIDTests
{
    public static TheoryData<string, DType> EmbedIDCases() => Cases("embed_id");

    [Theory]
    [MemberData(nameof(EmbedIDCases))]
    public void EmbedIDMatchesDeZero(string name, DType dt)
    {
        var c = Case("embed_id", name);
        var ids = Reference.Array(c.GetProperty("ids"));
        Variable w = In(c, "W", dt);
        var y = F.EmbedID(ids, w);
        AssertRef(c, "y", dt, y.Data);
        AssertBackward(c, dt, y, ("W", w));
    }

    [Fact]
    public void Int32IdsWorkLikeInt64()
    {
        var w = Randn(1, 6, 4);
        var ids = new NDArray(new long[] { 5, 0, -2, 5 }, 2, 2);
        var expected = F.EmbedID(ids, w).Data;
        Reference.AssertClose(expected, F.EmbedID(ids.AsType(DType.Int32), w).Data, 0);
    }

    static readonly NDArray Ids = new(new long[] { 2, 0, 2, -1, 3, 2 }, 2, 3);

    [Fact]
    public void GradientCheck() =>
        CnnCheck.GradientCheck(v => F.EmbedID(Ids, v[0]), Randn(1, 4, 3));

    [Fact]
    public void SecondAndThirdOrder()
    {
        CnnCheck.GradientCheck(GradOf(v => F.EmbedID(Ids, v[0])), Randn(1, 4, 3));
        CnnCheck.GradientCheck(GradOf(GradOf(v => F.EmbedID(Ids, v[0])), 11), Randn(1, 4, 3));
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
