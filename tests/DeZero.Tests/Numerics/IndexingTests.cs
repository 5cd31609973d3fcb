using System.Text.Json;

namespace DeZero.Tests.Numerics;

public class IndexingTests
{
    static JsonElement Data => Reference.Load("indexing");

    public static TheoryData<string> Cases(string group)
    {
        var d = new TheoryData<string>();
        foreach (var c in Reference.Load("indexing").GetProperty(group).EnumerateArray()) d.Add(c.GetProperty("name").GetString()!);
        return d;
    }

    public static TheoryData<string> Reads => Cases("reads");
    public static TheoryData<string> Writes => Cases("writes");
    public static TheoryData<string> AddAts => Cases("add_at");
    public static TheoryData<string> Grads => Cases("grads");

    static JsonElement Case(string group, string name) =>
        Data.GetProperty(group).EnumerateArray().First(c => c.GetProperty("name").GetString() == name);

    static NDIndex[] Index(JsonElement e) => e.EnumerateArray().Select(Entry).ToArray();

    static NDIndex Entry(JsonElement e)
    {
        if (e.TryGetProperty("int", out var i)) return i.GetInt32();
        if (e.TryGetProperty("newaxis", out _)) return NDIndex.NewAxis;
        if (e.TryGetProperty("ellipsis", out _)) return NDIndex.Ellipsis;
        if (e.TryGetProperty("array", out var a)) return Reference.Array(a);
        var s = e.GetProperty("slice").EnumerateArray().Select(x => x.ValueKind == JsonValueKind.Null ? (int?)null : x.GetInt32()).ToArray();
        return s[2] is int step ? Slice.Of(s[0], s[1], step) : Slice.Of(s[0], s[1]);
    }

    // NumPy's IndexError for an out-of-bounds index is an IndexOutOfRangeException; every other rejection an ArgumentException.
    static void AssertThrows(string kind, Action act)
    {
        if (kind == "range") Assert.Throws<IndexOutOfRangeException>(act);
        else Assert.Throws<ArgumentException>(act);
    }

    static void AssertSame(NDArray expected, NDArray actual, string what)
    {
        Reference.AssertClose(expected, actual, 0, 0, what);
        // Bit-exact, including the sign of zero.
        Assert.Equal(expected.ToArray<double>().Select(BitConverter.DoubleToInt64Bits), actual.ToArray<double>().Select(BitConverter.DoubleToInt64Bits));
    }

    [Theory]
    [MemberData(nameof(Reads))]
    public void ReadMatchesNumPy(string name)
    {
        var c = Case("reads", name);
        var a = Reference.Array(c.GetProperty("array"));
        var index = Index(c.GetProperty("index"));
        var before = a.Copy();
        if (c.TryGetProperty("error", out var err)) AssertThrows(err.GetString()!, () => _ = a[index]);
        else
        {
            var r = a[index];
            AssertSame(Reference.Array(c.GetProperty("result")), r, name);
            Assert.NotSame(a.Buffer, r.Buffer);
        }
        AssertSame(before, a, name + " (input unchanged)");
    }

    [Theory]
    [MemberData(nameof(Writes))]
    public void WriteMatchesNumPy(string name)
    {
        var c = Case("writes", name);
        var a = Reference.Array(c.GetProperty("array"));
        var value = Reference.Array(c.GetProperty("value"));
        var index = Index(c.GetProperty("index"));
        var before = a.Copy();
        if (c.TryGetProperty("error", out var err))
        {
            AssertThrows(err.GetString()!, () => a[index] = value);
            AssertSame(before, a, name + " (unchanged after a failed write)");
        }
        else
        {
            a[index] = value;
            AssertSame(Reference.Array(c.GetProperty("result")), a, name);
        }
    }

