using F = DeZero.Functions;

namespace DeZero.Tests.Numerics;

/// <summary>
/// Shapes whose size overflows 32-bit arithmetic, or exceeds what a .NET array holds, give an ArgumentException
/// naming the operation and the shape instead of a wrapped size, garbage or an access violation.
/// </summary>
public class SizeArithmeticTests
{
    static void Throws(Action run, params string[] expect)
    {
        var e = Assert.ThrowsAny<ArgumentException>(run);
        Assert.IsNotType<ArgumentOutOfRangeException>(e);
        foreach (var s in expect) Assert.Contains(s, e.Message);
    }

    [Theory]
    [InlineData(new int[0], new int[0])]
    [InlineData(new[] { 5 }, new[] { 1 })]
    [InlineData(new[] { 2, 3, 4 }, new[] { 12, 4, 1 })]
    [InlineData(new[] { 2, 0, 4 }, new[] { 0, 4, 1 })]
    [InlineData(new[] { 46341, 46340 }, new[] { 46340, 1 })]
    // Empty arrays whose other dimensions multiply past int: 46341² wraps to −2147479015 in 32 bits.
    [InlineData(new[] { 0, 3, 46341, 46341 }, new[] { 0, 0, 46341, 1 })]
    [InlineData(new[] { 3, 0, 46341, 46341 }, new[] { 0, 0, 46341, 1 })]
    [InlineData(new[] { 0, 65536, 65536, 65536 }, new[] { 0, 0, 65536, 1 })]
    public void StridesAreCOrderProductsAndNeverWrap(int[] shape, int[] expected)
    {
        var strides = ShapeUtil.Strides(shape);
        Assert.Equal(expected, strides);
        // Where a stride is not 0 it is the product of the later dimensions.
        for (int i = 0; i < shape.Length; i++)
            if (strides[i] != 0) Assert.Equal(ShapeUtil.Product(shape.AsSpan(i + 1)), strides[i]);
    }

    [Fact]
    public void EmptyArraysWithHugeDimensionsIndexTransposeAndPrintLikeNumPy()
    {
        var a = NDArray.Zeros(0, 3, 46341, 46341);
        Assert.Equal([46341, 46341, 3, 0], a.Transpose().Dims);
        Assert.Equal([0, 46341], a[.., 2, 5].Dims);
        Assert.Equal([0, 2, 46341, 46341], a[.., Slice.Of(1, 3)].Dims);
        Assert.Equal([0, 46341, 46341], NDArray.Zeros(3, 0, 46341, 46341)[2].Dims);
        Assert.Equal([2, 0, 3, 46341, 46341], a.BroadcastTo(2, 0, 3, 46341, 46341).Dims);
        Assert.Equal("[]", a.ToString());
    }

    [Fact]
    public void ReshapeWhoseProductWrapsIsRejected()
    {
        // 131074² wraps to 524292 in 32-bit arithmetic.
        var x = NDArray.Ones([524292], DType.Float32);
        Throws(() => x.Reshape(1, 1, 131074, 131074), "NDArray.Reshape", "(1, 1, 131074, 131074)");
        Throws(() => x.Reshape(-1, 131074, 131074), "NDArray.Reshape");
        Throws(() => F.Reshape(x, 1, 1, 131074, 131074), "F.Reshape", "(1, 1, 131074, 131074)");
        Throws(() => F.Reshape(x, 65536, 65536, 65536, -1), "F.Reshape");
    }

    [Fact]
    public void IndexingAWrappedShapeCannotHappen()
    {
        Throws(() => _ = NDArray.Arange(131073).Reshape(65537, 65537)[65536, 65536], "NDArray.Reshape", "(65537, 65537)");
    }

