using System.Numerics;
using DeZero.Numerics.Kernels;
using F = DeZero.Functions;

namespace DeZero.Tests.Numerics;

/// <summary>
/// im2col/col2im (with their contiguous fast path for unit strides and same width) and the chunked convolution
/// GEMMs against the definitions, computed directly.
/// </summary>
public class ConvKernelTests
{
    // (N, C, H, W, KH, KW, SH, SW, PH, PW): same-width shapes take the fast paths, the others the general loops.
    public static TheoryData<int[]> Geometries() => new()
    {
        new[] { 1, 1, 5, 5, 3, 3, 1, 1, 1, 1 },
        new[] { 2, 3, 7, 9, 3, 3, 1, 1, 1, 1 },
        new[] { 3, 2, 6, 6, 5, 5, 1, 1, 2, 2 },
        new[] { 2, 2, 4, 7, 1, 1, 1, 1, 0, 0 },
        new[] { 1, 3, 5, 6, 2, 3, 1, 1, 0, 1 },
        new[] { 2, 1, 3, 4, 3, 3, 1, 1, 2, 1 },
        new[] { 13, 3, 8, 8, 3, 3, 1, 1, 1, 1 },
        new[] { 2, 2, 7, 5, 3, 3, 2, 2, 1, 1 },
        new[] { 3, 1, 6, 5, 2, 3, 1, 2, 1, 0 },
        new[] { 9, 4, 5, 6, 3, 2, 2, 1, 0, 1 },
        new[] { 2, 3, 14, 14, 3, 3, 1, 1, 1, 1 },
        new[] { 1, 2, 9, 30, 5, 5, 1, 1, 2, 2 },
        new[] { 1, 2, 6, 21, 3, 3, 1, 1, 3, 1 },
    };