    [Theory]
    [MemberData(nameof(AddAts))]
    public void AddAtMatchesNumPy(string name)
    {
        var c = Case("add_at", name);
        var t = Reference.Array(c.GetProperty("target"));
        var values = Reference.Array(c.GetProperty("values"));
        // NumPy's 0-d float64 scalar takes part in value-based casting like our 0-d arrays.
        var index = Index(c.GetProperty("index"));
        var before = t.Copy();
        if (c.TryGetProperty("error", out var err))
        {
            AssertThrows(err.GetString()!, () => NDArray.AddAt(t, index, values));
            AssertSame(before, t, name + " (unchanged after a failed AddAt)");
        }
        else
        {
            if (index.Length == 1 && index[0].Array is { } idx && idx.DType.IsInteger()) NDArray.AddAt(t, idx, values);
            else NDArray.AddAt(t, index, values);
            AssertSame(Reference.Array(c.GetProperty("result")), t, name);
        }
    }

    [Theory]
    [MemberData(nameof(Grads))]
    public void GetItemGradMatchesNumPy(string name)
    {
        var c = Case("grads", name);
        var shape = c.GetProperty("shape").EnumerateArray().Select(x => x.GetInt32()).ToArray();
        var gy = Reference.Array(c.GetProperty("gy"));
        var gx = NDArray.GetItemGrad(gy, shape, Index(c.GetProperty("index")));
        AssertSame(Reference.Array(c.GetProperty("gx")), gx, name);
    }

    [Fact]
    public void SliceIndicesMatchPython()
    {
        foreach (var c in Data.GetProperty("slices").EnumerateArray())
        {
            var s = c.GetProperty("slice").EnumerateArray().Select(x => x.ValueKind == JsonValueKind.Null ? (int?)null : x.GetInt32()).ToArray();
            var slice = s[2] is int step ? Slice.Of(s[0], s[1], step) : Slice.Of(s[0], s[1]);
            int n = c.GetProperty("length").GetInt32();
            var e = c.GetProperty("indices").EnumerateArray().Select(x => x.GetInt32()).ToArray();
            var (start, stop, st, count) = slice.Indices(n);
            Assert.Equal((e[0], e[1], e[2], c.GetProperty("count").GetInt32()), (start, stop, st, count));
        }
    }

    static NDArray A(int rows, int cols) => NDArray.Arange(rows * cols).Reshape(rows, cols);

    static void AssertEqual(NDArray expected, NDArray actual) => AssertSame(expected, actual, "");

    [Fact]
    public void RangesAreStepOneSlices()
    {
        var a = A(4, 5);
        AssertEqual(a[Slice.Of(1, null), Slice.Of(null, 2)], a[1.., ..2]);
        AssertEqual(a[Slice.Of(null, -1), Slice.Of(-2, null)], a[..^1, ^2..]);
        AssertEqual(a[Slice.Of(1, 3)], a[1..3]);
        AssertEqual(a[Slice.All], a[..]);
        Assert.Equal([0, 5], a[^0.., ..].Shape);
        Assert.Equal(new long[] { 15, 16, 17, 18, 19 }, a[^1].ToArray<long>());
        Assert.Equal(18L, (long)a[^1, ^2]);
        Assert.Equal(7L, (long)a[1L, 2L]);
        Assert.Throws<IndexOutOfRangeException>(() => a[^0]);
        Assert.Throws<IndexOutOfRangeException>(() => a[long.MaxValue]);
    }

    [Fact]
    public void DefaultSliceIsAll()
    {
        Assert.Equal(Slice.All, default);
        Assert.Equal(1, default(Slice).Step);
        Assert.Equal(Slice.Of(null, null), (Slice)(..));
        Assert.Equal(Slice.Of(int.MaxValue, null), (Slice)(^0..));
        Assert.Throws<ArgumentException>(() => Slice.Of(0, 3, 0));
        Assert.Equal("1:-1", Slice.Of(1, -1).ToString());
        Assert.Equal("::-2", Slice.Of(null, null, -2).ToString());
        Assert.Equal(":", Slice.All.ToString());
    }

