namespace DeZero.Tests;

public class SmokeTests
{
    [Fact]
    public void BroadcastAddPromotes()
    {
        var a = NDArray.FromArray(new[,] { { 1.0 }, { 2.0 } });
        var b = NDArray.FromArray(new[] { 10f, 20f, 30f });
        var c = a + b;
        Assert.Equal(DType.Float64, c.DType);
        Assert.Equal(new[] { 2, 3 }, c.Shape);
        Assert.Equal(new[] { 11.0, 21, 31, 12, 22, 32 }, c.ToArray<double>());
    }
}
