using System.Numerics;

namespace DeZero.Tests.Numerics;

/// <summary>The vectorised 2×2 max pooling and its gradient agree bit for bit with the window definitions.</summary>
public class PoolKernelTests
{
    public static TheoryData<int, int, int, int> Shapes() => new()
    {
        { 1, 1, 2, 2 }, { 1, 1, 3, 5 }, { 2, 3, 4, 4 }, { 1, 2, 5, 7 }, { 3, 1, 9, 17 }, { 2, 4, 14, 14 },
        { 2, 3, 28, 28 }, { 1, 2, 6, 32 }, { 2, 2, 7, 33 }, { 1, 1, 2, 40 }, { 5, 3, 3, 2 },
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void MatchesTheWindowDefinition(int n, int c, int h, int w)
    {
        Check<float>(n, c, h, w);
        Check<double>(n, c, h, w);
    }

    // Values from a small set with ±0, ±∞ and NaN, so windows have ties, signed zeros and NaN in every position.
    static void Check<T>(int n, int c, int h, int w) where T : unmanaged, INumber<T>
    {
        var rng = new Random(n * 1000 + c * 100 + h * 10 + w);
        T[] values = [T.Zero, -T.Zero, T.One, T.CreateTruncating(2), -T.One, T.CreateTruncating(double.PositiveInfinity),
            T.CreateTruncating(double.NegativeInfinity), T.CreateTruncating(double.NaN)];
        var x = new T[n * c * h * w];
        for (int i = 0; i < x.Length; i++) x[i] = rng.Next(4) == 0 ? values[rng.Next(values.Length)] : T.CreateTruncating(rng.Next(3));
        var g = new ConvGeometry(n, c, h, w, 2, 2, 2, 2, 0, 0);
        int outLen = n * c * g.OH * g.OW;
        var (y, index) = (new T[outLen], new int[outLen]);
        var (yRef, indexRef) = (new T[outLen], new int[outLen]);
        PoolKernel.Max<T>(x, y, index, g);
        PoolKernel.MaxWindows<T>(x, yRef, indexRef, g);
        Assert.Equal(indexRef, index);
        for (int i = 0; i < outLen; i++)
            Assert.True(BitEqual(yRef[i], y[i]), $"{typeof(T).Name} ({n}, {c}, {h}, {w}) output {i}: expected {yRef[i]}, got {y[i]}");

        // The batched path splits samples over threads: the same results.
        var arr = new NDArray(x, n, c, h, w);
        var yArr = NDArray.Empty(arr.DType, [n, c, g.OH, g.OW]);
        var indexArr = new int[outLen];
        ConvArrays.MaxPool(arr, yArr, indexArr, g);
        Assert.Equal(indexRef, indexArr);
        Assert.Equal(y, yArr.ToArray<T>());
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void GradientRoutingMatchesTheWindowDefinition(int n, int c, int h, int w)
    {
        Check<float>(n, c, h, w);
        Check<double>(n, c, h, w);

        // Every element of gx is written (it starts as NaN), the gradient at the recorded offset and zeros elsewhere.
        static void Check<T>(int n, int c, int h, int w) where T : unmanaged, INumber<T>
        {
            var rng = new Random(n * 1000 + c * 100 + h * 10 + w);
            var g = new ConvGeometry(n, c, h, w, 2, 2, 2, 2, 0, 0);
            int outLen = n * c * g.OH * g.OW, inLen = n * c * h * w;
            var gy = Enumerable.Range(0, outLen).Select(_ => T.CreateTruncating(rng.Next(1, 100))).ToArray();
            var index = Enumerable.Range(0, outLen).Select(_ => rng.Next(4)).ToArray();
            var expected = new T[inLen];
            PoolKernel.MaxBackwardWindows<T>(gy, index, expected, g);
            var gx = Enumerable.Repeat(T.CreateTruncating(double.NaN), inLen).ToArray();
            PoolKernel.MaxBackward<T>(gy, index, gx, g);
            Assert.Equal(expected, gx);

            var gxArr = new NDArray(Enumerable.Repeat(T.CreateTruncating(double.NaN), inLen).ToArray(), n, c, h, w);
            ConvArrays.MaxPoolBackward(new NDArray(gy, n, c, g.OH, g.OW), index, gxArr, g);
            Assert.Equal(expected, gxArr.ToArray<T>());
        }
    }

    static bool BitEqual<T>(T a, T b) where T : unmanaged, INumber<T> =>
        T.IsNaN(a) ? T.IsNaN(b) : a == b && T.IsNegative(a) == T.IsNegative(b);
}