    [Fact]
    public void PoolingNeverSeesAWrappedShape()
    {
        var x = NDArray.Ones([524292], DType.Float32);
        Throws(() => F.Pooling(x.Reshape(1, 1, 131074, 131074), 2, 2));
        Throws(() => F.Pooling(NDArray.Ones(1, 1, 4, 4), 2, 2, pad: int.MaxValue / 2), "F.Pooling", "pad", "2147483591");
        Throws(() => F.AveragePooling(NDArray.Ones(1, 1, 4, 4), 2, 2, pad: int.MaxValue), "F.AveragePooling", "pad");
    }

    [Fact]
    public void FactoriesNameTheLimit()
    {
        Throws(() => NDArray.Zeros(65536, 65536), "NDArray.Zeros", "(65536, 65536)", "4294967296", "2147483591");
        Throws(() => NDArray.Ones([65536, 65536, 65536, 65536], DType.Float32), "NDArray.Ones", "18446744073709551616");
        Throws(() => RandomState.Global.Rand(65536, 65536), "(65536, 65536)");
    }

    [Fact]
    public void BroadcastBeyondTheLimitIsRejected()
    {
        var a = NDArray.Ones(65537, 1);
        var b = NDArray.Ones(1, 65537);
        Throws(() => _ = a + b, "NDArray.Add", "(65537, 1)", "(1, 65537)", "2147483591");
        Throws(() => NDArray.MatMul(a, b), "NDArray.MatMul");
    }

    [Theory]
    [InlineData(int.MaxValue, 0)]
    [InlineData(0, int.MaxValue)]
    [InlineData(1 << 30, 1 << 30)]
    public void ConvolutionWithHugePadsIsAClearError(int padH, int padW)
    {
        var x = NDArray.Ones(1, 1, 3, 3);
        var w = NDArray.Ones(1, 1, 2, 2);
        Throws(() => F.Conv2d(x, w, null, (1, 1), (padH, padW)), "F.Conv2d", "pad");
        Throws(() => F.Im2col(x, (2, 2), (1, 1), (padH, padW)), "F.Im2col", "pad");
        Throws(() => F.Col2im(NDArray.Ones(1, 4), [1, 1, 3, 3], (2, 2), (1, 1), (padH, padW)), "F.Col2im");
        Throws(() => F.Pooling(x, (2, 2), (1, 1), (padH, padW)), "F.Pooling", "pad");
        Throws(() => F.AveragePooling(x, (2, 2), (1, 1), (padH, padW)), "F.AveragePooling", "pad");
    }

    [Fact]
    public void DeconvolutionWithHugeStridesIsAClearError()
    {
        var x = NDArray.Ones(1, 1, 3, 3);
        var w = NDArray.Ones(1, 1, 2, 2);
        Throws(() => F.Deconv2d(x, w, null, (int.MaxValue, 1), (0, 0)), "F.Deconv2d");
        Throws(() => F.Deconv2d(x, w, null, (1 << 20, 1 << 20), (0, 0)), "F.Deconv2d");
        Throws(() => F.Deconv2d(x, w, null, (1, 1), (0, 0), (int.MaxValue, int.MaxValue)), "F.Deconv2d");
    }

    [Fact]
    public void Im2colColumnsBeyondTheLimitAreRejectedBeforeAllocating()
    {
        // 1000 × 1 × 100 × 100 image, 99×99 kernel with stride 1 and pad 48: 10⁴ × 9801 × 1000 columns.
        var x = NDArray.Zeros([1000, 1, 100, 100], DType.Float32);
        Throws(() => F.Im2col(x, 99, 1, 48), "F.Im2col", "2147483591");
    }

    [Fact]
    public void ShapeSizeHelperSaturatesInsteadOfWrapping()
    {
        Assert.Equal(0, ShapeUtil.Product([0, int.MaxValue, int.MaxValue, int.MaxValue]));
        Assert.Equal(-1, ShapeUtil.Product([2, -3]));
        Assert.Equal(long.MaxValue, ShapeUtil.Product([int.MaxValue, int.MaxValue, int.MaxValue]));
        Assert.Equal(6, ShapeUtil.Product([1, 2, 3]));
        Assert.Equal(ShapeUtil.MaxSize, Array.MaxLength);
    }
}