    static ConvGeometry Geo(int[] a) => new(a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8], a[9]);

    static double[] Uniform(Random rng, int n) => Enumerable.Range(0, n).Select(_ => rng.NextDouble() * 2 - 1).ToArray();

    static T[] As<T>(double[] x) where T : INumber<T> => x.Select(T.CreateTruncating).ToArray();

    // col[(c, j, i), y, x] = img[c, y·SH + j − PH, x·SW + i − PW], zero outside.
    static double Column(double[] img, ConvGeometry g, int c, int j, int i, int y, int x)
    {
        int sy = y * g.SH + j - g.PH, sx = x * g.SW + i - g.PW;
        return (uint)sy < (uint)g.H && (uint)sx < (uint)g.W ? img[(c * g.H + sy) * g.W + sx] : 0;
    }

    [Theory]
    [MemberData(nameof(Geometries))]
    public void Im2colWritesTheColumnsAtAnyRowStride(int[] shape)
    {
        var g = Geo(shape) with { N = 1 };
        int k = g.C * g.KH * g.KW, hw = g.OH * g.OW, ld = 2 * hw + 3;
        var img = Uniform(new Random(1), g.C * g.H * g.W);
        var col = Enumerable.Repeat(7.0, (k - 1) * ld + 2 * hw).ToArray();
        Im2colKernel.Im2col<double>(img, col.AsSpan(hw), g, ld);
        for (int r = 0; r < k; r++)
            for (int p = 0; p < ld && r * ld + p < col.Length; p++)
            {
                double expected = p >= hw && p < 2 * hw
                    ? Column(img, g, r / (g.KH * g.KW), r / g.KW % g.KH, r % g.KW, (p - hw) / g.OW, (p - hw) % g.OW)
                    : 7.0;
                Assert.Equal(expected, col[r * ld + p]);
            }
    }

    [Theory]
    [MemberData(nameof(Geometries))]
    public void Col2imSumsInTheSameOrderAsTheDefinition(int[] shape)
    {
        Check<float>(Geo(shape) with { N = 1 });
        Check<double>(Geo(shape) with { N = 1 });

        static void Check<T>(ConvGeometry g) where T : unmanaged, INumber<T>
        {
            int k = g.C * g.KH * g.KW, hw = g.OH * g.OW, ld = hw + 5;
            var col = As<T>(Uniform(new Random(2), k * ld));
            var img = new T[g.C * g.H * g.W];
            Im2colKernel.Col2im<T>(col, img, g, ld);
            // The definition: every column value added to its pixel, rows (c, j, i) then positions (y, x) in order.
            var expected = new T[img.Length];
            for (int r = 0; r < k; r++)
                for (int y = 0; y < g.OH; y++)
                    for (int x = 0; x < g.OW; x++)
                    {
                        int c = r / (g.KH * g.KW), sy = y * g.SH + r / g.KW % g.KH - g.PH, sx = x * g.SW + r % g.KW - g.PW;
                        if ((uint)sy < (uint)g.H && (uint)sx < (uint)g.W) expected[(c * g.H + sy) * g.W + sx] += col[r * ld + y * g.OW + x];
                    }
            Assert.Equal(expected, img);
        }
    }

    // The filter and bias gradients in one pass over gy (backward without createGraph): the filter gradient of
    // Conv2dGradW and gy.Sum([0, 2, 3]), bit for bit.
    [Theory]
    [MemberData(nameof(Geometries))]
    public void FilterAndBiasGradientsInOnePassEqualTheSeparateOnes(int[] shape)
    {
        foreach (var dt in new[] { DType.Float32, DType.Float64 })
        {
            var g = Geo(shape);
            var rng = new RandomState(5);
            var x = rng.Randn(g.N, g.C, g.H, g.W).AsType(dt);
            var gy = rng.Randn(g.N, 4, g.OH, g.OW).AsType(dt);
            var (gw, gb) = ConvArrays.Conv2dGrads(x, gy, g);
            Assert.Equal(ConvArrays.Conv2dGradW(x, gy, g).ToArray<double>(), gw.ToArray<double>());
            var expected = gy.Sum([0, 2, 3]);
            Assert.Equal(expected.Shape, gb.Shape);
            Assert.Equal(expected.DType, gb.DType);
            Assert.Equal(expected.ToArray<double>(), gb.ToArray<double>());
        }
        Assert.Throws<ArgumentException>(() => ConvArrays.Conv2dGrads(NDArray.Zeros(1, 1, 3, 3), NDArray.Zeros(1, 2, 3, 3).AsType(DType.Float32), Geo([1, 1, 3, 3, 3, 3, 1, 1, 1, 1])));
    }

    // A layer's backward without createGraph takes that path; with createGraph the separate functions: the same gradients.
    [Fact]
    public void Conv2dBackwardGivesTheSameParameterGradientsWithAndWithoutAGraph()
    {
        var rng = new RandomState(7);
        var x = new Variable(rng.Randn(13, 3, 8, 8).AsType(DType.Float32));
        var w = new Variable(rng.Randn(5, 3, 3, 3).AsType(DType.Float32));
        var b = new Variable(rng.Randn(5).AsType(DType.Float32));
        (NDArray, NDArray, NDArray) Grads(bool createGraph)
        {
            foreach (var v in new[] { x, w, b }) v.ClearGrad();
            F.Sum(F.Conv2d(x, w, b, 1, 1) * F.Conv2d(x, w, b, 1, 1)).Backward(createGraph: createGraph);
            return (x.Grad!.Data, w.Grad!.Data, b.Grad!.Data);
        }
        var (gx, gw, gb) = Grads(false);
        var (gx2, gw2, gb2) = Grads(true);
        Assert.Equal(gx2.ToArray<float>(), gx.ToArray<float>());
        Assert.Equal(gw2.ToArray<float>(), gw.ToArray<float>());
        Assert.Equal(gb2.ToArray<float>(), gb.ToArray<float>());
    }

    [Theory]
    [MemberData(nameof(Geometries))]
    public void ChunkedConvolutionsMatchTheDirectSums(int[] shape)
    {
        Check(DType.Float32, 1e-4);
        Check(DType.Float64, 1e-12);

        void Check(DType dt, double tol)
        {
            var g = Geo(shape);
            int oc = 3, k = g.C * g.KH * g.KW, hw = g.OH * g.OW;
            var rng = new Random(3);
            double[] x = Uniform(rng, g.N * g.C * g.H * g.W), w = Uniform(rng, oc * k), b = Uniform(rng, oc), gy = Uniform(rng, g.N * oc * hw);
            NDArray Arr(double[] v, params int[] s) => new NDArray(v, s).AsType(dt);
            var xa = Arr(x, g.N, g.C, g.H, g.W);
            var wa = Arr(w, oc, g.C, g.KH, g.KW);
            var gya = Arr(gy, g.N, oc, g.OH, g.OW);

            // y[n, o, p] = b[o] + Σ_r W[o, r]·col[n, r, p]; gx = the adjoint of x ↦ y; gW[o, r] = Σ_n,p gy[n, o, p]·col[n, r, p].
            var y = new double[g.N * oc * hw];
            var gx = new double[x.Length];
            var gw = new double[w.Length];
            for (int n = 0; n < g.N; n++)
                for (int r = 0; r < k; r++)
                {
                    int c = r / (g.KH * g.KW), j = r / g.KW % g.KH, i = r % g.KW;
                    for (int p = 0; p < hw; p++)
                    {
                        int py = p / g.OW, px = p % g.OW, sy = py * g.SH + j - g.PH, sx = px * g.SW + i - g.PW;
                        bool inside = (uint)sy < (uint)g.H && (uint)sx < (uint)g.W;
                        double v = inside ? x[((n * g.C + c) * g.H + sy) * g.W + sx] : 0;
                        for (int o = 0; o < oc; o++)
                        {
                            y[(n * oc + o) * hw + p] += w[o * k + r] * v;
                            gw[o * k + r] += gy[(n * oc + o) * hw + p] * v;
                            if (inside) gx[((n * g.C + c) * g.H + sy) * g.W + sx] += w[o * k + r] * gy[(n * oc + o) * hw + p];
                        }
                    }
                }
            for (int i = 0; i < y.Length; i++) y[i] += b[i / hw % oc];

            AssertClose(y, ConvArrays.Conv2d(xa, wa, Arr(b, oc), g), tol);
            AssertClose(gw, ConvArrays.Conv2dGradW(xa, gya, g), tol);
            AssertClose(gx, ConvArrays.Deconv2d(gya, wa, null, g), tol);
        }
    }

    static void AssertClose(double[] expected, NDArray actual, double tol)
    {
        var got = actual.AsType(DType.Float64).ToArray<double>();
        Assert.Equal(expected.Length, got.Length);
        for (int i = 0; i < got.Length; i++)
            Assert.True(Math.Abs(got[i] - expected[i]) <= tol * (1 + Math.Abs(expected[i])), $"element {i}: expected {expected[i]}, got {got[i]}");
    }
}
