namespace DeZero.Tests.Numerics;

public class ShapeTests
{
    [Theory]
    [InlineData(new[] { 2, 3 }, "(2, 3)")]
    [InlineData(new[] { 5 }, "(5,)")]
    [InlineData(new int[0], "()")]
    [InlineData(new[] { 1, 0, 4 }, "(1, 0, 4)")]
    public void PrintsLikeNumPysTuple(int[] dims, string expected)
    {
        Assert.Equal(expected, NDArray.Zeros(dims).Shape.ToString());
        Assert.Equal(expected, new Variable(NDArray.Zeros(dims)).Shape.ToString());
        Assert.Equal($"shape {expected}", $"shape {NDArray.Zeros(dims).Shape}");
    }

    [Fact]
    public void IndexesSlicesAndEnumeratesLikeAListOfInts()
    {
        var shape = NDArray.Zeros(2, 3, 4).Shape;
        Assert.Equal((3, 3), (shape.Length, shape.Count));
        Assert.Equal((2, 4), (shape[0], shape[^1]));
        Assert.Equal(new Shape(), default);
        Assert.Equal("(3, 4)", shape[1..].ToString());
        var seen = new List<int>();
        foreach (int d in shape) seen.Add(d);
        Assert.Equal([2, 3, 4], seen);
        Assert.Equal(24, shape.Aggregate(1, (a, b) => a * b));
        Assert.True(shape is [2, _, 4]);
        Assert.Equal(new[] { 2, 3, 4 }, shape);
        Assert.Throws<IndexOutOfRangeException>(() => shape[3]);
        Assert.Equal(0, default(Shape).Length);
        Assert.Equal("()", default(Shape).ToString());
    }

    [Fact]
    public void ComparesByValue()
    {
        var a = NDArray.Zeros(2, 3).Shape;
        Assert.True(a == NDArray.Ones(2, 3).Shape);
        Assert.True(a != NDArray.Zeros(3, 2).Shape);
        Assert.True(a != NDArray.Zeros(2, 3, 1).Shape);
        Assert.True(a.Equals((object)NDArray.Ones(2, 3).Shape));
        Assert.Equal(a.GetHashCode(), NDArray.Ones(2, 3).Shape.GetHashCode());
        Assert.True(a == new[] { 2, 3 });
    }

    [Fact]
    public void ConvertsToAndFromIntArraysByCopying()
    {
        var x = NDArray.Zeros(2, 3);
        int[] dims = x.Shape;
        dims[0] = 9;
        Assert.Equal("(2, 3)", x.Shape.ToString());
        var source = new[] { 4, 5 };
        Shape s = source;
        source[0] = 0;
        Assert.Equal("(4, 5)", s.ToString());
        Assert.Equal(x.Shape, NDArray.Ones(x.Shape).Shape);
    }

    [Fact]
    public void ReadingTheShapeAllocatesNothing()
    {
        var x = new Variable(NDArray.Zeros(2, 3));
        int sum = ReadShapes(x, 10);
        long before = GC.GetAllocatedBytesForCurrentThread();
        sum += ReadShapes(x, 1000);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Equal(5 * 1010, sum);
    }

    static int ReadShapes(Variable x, int times)
    {
        int sum = 0;
        for (int i = 0; i < times; i++)
        {
            var s = x.Shape;
            sum += s[0] + s[^1] + (s == x.Data.Shape ? 0 : 1);
        }
        return sum;
    }
}