    [Fact]
    public void SoftmaxCrossEntropyPicksOneProbabilityPerRow()
    {
        var p = A(3, 4).AsType(DType.Float64);
        var t = NDArray.FromArray(new long[] { 2, 0, 3 });
        var picked = p[NDArray.Arange(3), t];
        Assert.Equal(new[] { 3 }, picked.Shape);
        Assert.Equal(new[] { 2.0, 4, 11 }, picked.ToArray<double>());
        var gx = NDArray.GetItemGrad(NDArray.Ones(3), [3, 4], NDArray.Arange(3), t);
        Assert.Equal(new double[] { 0, 0, 1, 0, 1, 0, 0, 0, 0, 0, 0, 1 }, gx.ToArray<double>());
    }

    [Fact]
    public void AddAtAccumulatesRepeatedRowsAndCells()
    {
        var g = NDArray.Zeros(3, 2);
        NDArray.AddAt(g, NDArray.FromArray(new[] { 1, 1, 0, 1 }), NDArray.Ones(4, 2));
        Assert.Equal(new double[] { 1, 1, 3, 3, 0, 0 }, g.ToArray<double>());
        NDArray.AddAt(g, [NDArray.FromArray(new[] { 2, 2 }), NDArray.FromArray(new[] { 0, 0 })], NDArray.FromArray(new[] { 0.5, 0.25 }));
        Assert.Equal(new double[] { 1, 1, 3, 3, 0.75, 0 }, g.ToArray<double>());
    }

    [Fact]
    public void FillWritesAScalarThroughAnyIndex()
    {
        var a = A(3, 4);
        a.Fill(-1, a > 8L);
        a.Fill(2.9, 0, Slice.Of(null, null, 2));
        Assert.Equal(new long[] { 2, 1, 2, 3, 4, 5, 6, 7, 8, -1, -1, -1 }, a.ToArray<long>());
        a.Fill(5);
        Assert.All(a.ToArray<long>(), v => Assert.Equal(5, v));
        Assert.Throws<IndexOutOfRangeException>(() => a.Fill(0, 3));
    }

    [Fact]
    public void AssigningAnOverlappingViewOfItselfUsesTheOldValues()
    {
        var a = NDArray.Arange(6);
        a[1..] = a.Reshape(6)[..5];
        Assert.Equal(new long[] { 0, 0, 1, 2, 3, 4 }, a.ToArray<long>());
        var b = NDArray.Arange(4);
        b[Slice.Of(null, null, -1)] = b.Reshape(4);
        Assert.Equal(new long[] { 3, 2, 1, 0 }, b.ToArray<long>());
        var c = NDArray.Arange(4);
        NDArray.AddAt(c, NDArray.FromArray(new[] { 3, 2, 1, 0 }), c.Reshape(4));
        Assert.Equal(new long[] { 3, 3, 3, 3 }, c.ToArray<long>());
    }

    [Fact]
    public void ErrorMessagesNameIndexAxisAndSize()
    {
        var a = A(3, 4);
        var e = Assert.Throws<IndexOutOfRangeException>(() => a[1, 7]);
        Assert.Contains("index 7 is out of bounds for axis 1 with size 4", e.Message);
        e = Assert.Throws<IndexOutOfRangeException>(() => a[NDArray.FromArray(new[] { 0, -4 })]);
        Assert.Contains("index -4 is out of bounds for axis 0 with size 3", e.Message);
        var f = Assert.Throws<ArgumentException>(() => a[0, 0, 0]);
        Assert.Contains("too many indices", f.Message);
        f = Assert.Throws<ArgumentException>(() => a[NDArray.FromArray(new[] { 0.0 })]);
        Assert.Contains("float64", f.Message);
        f = Assert.Throws<ArgumentException>(() => a[NDArray.FromArray(true)]);
        Assert.Contains("0-d boolean", f.Message);
        f = Assert.Throws<ArgumentException>(() => a[NDArray.FromArray(new[] { true, false })]);
        Assert.Contains("dimension is 3 but corresponding boolean dimension is 2", f.Message);
    }
}
