using System.Numerics;
using DeZero.Numerics.Kernels;

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

        static void Check<T>(int n, int c, int h, int w) where T : unmanaged, INumber<T>
        {
            var (x, g) = Input<T>(n, c, h, w);
            int outLen = n * c * g.OH * g.OW;
            var (y, yRecording, yRef) = (new T[outLen], new T[outLen], new T[outLen]);
            PoolKernel.Max<T>(x, y, default, g);
            PoolKernel.Max<T>(x, yRecording, new byte[outLen], g);
            PoolKernel.MaxWindows<T>(x, yRef, g);
            for (int i = 0; i < outLen; i++)
            {
                Assert.True(BitEqual(yRef[i], y[i]), $"{typeof(T).Name} ({n}, {c}, {h}, {w}) output {i}: expected {yRef[i]}, got {y[i]}");
                Assert.True(BitEqual(yRef[i], yRecording[i]), $"{typeof(T).Name} ({n}, {c}, {h}, {w}) output {i} while recording: expected {yRef[i]}, got {yRecording[i]}");
            }
            // The batched path splits samples over threads: the same results.
            Assert.Equal(y, ConvArrays.MaxPool(new NDArray(x, n, c, h, w), g).ToArray<T>());
        }
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void GradientRoutingMatchesTheWindowDefinition(int n, int c, int h, int w)
    {
        Check<float>(n, c, h, w);
        Check<double>(n, c, h, w);

        // Every element of gx is written (it starts as NaN): distinct gradients at the maxima and zeros elsewhere. The
        // 2×2 kernel routes by the positions the forward pass recorded (bytes that start as 0xFF, so each is written);
        // the batched path records them itself when given none.
        static void Check<T>(int n, int c, int h, int w) where T : unmanaged, INumber<T>
        {
            var (x, g) = Input<T>(n, c, h, w);
            int outLen = n * c * g.OH * g.OW;
            var gy = Enumerable.Range(1, outLen).Select(T.CreateTruncating).ToArray();
            var expected = new T[x.Length];
            PoolKernel.MaxBackwardWindows<T>(x, gy, expected, g);
            var argmax = Enumerable.Repeat((byte)0xFF, outLen).ToArray();
            PoolKernel.Max<T>(x, new T[outLen], argmax, g);
            Assert.All(argmax, k => Assert.InRange(k, 0, 3));
            var gx = Enumerable.Repeat(T.CreateTruncating(double.NaN), x.Length).ToArray();
            PoolKernel.MaxBackward<T>(x, argmax, gy, gx, g);
            Assert.Equal(expected, gx);
            var (xa, gya) = (new NDArray(x, n, c, h, w), new NDArray(gy, n, c, g.OH, g.OW));
            Assert.Equal(expected, ConvArrays.MaxPoolBackward(xa, gya, g).ToArray<T>());
            var recorded = new byte[outLen];
            ConvArrays.MaxPool(xa, g, recorded);
            Assert.Equal(argmax, recorded);
            Assert.Equal(expected, ConvArrays.MaxPoolBackward(xa, gya, g, recorded).ToArray<T>());
        }
    }

    [Fact]
    public void MixedDtypesRoundNeitherTheMaximaNorTheGradients()
    {
        // float32 x with a float64 gradient, and the other way round: the result has the gradient's dtype and values.
        var (x, g) = Input<float>(2, 3, 6, 7);
        var x32 = new NDArray(x, 2, 3, 6, 7);
        var gy64 = new NDArray(Enumerable.Range(1, 2 * 3 * 3 * 3).Select(i => i + 0.1).ToArray(), 2, 3, 3, 3);
        var gx = ConvArrays.MaxPoolBackward(x32, gy64, g);
        Assert.Equal(DType.Float64, gx.DType);
        Assert.Equal(ConvArrays.MaxPoolBackward(x32.AsType(DType.Float64), gy64, g).ToArray<double>(), gx.ToArray<double>());

        var picked = ConvArrays.MaxPoolGather(x32.AsType(DType.Float64), x32, g);
        Assert.Equal(DType.Float32, picked.DType);
        Assert.Equal(ConvArrays.MaxPool(x32, g).ToArray<float>(), picked.ToArray<float>());
    }

    // Values from a small set with ±0, ±∞ and NaN, so windows have ties, signed zeros and NaN in every position.
    static (T[] X, ConvGeometry G) Input<T>(int n, int c, int h, int w) where T : unmanaged, INumber<T>
    {
        var rng = new Random(n * 1000 + c * 100 + h * 10 + w);
        T[] values = [T.Zero, -T.Zero, T.One, T.CreateTruncating(2), -T.One, T.CreateTruncating(double.PositiveInfinity),
            T.CreateTruncating(double.NegativeInfinity), T.CreateTruncating(double.NaN)];
        var x = new T[n * c * h * w];
        for (int i = 0; i < x.Length; i++) x[i] = rng.Next(4) == 0 ? values[rng.Next(values.Length)] : T.CreateTruncating(rng.Next(3));
        return (x, new ConvGeometry(n, c, h, w, 2, 2, 2, 2, 0, 0));
    }

    static bool BitEqual<T>(T a, T b) where T : unmanaged, INumber<T> =>
        T.IsNaN(a) ? T.IsNaN(b) : a == b && T.IsNegative(a) == T.IsNegative(b);
}
